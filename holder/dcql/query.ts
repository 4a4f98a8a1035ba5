import type { DcqlClaimQuery, DcqlCredentialQuery, DcqlQuery } from '../../schemas/profiles/index.js';
import { WalletError } from '../errors.js';

export type { DcqlClaimQuery, DcqlCredentialQuery, DcqlQuery };
export type ClaimPath = (string | number | null)[];
export type CredentialSetQuery = { options: string[][]; required?: boolean };

const ID = /^[A-Za-z0-9_-]+$/;
const MAX_ITEMS = 64;

function bad(path: string, message: string): WalletError {
  return new WalletError('DCQL_INVALID', `invalid DCQL query: ${path} ${message}`, { details: [{ path, message }] });
}

function isObj(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** Validates a DCQL query (OpenID4VP 1.0 section 6) strictly enough that matching cannot misread it. */
export function assertDcqlQuery(value: unknown): asserts value is DcqlQuery {
  if (!isObj(value)) throw bad('$', 'is not an object');
  const creds = value.credentials;
  if (!Array.isArray(creds) || creds.length === 0 || creds.length > MAX_ITEMS) throw bad('credentials', `must be a non-empty array (at most ${MAX_ITEMS})`);
  const ids = new Set<string>();
  creds.forEach((c, i) => {
    const at = `credentials[${i}]`;
    if (!isObj(c)) throw bad(at, 'is not an object');
    if (typeof c.id !== 'string' || !ID.test(c.id)) throw bad(`${at}.id`, 'must be alphanumeric, "_" or "-"');
    if (ids.has(c.id)) throw bad(`${at}.id`, 'is not unique');
    ids.add(c.id);
    if (typeof c.format !== 'string') throw bad(`${at}.format`, 'must be a string');
    if (c.meta !== undefined) {
      if (!isObj(c.meta)) throw bad(`${at}.meta`, 'must be an object');
      const vv = c.meta.vct_values;
      if (vv !== undefined && (!Array.isArray(vv) || vv.length === 0 || !vv.every((v) => typeof v === 'string'))) throw bad(`${at}.meta.vct_values`, 'must be a non-empty array of strings');
    }
    if (c.multiple !== undefined && typeof c.multiple !== 'boolean') throw bad(`${at}.multiple`, 'must be a boolean');
    const claimIds = new Set<string>();
    if (c.claims !== undefined) {
      if (!Array.isArray(c.claims) || c.claims.length === 0 || c.claims.length > MAX_ITEMS) throw bad(`${at}.claims`, 'must be a non-empty array');
      c.claims.forEach((q: unknown, j: number) => {
        const cat = `${at}.claims[${j}]`;
        if (!isObj(q)) throw bad(cat, 'is not an object');
        if (!Array.isArray(q.path) || q.path.length === 0 || q.path.length > 16) throw bad(`${cat}.path`, 'must be a non-empty array');
        for (const p of q.path) {
          if (!(typeof p === 'string' || p === null || (Number.isSafeInteger(p) && (p as number) >= 0))) throw bad(`${cat}.path`, 'elements must be strings, null or non-negative integers');
        }
        if (q.values !== undefined) {
          if (!Array.isArray(q.values) || q.values.length === 0 || !q.values.every((v) => ['string', 'number', 'boolean'].includes(typeof v))) throw bad(`${cat}.values`, 'must be a non-empty array of strings, numbers or booleans');
        }
        if (q.id !== undefined) {
          if (typeof q.id !== 'string' || !ID.test(q.id)) throw bad(`${cat}.id`, 'must be alphanumeric, "_" or "-"');
          if (claimIds.has(q.id)) throw bad(`${cat}.id`, 'is not unique');
          claimIds.add(q.id);
        }
      });
    }
    if (c.claim_sets !== undefined) {
      if (c.claims === undefined) throw bad(`${at}.claim_sets`, 'requires claims');
      if (!Array.isArray(c.claim_sets) || c.claim_sets.length === 0) throw bad(`${at}.claim_sets`, 'must be a non-empty array');
      for (const set of c.claim_sets as unknown[]) {
        if (!Array.isArray(set) || set.length === 0 || !set.every((id) => typeof id === 'string' && claimIds.has(id))) throw bad(`${at}.claim_sets`, 'must list ids of claims of this credential query');
      }
    }
  });
  if (value.credential_sets !== undefined) {
    const sets = value.credential_sets;
    if (!Array.isArray(sets) || sets.length === 0) throw bad('credential_sets', 'must be a non-empty array');
    sets.forEach((s, i) => {
      if (!isObj(s) || !Array.isArray(s.options) || s.options.length === 0) throw bad(`credential_sets[${i}].options`, 'must be a non-empty array');
      for (const o of s.options) {
        if (!Array.isArray(o) || o.length === 0 || !o.every((id) => typeof id === 'string' && ids.has(id))) throw bad(`credential_sets[${i}].options`, 'must list credential query ids');
      }
      if (s.required !== undefined && typeof s.required !== 'boolean') throw bad(`credential_sets[${i}].required`, 'must be a boolean');
    });
  }
}
