import type { IssuerContext } from '../context.js';
import { checkAuthorizationRequest, formParam, newAuthorizationReference, requestColumns } from './authorization-request.js';
import { insertAuthorization } from './authorization-store.js';
import { authenticateClient } from './client-auth.js';
import { OID4VCI_LIMITS, OID4VCI_PATHS } from './config.js';
import { checkDpop } from './dpop.js';
import { Oid4vciError } from './errors.js';
import { randomSecret, secretHash } from './secrets.js';
import { nowSeconds, standalone, sweepExpired } from './store.js';

/** RFC 9126 2.2: the request_uri is a URN the wallet passes back in the authorization URL. */
export const REQUEST_URI_PREFIX = 'urn:ietf:params:oauth:request_uri:';

export type PushedAuthorizationResponse = { request_uri: string; expires_in: number };

export type ParHeaders = { dpop: string | string[] | undefined; attestation: string | string[] | undefined; attestationPop: string | string[] | undefined };

/**
 * Pushed authorization request endpoint (RFC 9126). The client is authenticated as the policy
 * says (wallet attestation); a DPoP proof, when sent, binds the future code to its key (RFC 9449
 * 10.1), as does a `dpop_jkt` parameter, which must then name the same key. The request is
 * stored with a single-use request_uri (256 bits, kept as its SHA-256) that lives 120 s.
 */
export async function pushAuthorizationRequest(ctx: IssuerContext, body: Record<string, unknown>, headers: ParHeaders): Promise<PushedAuthorizationResponse> {
  // DPoP first: a use_dpop_nonce answer must not spend the client attestation PoP.
  const proofJkt = await checkDpop(ctx, headers.dpop, { path: OID4VCI_PATHS.par, role: 'authorization-server', required: false });
  const client = await authenticateClient(ctx, { attestation: headers.attestation, pop: headers.attestationPop }, formParam(body, 'client_id', 256));
  const request = await checkAuthorizationRequest(ctx, body, client.attestation ? client.clientId : undefined);
  if (proofJkt !== undefined && request.dpopJkt !== null && proofJkt !== request.dpopJkt) {
    throw new Oid4vciError('invalid_dpop_proof', 'dpop_jkt names another key than the DPoP proof');
  }
  const now = nowSeconds();
  await sweepExpired(ctx.dataSource, now);
  const requestUri = `${REQUEST_URI_PREFIX}${randomSecret()}`;
  await insertAuthorization(standalone(ctx.dataSource), {
    id: newAuthorizationReference(),
    request_uri_hash: secretHash(requestUri),
    ...requestColumns(request),
    dpop_jkt: proofJkt ?? request.dpopJkt,
    via_par: 1,
    status: 'pushed',
    session_hash: null,
    created_at: now,
    expires_at: now + OID4VCI_LIMITS.requestUriTtl,
  });
  return { request_uri: requestUri, expires_in: OID4VCI_LIMITS.requestUriTtl };
}
