import { createHash, createPublicKey, type JsonWebKey, type KeyObject } from 'node:crypto';
import { JoseError } from '../errors.js';
import type { JwsAlg } from './alg.js';

/** A public JWK of one of the two key types netcred supports. */
export type PublicJwk =
  | { kty: 'OKP'; crv: 'Ed25519'; x: string; kid?: string; alg?: string; use?: string }
  | { kty: 'EC'; crv: 'P-256'; x: string; y: string; kid?: string; alg?: string; use?: string };

const B64U = /^[A-Za-z0-9_-]+$/;

/** Checks that a value is a well-formed public Ed25519 or P-256 JWK with no private part. */
export function assertPublicJwk(value: unknown, what = 'JWK'): asserts value is PublicJwk {
  const jwk = value as Record<string, unknown> | null;
  if (!jwk || typeof jwk !== 'object' || Array.isArray(jwk)) throw new JoseError('JWK_INVALID', `${what} is not an object`);
  if ('d' in jwk) throw new JoseError('JWK_INVALID', `${what} contains a private key`);
  const okX = typeof jwk.x === 'string' && B64U.test(jwk.x);
  if (jwk.kty === 'OKP' && jwk.crv === 'Ed25519' && okX) return;
  if (jwk.kty === 'EC' && jwk.crv === 'P-256' && okX && typeof jwk.y === 'string' && B64U.test(jwk.y)) return;
  throw new JoseError('JWK_INVALID', `${what} is not a public Ed25519 or P-256 key`);
}

/**
 * A node:crypto public key from a public JWK (OKP Ed25519 or EC P-256; private members refused).
 *
 * @throws JoseError `JWK_INVALID` (not a valid public JWK) or `KEY_UNSUPPORTED` (another key type or curve).
 */
export function importPublicJwk(value: unknown, what = 'JWK'): KeyObject {
  assertPublicJwk(value, what);
  try {
    return createPublicKey({ key: value as JsonWebKey, format: 'jwk' });
  } catch (cause) {
    throw new JoseError('JWK_INVALID', `${what} is not a valid public key`, { cause });
  }
}

/** Only the members that define the key, in a fixed order (also RFC 7638's required members). */
export function publicJwkOf(key: KeyObject): PublicJwk {
  const jwk = key.type === 'private' ? createPublicKey(key).export({ format: 'jwk' }) : key.export({ format: 'jwk' });
  if (jwk.kty === 'OKP' && jwk.crv === 'Ed25519') return { kty: 'OKP', crv: 'Ed25519', x: jwk.x! };
  if (jwk.kty === 'EC' && jwk.crv === 'P-256') return { kty: 'EC', crv: 'P-256', x: jwk.x!, y: jwk.y! };
  throw new JoseError('KEY_UNSUPPORTED', `unsupported key type ${jwk.kty}/${jwk.crv}`);
}

/** RFC 7638 JWK thumbprint (SHA-256, base64url) over the required members in lexicographic order. */
export function jwkThumbprint(jwk: PublicJwk): string {
  const canonical =
    jwk.kty === 'OKP' ? JSON.stringify({ crv: jwk.crv, kty: jwk.kty, x: jwk.x }) : JSON.stringify({ crv: jwk.crv, kty: jwk.kty, x: jwk.x, y: jwk.y });
  return createHash('sha256').update(canonical).digest('base64url');
}

export function algForJwk(jwk: PublicJwk): JwsAlg {
  return jwk.kty === 'OKP' ? 'EdDSA' : 'ES256';
}

/** Compares two public JWKs by the members that define the key. */
export function sameJwk(a: PublicJwk, b: PublicJwk): boolean {
  return jwkThumbprint(a) === jwkThumbprint(b);
}
