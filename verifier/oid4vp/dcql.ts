import { InvalidInputError } from '../../core/errors.js';
import type { DcqlClaimQuery, DcqlCredentialQuery, DcqlQuery } from '../../schemas/profiles/index.js';

const QUERY_ID = /^[A-Za-z0-9_-]{1,64}$/;
const MAX_CREDENTIALS = 8;
const MAX_CLAIMS = 64;
const MAX_PATH = 16;

function fail(message: string): never {
  throw new InvalidInputError(`invalid DCQL query: ${message}`);
}

function checkPath(path: unknown, where: string): void {
  if (!Array.isArray(path) || path.length === 0 || path.length > MAX_PATH) fail(`${where}.path must be a non-empty array`);
  for (const el of path) {
    const ok = typeof el === 'string' || el === null || (typeof el === 'number' && Number.isInteger(el) && el >= 0);
    if (!ok) fail(`${where}.path elements are strings, non-negative integers or null`);
  }
}

/**
 * Checks the subset of DCQL (OpenID4VP 1.0 section 6) this verifier issues: SD-JWT VC credential
 * queries with claim paths, optional values and claim_sets. Anything else is refused up front
 * rather than half-understood when the answer comes back.
 */
export function assertDcqlQuery(value: unknown): asserts value is DcqlQuery {
  const q = value as DcqlQuery;
  if (!q || typeof q !== 'object' || Array.isArray(q)) fail('not an object');
  if (!Array.isArray(q.credentials) || q.credentials.length === 0 || q.credentials.length > MAX_CREDENTIALS) fail('credentials must be a non-empty array');
  if (q.credential_sets !== undefined) fail('credential_sets is not supported');
  const ids = new Set<string>();
  q.credentials.forEach((c, i) => {
    const where = `credentials[${i}]`;
    if (!c || typeof c !== 'object') fail(`${where} is not an object`);
    if (typeof c.id !== 'string' || !QUERY_ID.test(c.id)) fail(`${where}.id must match ${QUERY_ID}`);
    if (ids.has(c.id)) fail(`duplicate credential query id ${c.id}`);
    ids.add(c.id);
    if (c.format !== 'dc+sd-jwt' && c.format !== 'vc+sd-jwt') fail(`${where}.format must be dc+sd-jwt`);
    const vcts = c.meta?.vct_values;
    if (vcts !== undefined && (!Array.isArray(vcts) || vcts.some((v) => typeof v !== 'string'))) fail(`${where}.meta.vct_values must be strings`);
    if (c.claims !== undefined) {
      if (!Array.isArray(c.claims) || c.claims.length === 0 || c.claims.length > MAX_CLAIMS) fail(`${where}.claims must be a non-empty array`);
      c.claims.forEach((cl, j) => {
        checkPath(cl?.path, `${where}.claims[${j}]`);
        if (cl.values !== undefined && (!Array.isArray(cl.values) || cl.values.some((v) => v === null || typeof v === 'object'))) fail(`${where}.claims[${j}].values must be primitives`);
        if (cl.id !== undefined && (typeof cl.id !== 'string' || !QUERY_ID.test(cl.id))) fail(`${where}.claims[${j}].id is invalid`);
      });
    }
    if (c.claim_sets !== undefined) {
      const claimIds = new Set((c.claims ?? []).map((cl) => cl.id));
      if (!Array.isArray(c.claim_sets) || c.claim_sets.length === 0) fail(`${where}.claim_sets must be a non-empty array`);
      for (const set of c.claim_sets) {
        if (!Array.isArray(set) || set.some((id) => typeof id !== 'string' || !claimIds.has(id))) fail(`${where}.claim_sets must list claim ids`);
      }
    }
  });
}

/** Every value a claim path selects (DCQL section 7: null selects all array elements). */
export function selectPath(claims: unknown, path: readonly (string | number | null)[]): unknown[] {
  let current: unknown[] = [claims];
  for (const el of path) {
    const next: unknown[] = [];
    for (const node of current) {
      if (el === null) {
        if (Array.isArray(node)) next.push(...node);
      } else if (typeof el === 'number') {
        if (Array.isArray(node) && el < node.length) next.push(node[el]);
      } else if (node && typeof node === 'object' && !Array.isArray(node) && Object.hasOwn(node, el)) {
        next.push((node as Record<string, unknown>)[el]);
      }
    }
    current = next;
  }
  return current;
}

function claimMatches(claims: Record<string, unknown>, q: DcqlClaimQuery): boolean {
  const found = selectPath(claims, q.path).filter((v) => v !== undefined);
  if (found.length === 0) return false;
  return q.values === undefined || found.some((v) => q.values!.includes(v));
}

/**
 * The first claim path of the credential query the presented claims do not satisfy, or undefined
 * when they satisfy it. With claim_sets, one set must be fully satisfied.
 */
export function unsatisfiedClaim(query: DcqlCredentialQuery, presented: { vct?: string; claims: Record<string, unknown> }): string | undefined {
  const vcts = query.meta?.vct_values;
  if (vcts && (presented.vct === undefined || !vcts.includes(presented.vct))) return `vct ${String(presented.vct)} is not one of ${vcts.join(', ')}`;
  const claims = query.claims ?? [];
  const missing = (list: DcqlClaimQuery[]): DcqlClaimQuery | undefined => list.find((q) => !claimMatches(presented.claims, q));
  if (!query.claim_sets) {
    const m = missing(claims);
    return m && `claim ${JSON.stringify(m.path)} is not disclosed`;
  }
  const byId = new Map(claims.map((c) => [c.id, c]));
  for (const set of query.claim_sets) {
    if (!missing(set.map((id) => byId.get(id)!))) return undefined;
  }
  return 'no claim set of the query is fully disclosed';
}
