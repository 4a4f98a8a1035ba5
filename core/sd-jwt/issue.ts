import { randomBytes, randomInt } from 'node:crypto';
import { SDJwtInstance } from '@sd-jwt/core';
import type { DisclosureFrame } from '@sd-jwt/types';
import { NetcredError } from '../errors.js';
import type { JwsSigner } from '../jose/signer.js';
import { sdJwtHasher } from './hash.js';
import { sdJwtSigner } from './signer.js';

export type { DisclosureFrame };

/**
 * Which claims are disclosable, per level: `_sd` names the object's disclosable properties
 * (or array indexes), `_sd_decoy` the number of decoy digests, other keys the nested levels.
 * The same shape as @sd-jwt's DisclosureFrame, typed loosely.
 */
export type SdFrame = { _sd?: (string | number)[]; _sd_decoy?: number; [key: string]: SdFrame | (string | number)[] | number | undefined };

/** Claims RFC 9901 and SD-JWT VC never allow in a disclosure (at the top level). */
export const NEVER_DISCLOSABLE = ['iss', 'aud', 'exp', 'nbf', 'cnf', 'vct', 'vct#integrity', 'status', '_sd', '_sd_alg', '...'] as const;

export type IssueSdJwtInput = {
  /** Protected header members besides `alg` and `kid`, which come from the signer. `typ` is required. */
  header: { typ: string; [k: string]: unknown };
  payload: Record<string, unknown>;
  /** @sd-jwt disclosure frame: `_sd` lists disclosable names per level, `_sd_decoy` the decoy count. */
  disclosureFrame: SdFrame | DisclosureFrame<Record<string, unknown>>;
  signer: JwsSigner;
  /** Extra top-level names that must stay in the clear (e.g. `@context` for W3C credentials). */
  neverDisclosable?: readonly string[];
};

// One CSPRNG call per 256 salts instead of one per salt: a credential needs ~25 salts
// (disclosures and decoys) and a 16-byte randomBytes call costs more than hashing one.
const SALT_BYTES = 16;
let pool = Buffer.alloc(0);
let offset = 0;

/** 128 bits from the CSPRNG as base64url (22 characters), like hash.ts generateSalt; bytes are never reused. */
export function pooledSalt(): string {
  if (offset + SALT_BYTES > pool.length) {
    pool = randomBytes(SALT_BYTES * 256);
    offset = 0;
  }
  const salt = pool.toString('base64url', offset, offset + SALT_BYTES);
  offset += SALT_BYTES;
  return salt;
}

/** A random number of decoy digests in [min, max], so the digest count does not reveal the claim count. */
export function decoyCount(min = 1, max = 4): number {
  return randomInt(min, max + 1);
}

/**
 * Issues an SD-JWT (`<JWT>~<D1>~...~`) with @sd-jwt/core: 128-bit salts (hash.ts), sha-256,
 * `_sd` arrays sorted (@sd-jwt 0.19 sorts them when packing; our tests check it), decoys
 * as the frame says. Refuses a frame that would disclose a reserved claim.
 */
export async function issueSdJwt(input: IssueSdJwtInput): Promise<string> {
  const forbidden = new Set<string>([...NEVER_DISCLOSABLE, ...(input.neverDisclosable ?? [])]);
  const topSd = (input.disclosureFrame as { _sd?: unknown[] })._sd ?? [];
  const bad = topSd.filter((n) => forbidden.has(String(n)));
  if (bad.length) throw new NetcredError('SD_RESERVED_CLAIM', `claims ${bad.join(', ')} must never be selectively disclosable`);
  const { signer } = input;
  const sdjwt = new SDJwtInstance({
    signer: sdJwtSigner(signer),
    signAlg: signer.alg,
    hasher: sdJwtHasher,
    hashAlg: 'sha-256',
    saltGenerator: pooledSalt,
    omitTyp: true,
  });
  const header = signer.kid === undefined ? { ...input.header } : { ...input.header, kid: signer.kid };
  return sdjwt.issue(input.payload, input.disclosureFrame as DisclosureFrame<Record<string, unknown>>, { header });
}
