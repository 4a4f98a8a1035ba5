import { b64uDecodeJson, b64uEncode } from '../encoding/base64url.js';
import { DidError } from '../errors.js';
import { assertPublicJwk, publicJwkOf, importPublicJwk, type PublicJwk } from '../jose/jwk.js';
import { singleKeyDocument, type DIDDocument } from './document.js';

/** did:jwk of a public key: base64url of the JWK's JSON (defining members only). */
export function didJwkFromJwk(jwk: PublicJwk): string {
  const minimal = publicJwkOf(importPublicJwk(jwk));
  return `did:jwk:${b64uEncode(JSON.stringify(minimal))}`;
}

/**
 * The public JWK a did:jwk holds (a fragment is ignored).
 *
 * @throws DidError `DID_INVALID` (not a did:jwk of a public JWK) or `DID_UNSUPPORTED_KEY`.
 */
export function jwkFromDidJwk(did: string): PublicJwk {
  const id = did.split('#')[0]!;
  const m = /^did:jwk:([A-Za-z0-9_-]+)$/.exec(id);
  if (!m) throw new DidError('DID_INVALID', `not a did:jwk: ${id}`);
  let jwk: unknown;
  try {
    jwk = b64uDecodeJson(m[1]!, 'did:jwk');
  } catch (cause) {
    throw new DidError('DID_INVALID', `did:jwk does not hold a JSON JWK: ${id}`, { cause });
  }
  try {
    assertPublicJwk(jwk, 'did:jwk key');
  } catch (cause) {
    throw new DidError('DID_UNSUPPORTED_KEY', `did:jwk key is not a public Ed25519 or P-256 key`, { cause });
  }
  return jwk;
}

export function didJwkDocument(did: string): DIDDocument {
  return singleKeyDocument(did, '0', jwkFromDidJwk(did));
}
