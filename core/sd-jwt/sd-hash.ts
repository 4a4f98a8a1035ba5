import { timingSafeEqual } from 'node:crypto';
import { sdDigest, type SdHashAlg } from './hash.js';

/**
 * The KB-JWT `sd_hash` (RFC 9901 section 4.3.1): the digest, with the credential's `_sd_alg`,
 * of exactly `<issuer JWT>~<D1>~...~<Dn>~` as presented (ParsedSdJwt.sdHashInput).
 */
export function sdHashOf(sdHashInput: string, alg: SdHashAlg): string {
  return sdDigest(sdHashInput, alg);
}

/** Whether a KB-JWT's `sd_hash` claim binds it to this presentation; compared in constant time. */
export function sdHashMatches(claimed: unknown, sdHashInput: string, alg: SdHashAlg): boolean {
  if (typeof claimed !== 'string') return false;
  const x = Buffer.from(claimed, 'utf8');
  const y = Buffer.from(sdHashOf(sdHashInput, alg), 'utf8');
  return x.length === y.length && timingSafeEqual(x, y);
}
