import { createHash, randomBytes } from 'node:crypto';

/** `_sd_alg` values we can compute (IANA names); `sha-256` is the default and mandatory one. */
export const SD_HASH_ALGS = { 'sha-256': 'sha256', 'sha-384': 'sha384', 'sha-512': 'sha512' } as const;
/** An `_sd_alg` value netcred supports: `sha-256`, `sha-384` or `sha-512`. */
export type SdHashAlg = keyof typeof SD_HASH_ALGS;

/** Whether `alg` is an `_sd_alg` netcred supports (sha-256, sha-384, sha-512). */
export function isSdHashAlg(alg: unknown): alg is SdHashAlg {
  return typeof alg === 'string' && Object.hasOwn(SD_HASH_ALGS, alg);
}

/** base64url(hash(ASCII bytes)): the digest of an encoded disclosure, and the KB-JWT sd_hash. */
export function sdDigest(ascii: string, alg: SdHashAlg = 'sha-256'): string {
  return createHash(SD_HASH_ALGS[alg]).update(ascii, 'ascii').digest('base64url');
}

/** A hasher in the shape @sd-jwt/* expects. */
export function sdJwtHasher(data: string | ArrayBuffer, alg = 'sha-256'): Uint8Array {
  const name = isSdHashAlg(alg) ? SD_HASH_ALGS[alg] : undefined;
  if (!name) throw new Error(`unsupported hash ${alg}`);
  const input = typeof data === 'string' ? Buffer.from(data, 'utf8') : Buffer.from(data);
  return createHash(name).update(input).digest();
}

/**
 * 128 bits of randomness as base64url (22 characters). Careful: `generateSalt(16)` from
 * @sd-jwt/crypto-nodejs returns 16 hex characters, only 64 bits.
 */
export function generateSalt(): string {
  return randomBytes(16).toString('base64url');
}

/** A random digest, indistinguishable from a real one (decoy). */
export function decoyDigest(alg: SdHashAlg = 'sha-256'): string {
  return createHash(SD_HASH_ALGS[alg]).update(randomBytes(32)).digest('base64url');
}
