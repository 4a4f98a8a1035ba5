import type { KeyObject } from 'node:crypto';
import { importPublicJwk, jwkThumbprint, type PublicJwk } from '../../core/jose/jwk.js';
import { VerificationError } from '../errors.js';

/** Holder keys seen recently, by thumbprint: importing a JWK costs as much as hashing a disclosure set. */
const cache = new Map<string, KeyObject>();
const MAX_CACHED = 1024;

export function holderKeyObject(jwk: PublicJwk): KeyObject {
  const id = jwkThumbprint(jwk);
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
