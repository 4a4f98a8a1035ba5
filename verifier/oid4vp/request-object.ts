import { b64uEncode } from '../../core/encoding/base64url.js';
import { signCompact } from '../../core/jose/sign.js';
import type { JwsSigner } from '../../core/jose/signer.js';
import type { AuthorizationRequestPayload } from './types.js';

/** `typ` of a request object (RFC 9101 section 10.8, required by OpenID4VP 1.0 section 5.10). */
export const REQUEST_OBJECT_TYP = 'oauth-authz-req+jwt';
export const REQUEST_OBJECT_MEDIA_TYPE = 'application/oauth-authz-req+jwt';

/** A verifier DID key: `signer.kid` must be a DID URL of `did` (its verification method). */
export type VerifierDidKey = { did: string; signer: JwsSigner };

/**
 * The request object served at request_uri. With the `redirect_uri` prefix OpenID4VP 1.0
 * (section 5.9.3) forbids signing, so it is an unsecured JWT (`alg: none`, RFC 7519 section 6):
 * the wallet trusts it only because the answer can go nowhere but the client_id itself.
 * With `decentralized_identifier` it is a JAR signed by the verifier's DID key.
 */
export async function encodeRequestObject(payload: AuthorizationRequestPayload, didKey?: VerifierDidKey): Promise<string> {
  if (!didKey) {
    const header = { alg: 'none', typ: REQUEST_OBJECT_TYP };
    return `${b64uEncode(JSON.stringify(header))}.${b64uEncode(JSON.stringify(payload))}.`;
  }
  return signCompact({ typ: REQUEST_OBJECT_TYP, kid: didKey.signer.kid }, payload, didKey.signer);
}
