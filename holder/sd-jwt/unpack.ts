import { disclosureDigest, type Disclosure } from '../../core/sd-jwt/parse.js';
import type { SdHashAlg } from '../../core/sd-jwt/hash.js';
import { WalletError } from '../errors.js';

/**
 * One claim of an SD-JWT with every disclosure applied, and which disclosure (if any)
 * revealed it. The presentation builder walks this tree to find the fewest disclosures
 * a claim path needs: the claim's own, its ancestors', and those inside its value.
 */
export type ClaimNode = {
  /** The fully disclosed value (no `_sd`, `...` or `_sd_alg`). */
  value: unknown;
  /** Index into the disclosures of the disclosure that revealed this claim. */
  disclosure?: number;
  /** Object members or array elements (by index in the disclosed array). */
  children?: Map<string | number, ClaimNode>;
};

export type UnpackedSdJwt = {
  root: ClaimNode;
  /** The disclosed claim set (root.value), for display and matching. */
  claims: Record<string, unknown>;
};

function invalid(code: string, message: string): WalletError {
  return new WalletError('CREDENTIAL_INVALID', message, { details: [{ path: code, message }] });
}

const MAX_DEPTH = 64;

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/**
 * Applies the disclosures to the issuer payload (RFC 9901 section 7.1, holder side) and
 * rejects what a verifier would: duplicate digests, a disclosure no digest references,
 * the names `_sd`/`...` in a disclosure, a disclosed name that already exists, and a
 * disclosure of the wrong shape for where it is referenced.
 */
export function unpackSdJwt(payload: Record<string, unknown>, disclosures: Disclosure[], alg: SdHashAlg): UnpackedSdJwt {
  const byDigest = new Map<string, number>();
  disclosures.forEach((d, i) => {
    const digest = disclosureDigest(d, alg);
    if (byDigest.has(digest)) throw invalid('DISCLOSURE_DUPLICATE', 'the same disclosure appears twice');
    byDigest.set(digest, i);
  });
  const seen = new Set<string>();
  const used = new Set<number>();

  const claimDigest = (digest: unknown): number | undefined => {
    if (typeof digest !== 'string') throw invalid('DIGEST_INVALID', 'a digest is not a string');
    if (seen.has(digest)) throw invalid('DIGEST_DUPLICATE', 'a digest appears more than once');
    seen.add(digest);
    const idx = byDigest.get(digest);
    if (idx !== undefined) used.add(idx);
    return idx;
  };

  const walk = (value: unknown, top = false, depth = 0): ClaimNode => {
    if (depth > MAX_DEPTH) throw invalid('TOO_DEEP', `claims nest deeper than ${MAX_DEPTH} levels`);
    if (Array.isArray(value)) {
      const children = new Map<string | number, ClaimNode>();
      const out: unknown[] = [];
      for (const el of value) {
        if (isPlainObject(el) && '...' in el) {
          if (Object.keys(el).length !== 1) throw invalid('ARRAY_DIGEST_INVALID', 'an array digest object has other keys');
          const idx = claimDigest(el['...']);
          if (idx === undefined) continue; // undisclosed (or decoy) element: removed
          const d = disclosures[idx]!;
          if (d.name !== undefined) throw invalid('DISCLOSURE_SHAPE', 'an array element disclosure has a claim name');
          const node = walk(d.value, false, depth + 1);
          node.disclosure = idx;
          children.set(out.length, node);
          out.push(node.value);
        } else {
          const node = walk(el, false, depth + 1);
          children.set(out.length, node);
          out.push(node.value);
        }
      }
      return { value: out, children };
    }
    if (isPlainObject(value)) {
      const children = new Map<string | number, ClaimNode>();
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value)) {
        if (k === '_sd' || (top && k === '_sd_alg')) continue;
        if (k === '...') throw invalid('ARRAY_DIGEST_INVALID', '"..." outside an array');
        const node = walk(v, false, depth + 1);
        children.set(k, node);
        out[k] = node.value;
      }
      if ('_sd' in value) {
        const sd = value._sd;
        if (!Array.isArray(sd)) throw invalid('SD_INVALID', '_sd is not an array');
        for (const digest of sd) {
          const idx = claimDigest(digest);
          if (idx === undefined) continue; // decoy or withheld claim
          const d = disclosures[idx]!;
          if (d.name === undefined) throw invalid('DISCLOSURE_SHAPE', 'an object property disclosure has no claim name');
          if (d.name === '_sd' || d.name === '...') throw invalid('DISCLOSURE_NAME_RESERVED', `a disclosure uses the reserved name ${d.name}`);
          if (Object.hasOwn(out, d.name)) throw invalid('CLAIM_DUPLICATE', `claim ${d.name} is disclosed but already exists`);
          const node = walk(d.value, false, depth + 1);
          node.disclosure = idx;
          children.set(d.name, node);
          out[d.name] = node.value;
        }
      }
      return { value: out, children };
    }
    return { value };
  };

  const root = walk(payload, true);
  if (used.size !== disclosures.length) throw invalid('DISCLOSURE_UNREFERENCED', 'a disclosure is not referenced by any digest');
  return { root, claims: root.value as Record<string, unknown> };
}

/** Every disclosure inside a node's value (a whole object or array asked for as one claim). */
export function disclosuresWithin(node: ClaimNode, into: Set<number>): void {
  for (const child of node.children?.values() ?? []) {
    if (child.disclosure !== undefined) into.add(child.disclosure);
    disclosuresWithin(child, into);
  }
}
