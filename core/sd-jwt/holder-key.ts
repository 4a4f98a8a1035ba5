import type { KeyObject } from 'node:crypto';
import { importPublicJwk, type PublicJwk } from '../jose/jwk.js';
import { VerificationError } from '../verification-errors.js';

/** Holder keys seen recently, by their defining members: importing a JWK costs more than the lookup. */
const cache = new Map<string, KeyObject>();
const MAX_CACHED = 1024;

export function holderKeyObject(jwk: PublicJwk): KeyObject {
  const id = jwk.kty === 'EC' ? `EC|${jwk.crv}|${jwk.x}|${jwk.y}` : `OKP|${jwk.crv}|${jwk.x}`;
  let key = cache.get(id);
  if (key) return key;
  try {
    key = importPublicJwk(jwk, 'cnf.jwk');
  } catch (cause) {
    throw new VerificationError('MALFORMED', 'cnf.jwk is not a valid public key', { cause });
  }
  if (cache.size >= MAX_CACHED) cache.delete(cache.keys().next().value!);
  cache.set(id, key);
  return key;
}
