import { generateKeyPairSync } from 'node:crypto';
import { didKeyFromJwk } from '../../core/did/did-key.js';
import { publicJwkOf } from '../../core/jose/jwk.js';
import { keyObjectSigner } from '../../core/jose/signer.js';
import { requestTypeProfile } from '../trust/request-type-profile.js';
import type { Verifier } from '../verify.js';
import { pipelineVerifier } from './pipeline.js';
import type { VerifierDidKey } from './request-object.js';
import type { RequestStore, RequestStoreLike } from './request-store.js';
import { createOid4vpRouter, type Oid4vpRouter, type Oid4vpRouterOptions } from './router.js';

/**
 * A did:key (Ed25519) that lives only in this process: a verifier app can sign its requests
 * (`decentralized_identifier`) without a private key at rest. The client_id changes with every
 * restart, which a wallet with no verifier registry cannot tell apart anyway.
 */
export function ephemeralVerifierDidKey(): VerifierDidKey {
  const { privateKey } = generateKeyPairSync('ed25519');
  const did = didKeyFromJwk(publicJwkOf(privateKey));
  return { did, signer: keyObjectSigner(privateKey, `${did}#${did.slice('did:key:'.length)}`) };
}

/**
 * The OpenID4VP routes for a long-lived verifier (its trust, nonce and replay stores), ready for
 * createVerifierApp({routers}). Requests use `redirect_uri` unless told otherwise; a request may
 * ask for `decentralized_identifier`, signed with the given or an ephemeral DID key.
 */
export function oid4vpRoutesFor<S extends RequestStoreLike = RequestStore>(
  verifier: Verifier,
  options: Omit<Oid4vpRouterOptions<S>, 'verify'>,
): Oid4vpRouter<S> {
  return createOid4vpRouter<S>({
    ...options,
    clientIdPrefix: options.clientIdPrefix ?? 'redirect_uri',
    didKey: options.didKey ?? ephemeralVerifierDidKey(),
    verify: pipelineVerifier(verifier),
    // The bundle of the moment: a SIGHUP reload (setTrust) applies to the next request.
    typeProfile: (name) => requestTypeProfile(verifier.trust, name),
  });
}
