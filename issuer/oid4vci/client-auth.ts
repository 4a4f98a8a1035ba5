import {
  ClientAttestationError,
  clientAttestationHeaders,
  verifyClientAttestation,
  type VerifiedClientAttestation,
} from '../../core/oauth/client-attestation.js';
import type { IssuerContext } from '../context.js';
import { issuerIdentifier, OID4VCI_LIMITS } from './config.js';
import { Oid4vciError } from './errors.js';
import { secretHash } from './secrets.js';
import { oid4vciStateOf } from './state/index.js';

/** Who the client is at PAR and token requests: the client_id it named, attested or not. */
export type ClientIdentity = {
  /** The attestation's `sub`, else the `client_id` parameter (public client); undefined when neither. */
  clientId?: string;
  attestation?: VerifiedClientAttestation;
};

type Headers = { attestation: string | string[] | undefined; pop: string | string[] | undefined };

/**
 * Wallet attestation (OAuth 2.0 Attestation-Based Client Authentication) by the issuer's policy:
 * `required`: the two headers must be there and verify; `optional`: verified when sent (a bad one
 * is refused, never ignored); `off`: not looked at (no wallet provider is trusted). A PoP's jti is
 * accepted once, in the database. A client_id parameter must be the attested `sub`.
 * Failures are `invalid_client` (401).
 */
export async function authenticateClient(ctx: IssuerContext, headers: Headers, clientIdParam: string | undefined): Promise<ClientIdentity> {
  const policy = ctx.config.oauth;
  if (policy.walletAttestation === 'off') return { clientId: clientIdParam };
  try {
    const sent = clientAttestationHeaders(headers.attestation, headers.pop);
    if (!sent) {
      if (policy.walletAttestation === 'required')
        throw new ClientAttestationError('a wallet attestation is required (OAuth-Client-Attestation and OAuth-Client-Attestation-PoP headers)');
      return { clientId: clientIdParam };
    }
    const attestation = await verifyClientAttestation(sent.attestation, sent.pop, {
      trustedKeys: policy.walletProviderKeys,
      audience: issuerIdentifier(ctx.config.publicUrl),
      now: Math.floor(Date.now() / 1000),
      maxAge: OID4VCI_LIMITS.attestationPopMaxAge,
      clockTolerance: OID4VCI_LIMITS.proofMaxSkew,
      clientId: clientIdParam,
    });
    if (!(await oid4vciStateOf(ctx).recordJti(secretHash(`attestation-pop:${attestation.instanceJkt}:${attestation.popJti}`), attestation.popExpiresAt))) {
      throw new ClientAttestationError('the client attestation PoP jti was already used (replay)');
    }
    return { clientId: attestation.clientId, attestation };
  } catch (err) {
    if (err instanceof ClientAttestationError) throw new Oid4vciError('invalid_client', err.message, { cause: err });
    throw err;
  }
}
