import { hash, randomBytes } from 'node:crypto';

/**
 * Synchronous SD-JWT packing over node:crypto and Buffer, for minting.
 *
 * Why not @sd-jwt/core's `pack`: in 0.19 it awaits an async generator step per disclosure and
 * base64-encodes in pure JS, tens of µs per disclosure; an identity credential has ~16
 * disclosures and ~5 decoys, so packing cost more than the Ed25519 signature (measured: mint
 * alone 3,200/s with it vs raw signing 24,500/s). This packer produces the same structure
 * (test/issuance/pack.test.ts compares it with @sd-jwt's pack for the same frame, and verifies
 * the result with @sd-jwt/sd-jwt-vc and @meeco/sd-jwt); @sd-jwt stays our decoder/verifier.
 */

/**
 * Which claims are disclosable, per level: `_sd` names the object's disclosable properties
 * (or array indexes), `_sd_decoy` the number of decoy digests, other keys the nested levels
 * (array elements by index). The same shape as @sd-jwt's DisclosureFrame, typed loosely.
 */
export type SdFrame = { _sd?: (string | number)[]; _sd_decoy?: number; [key: string]: SdFrame | (string | number)[] | number | undefined };

export type Packed = { payload: unknown; disclosures: string[] };

// One CSPRNG call and one base64url encoding per 256 salts instead of one of each per salt (a
// credential needs ~20): 18-byte salts are 24 base64url characters, so the encoding of a run
// of them splits evenly into salts.
const SALT_BYTES = 18;
const SALT_CHARS = 24;
let salts = '';
let saltAt = 0;

/** 144 bits from the CSPRNG as base64url (24 characters; RFC 9901 asks for at least 128); never reused. */
export function pooledSalt(): string {
  if (saltAt >= salts.length) {
    salts = randomBytes(SALT_BYTES * 256).toString('base64url');
    saltAt = 0;
  }
  const salt = salts.slice(saltAt, saltAt + SALT_CHARS);
  saltAt += SALT_CHARS;
  return salt;
}

// Decoys hash 16 fresh random bytes each, taken from a pool of their own.
const DECOY_BYTES = 16;
let pool = Buffer.alloc(0);
let offset = 0;

// The digests are hash.ts sdDigest (sha-256 over the ASCII encoded disclosure) computed with
// one-shot crypto.hash: createHash allocates a Hash object per call, ~3x the cost here.

// UTF-8 of a disclosure's JSON is written here rather than into a new Buffer per disclosure.
let scratch = Buffer.allocUnsafe(16 * 1024);

// Claim names repeat from credential to credential: their JSON text is kept (bounded).
const MAX_NAMES = 1024;
const names = new Map<string, string>();

function jsonName(name: string): string {
  let json = names.get(name);
  if (json === undefined) {
    json = JSON.stringify(name);
    if (names.size < MAX_NAMES) names.set(name, json);
  }
  return json;
}

/**
 * base64url(UTF-8(JSON)) of a disclosure `[salt, name, value]` (or `[salt, value]` for an array
 * element), and its sha-256 digest. The salt is base64url, so only the name and the value need
 * JSON.stringify: the same text as JSON.stringify of the whole array.
 */
function disclose(salt: string, name: string | undefined, value: unknown, out: string[]): string {
  // JSON.stringify gives undefined for undefined (and functions), which an array holds as null.
  const v = JSON.stringify(value) ?? 'null';
  const json = name === undefined ? `["${salt}",${v}]` : `["${salt}",${jsonName(name)},${v}]`;
  // Each UTF-16 unit takes at most 3 UTF-8 bytes.
  if (json.length * 3 > scratch.length) scratch = Buffer.allocUnsafe(json.length * 3);
  const n = scratch.write(json, 0, 'utf8');
  const encoded = scratch.toString('base64url', 0, n);
  out.push(encoded);
  return hash('sha256', encoded, 'base64url');
}

/** A decoy (like hash.ts decoyDigest): the digest of 128 fresh random bits from the salt pool. */
function decoyDigest(): string {
  if (offset + DECOY_BYTES > pool.length) {
    pool = randomBytes(DECOY_BYTES * 256);
    offset = 0;
  }
  const digest = hash('sha256', pool.subarray(offset, offset + DECOY_BYTES), 'base64url');
  offset += DECOY_BYTES;
  return digest;
}

function isFrame(v: unknown): v is SdFrame {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function decoys(frame: SdFrame): number {
  const n = frame._sd_decoy ?? 0;
  return Number.isSafeInteger(n) && n > 0 ? n : 0;
}

/** Whether `_sd` names this key (`_sd` may hold array indexes as numbers). A short list: a linear scan beats building a Set per level. */
function named(sd: readonly (string | number)[] | undefined, key: string): boolean {
  if (sd === undefined) return false;
  for (let i = 0; i < sd.length; i++) if (String(sd[i]) === key) return true;
  return false;
}

/** The claim at `key`, packed first if the frame has a level for it (nested disclosures come before their parent's). */
function packedClaim(value: unknown, frame: SdFrame, key: string, out: string[]): unknown {
  if (key === '_sd' || key === '_sd_decoy' || typeof value !== 'object' || value === null) return value;
  const sub = frame[key];
  return isFrame(sub) ? packLevel(value, sub, out) : value;
}

function packArray(value: unknown[], frame: SdFrame, out: string[]): unknown[] {
  const sd = frame._sd;
  const result: unknown[] = new Array(value.length);
  for (let i = 0; i < value.length; i++) {
    const key = String(i);
    const claim = packedClaim(value[i], frame, key, out);
    result[i] = named(sd, key) ? { '...': disclose(pooledSalt(), undefined, claim, out) } : claim;
  }
  for (let j = decoys(frame); j > 0; j--) result.push({ '...': decoyDigest() });
  return result;
}

function packObject(obj: Record<string, unknown>, frame: SdFrame, out: string[]): Record<string, unknown> {
  const sd = frame._sd;
  const result: Record<string, unknown> = {};
  const digests: string[] = [];
  for (const key of Object.keys(obj)) {
    const value = obj[key];
    if (value === undefined) continue;
    const claim = packedClaim(value, frame, key, out);
    if (named(sd, key)) digests.push(disclose(pooledSalt(), key, claim, out));
    else result[key] = claim;
  }
  for (let j = decoys(frame); j > 0; j--) digests.push(decoyDigest());
  if (digests.length) result._sd = digests.sort();
  return result;
}

function packLevel(value: unknown, frame: SdFrame, out: string[]): unknown {
  return Array.isArray(value) ? packArray(value, frame, out) : packObject(value as Record<string, unknown>, frame, out);
}

/**
 * Replaces the claims the frame names with digests (`_sd`, sorted, decoys mixed in; array
 * elements as `{"...": digest}`) and returns the payload with `_sd_alg: sha-256` plus the
 * encoded disclosures (a nested level's before its parent's). The caller checks reserved claims and signs.
 */
export function packSdJwt(payload: Record<string, unknown>, frame: SdFrame): { payload: Record<string, unknown>; disclosures: string[] } {
  const disclosures: string[] = [];
  const packed = packLevel(payload, frame, disclosures) as Record<string, unknown>;
  packed._sd_alg = 'sha-256';
  return { payload: packed, disclosures };
}
