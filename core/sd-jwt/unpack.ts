import { SdJwtFormatError, disclosureDigest, type Disclosure } from './parse.js';
import type { SdHashAlg } from './hash.js';

export type UnpackResult = {
  /** The payload with every disclosure applied; `_sd`, `_sd_alg` and undisclosed `...` elements removed. */
  claims: Record<string, unknown>;
  /** Digests (of the given disclosures) that the payload or another disclosure references. */
  referenced: Set<string>;
  /** RFC 9901 section 7.1 violations found; a strict caller rejects when this is not empty. */
  problems: { code: string; message: string }[];
};

const MAX_DEPTH = 64;

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Applies disclosures to an SD-JWT payload (RFC 9901 section 7.1 steps 3-5), recording every
 * violation instead of stopping at the first, so a decoder can show them and a verifier can
 * reject on any. Digests are over the encoded disclosures, never re-serialized JSON.
 */
export function unpackSdJwt(payload: Record<string, unknown>, disclosures: Disclosure[], alg: SdHashAlg = 'sha-256'): UnpackResult {
  const problems: UnpackResult['problems'] = [];
  const byDigest = new Map<string, Disclosure>();
  for (const d of disclosures) {
    const digest = disclosureDigest(d, alg);
    if (byDigest.has(digest)) problems.push({ code: 'DISCLOSURE_DUPLICATE', message: `disclosure ${digest} is present twice` });
    byDigest.set(digest, d);
  }
  const seen = new Set<string>();
  const referenced = new Set<string>();

  const take = (digest: unknown, where: string): Disclosure | undefined => {
    if (typeof digest !== 'string') {
      problems.push({ code: 'DIGEST_MALFORMED', message: `${where}: a digest is not a string` });
      return undefined;
    }
    if (seen.has(digest)) problems.push({ code: 'DIGEST_DUPLICATE', message: `${where}: digest ${digest} appears more than once` });
    seen.add(digest);
    const d = byDigest.get(digest);
    if (d) referenced.add(digest);
    return d;
  };

  const walk = (value: unknown, path: string, depth: number): unknown => {
    if (depth > MAX_DEPTH) {
      problems.push({ code: 'TOO_DEEP', message: `${path}: nesting deeper than ${MAX_DEPTH}` });
      return undefined;
    }
    if (Array.isArray(value)) {
      const out: unknown[] = [];
      value.forEach((el, i) => {
        if (isObject(el) && Object.hasOwn(el, '...')) {
          if (Object.keys(el).length !== 1) problems.push({ code: 'ARRAY_DIGEST_MALFORMED', message: `${path}[${i}]: "..." object has other members` });
          const d = take(el['...'], `${path}[${i}]`);
          if (!d) return; // undisclosed (or decoy) element: removed
          if (d.name !== undefined) problems.push({ code: 'DISCLOSURE_MISPLACED', message: `${path}[${i}]: an object-property disclosure is referenced as an array element` });
          out.push(walk(d.value, `${path}[${i}]`, depth + 1));
        } else out.push(walk(el, `${path}[${i}]`, depth + 1));
      });
      return out;
    }
    if (!isObject(value)) return value;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      if (k === '_sd' || (depth === 0 && k === '_sd_alg')) continue;
      out[k] = walk(v, path ? `${path}.${k}` : k, depth + 1);
    }
    if (Object.hasOwn(value, '_sd')) {
      const sd = value._sd;
      if (!Array.isArray(sd)) problems.push({ code: 'SD_MALFORMED', message: `${path || '$'}: _sd is not an array` });
      else {
        for (const digest of sd) {
          const d = take(digest, path || '$');
          if (!d) continue;
          if (d.name === undefined) {
            problems.push({ code: 'DISCLOSURE_MISPLACED', message: `${path || '$'}: an array-element disclosure is referenced from _sd` });
            continue;
          }
          if (d.name === '_sd' || d.name === '...') {
            problems.push({ code: 'DISCLOSURE_INVALID_NAME', message: `${path || '$'}: a disclosure may not be named ${d.name}` });
            continue;
          }
          if (Object.hasOwn(out, d.name)) {
            problems.push({ code: 'CLAIM_DUPLICATE', message: `${path || '$'}: claim ${d.name} is disclosed but already present` });
            continue;
          }
          out[d.name] = walk(d.value, path ? `${path}.${d.name}` : d.name, depth + 1);
        }
      }
    }
    return out;
  };

  const claims = walk(payload, '', 0) as Record<string, unknown>;
  for (const digest of byDigest.keys()) {
    if (!referenced.has(digest)) problems.push({ code: 'DISCLOSURE_UNREFERENCED', message: `disclosure ${digest} is not referenced by any digest` });
  }
  return { claims, referenced, problems };
}

/** Throws the first problem of an unpack result as a typed error. */
export function assertUnpacked(result: UnpackResult): Record<string, unknown> {
  const first = result.problems[0];
  if (first) throw new SdJwtFormatError(first.code, first.message);
  return result.claims;
}
