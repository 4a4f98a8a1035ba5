import { disclosureDigest, type Disclosure } from '../../core/sd-jwt/parse.js';
import type { SdHashAlg } from '../../core/sd-jwt/hash.js';
import { VerificationError } from '../errors.js';

/** Nesting bound of the processed payload: hostile depth is a MALFORMED verdict, not a stack overflow. */
const MAX_DEPTH = 64;

type Json = unknown;
type JsonObject = Record<string, Json>;

function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Own-property assignment that cannot touch a prototype (a disclosed name may be `__proto__`). */
function put(target: JsonObject, name: string, value: Json): void {
  if (name === '__proto__') Object.defineProperty(target, name, { value, enumerable: true, writable: true, configurable: true });
  else target[name] = value;
}

type State = { byDigest: Map<string, Disclosure>; seen: Set<string>; used: Set<string> };

function claim(st: State, digest: unknown): Disclosure | undefined {
  if (typeof digest !== 'string') throw new VerificationError('MALFORMED', 'a digest is not a string');
  if (st.seen.has(digest)) throw new VerificationError('DISCLOSURE_DUPLICATE_DIGEST', `digest ${digest} appears more than once`);
  st.seen.add(digest);
  const d = st.byDigest.get(digest);
  if (d) st.used.add(digest);
  return d;
}

function walk(st: State, value: Json, depth: number): Json {
  if (depth > MAX_DEPTH) throw new VerificationError('MALFORMED', `claims nested deeper than ${MAX_DEPTH} levels`);
  if (Array.isArray(value)) return walkArray(st, value, depth);
  if (isObject(value)) return walkObject(st, value, depth);
  return value;
}

function walkObject(st: State, obj: JsonObject, depth: number): JsonObject {
  const out: JsonObject = {};
  for (const k of Object.keys(obj)) {
    if (k === '_sd' || (depth === 0 && k === '_sd_alg')) continue;
    put(out, k, walk(st, obj[k], depth + 1));
  }
  if (!Object.hasOwn(obj, '_sd')) return out;
  const sd = obj._sd;
  if (!Array.isArray(sd)) throw new VerificationError('MALFORMED', '_sd is not an array');
  for (const digest of sd) {
    const d = claim(st, digest);
    if (!d) continue; // a decoy, or a claim the holder did not disclose
    if (d.name === undefined) throw new VerificationError('DISCLOSURE_MALFORMED', 'an array element disclosure is referenced from _sd');
    if (d.name === '_sd' || d.name === '...') throw new VerificationError('DISCLOSURE_FORBIDDEN_NAME', `a disclosure may not name a claim "${d.name}"`);
    if (Object.hasOwn(obj, d.name) || Object.hasOwn(out, d.name)) {
      throw new VerificationError('DISCLOSURE_NAME_COLLISION', `disclosed claim "${d.name}" already exists at its level`);
    }
    put(out, d.name, walk(st, d.value, depth + 1));
  }
  return out;
}

function walkArray(st: State, arr: Json[], depth: number): Json[] {
  const out: Json[] = [];
  for (const el of arr) {
    if (isObject(el) && Object.hasOwn(el, '...')) {
      if (Object.keys(el).length !== 1) throw new VerificationError('DISCLOSURE_MALFORMED', 'an array element digest object has keys besides "..."');
      const d = claim(st, el['...']);
      if (!d) continue; // undisclosed element: removed
      if (d.name !== undefined) throw new VerificationError('DISCLOSURE_MALFORMED', 'an object property disclosure is referenced as an array element');
      out.push(walk(st, d.value, depth + 1));
      continue;
    }
    out.push(walk(st, el, depth + 1));
  }
  return out;
}

/**
 * RFC 9901 section 7.1 steps 3-5: replaces digests by the disclosed values, with every reject
 * rule. Returns the processed claims (a fresh tree: the signed payload is never mutated).
 */
export function processDisclosures(payload: JsonObject, disclosures: readonly Disclosure[], sdAlg: SdHashAlg): JsonObject {
  const byDigest = new Map<string, Disclosure>();
  for (const d of disclosures) {
    const digest = disclosureDigest(d, sdAlg);
    // The same disclosure twice would be referenced by one digest only: reject rather than guess.
    if (byDigest.has(digest)) throw new VerificationError('DISCLOSURE_DUPLICATE_DIGEST', 'the same disclosure is presented twice');
    byDigest.set(digest, d);
  }
  const st: State = { byDigest, seen: new Set(), used: new Set() };
  const claims = walkObject(st, payload, 0);
  if (st.used.size !== byDigest.size) {
    throw new VerificationError('DISCLOSURE_UNREFERENCED', `${byDigest.size - st.used.size} disclosure(s) are not referenced by any digest`);
  }
  return claims;
}
