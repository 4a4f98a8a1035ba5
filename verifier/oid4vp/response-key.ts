import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { JWE_ALG, JWE_ENCS, type JweEnc } from '../../core/jose/jwe.js';
import { publicJwkOf } from '../../core/jose/jwk.js';

/**
 * The ephemeral key a `direct_post.jwt` answer is encrypted to (OpenID4VP 1.0 section 8.3): a
 * fresh P-256 ECDH key per request, published in the request's client_metadata.jwks with
 * `use: enc`, `alg: ECDH-ES` and a `kid`, and forgotten with the request. Nothing is at rest.
 */
export type ResponseKey = {
  kid: string;
  privateKey: KeyObject;
  /** The JWK published in client_metadata.jwks. */
  publicJwk: { kty: 'EC'; crv: 'P-256'; x: string; y: string; use: 'enc'; alg: typeof JWE_ALG; kid: string };
  /** The content encryptions offered (encrypted_response_enc_values_supported). */
  encs: readonly JweEnc[];
};

export function newResponseKey(kid: string, encs: readonly JweEnc[] = JWE_ENCS): ResponseKey {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const jwk = publicJwkOf(privateKey);
  if (jwk.kty !== 'EC') throw new TypeError('a P-256 key was expected');
  return { kid, privateKey, publicJwk: { kty: 'EC', crv: 'P-256', x: jwk.x, y: jwk.y, use: 'enc', alg: JWE_ALG, kid }, encs };
}
