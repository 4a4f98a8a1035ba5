import { selectClaims, type SelectedClaim } from './claim-path.js';
import type { DcqlClaimQuery, DcqlCredentialQuery } from './types.js';

/** A credential as matching sees it: its format (absent: the caller has matched it), its type and its claims as JSON. */
export type MatchableCredential = { format?: string; vct?: string; claims: unknown };

/** The claims to present for one credential query, or why the credential does not satisfy it. */
export type DcqlMatch = { ok: true; claims: SelectedClaim[] } | { ok: false; reason: string };

/** The claims one claims query selects; with `values`, only those whose type and value match one of them (section 6.4.1). */
export function matchClaimQuery(claims: unknown, q: DcqlClaimQuery): SelectedClaim[] {
  const hits = selectClaims(claims, q.path);
  const allowed = q.values;
  return allowed ? hits.filter((h) => allowed.some((v) => v === h.value)) : hits;
}

/** The claims of several claims queries, each once (section 6.1: a claim queried twice is one claim). */
function union(parts: SelectedClaim[][]): SelectedClaim[] {
  const byPath = new Map<string, SelectedClaim>();
  for (const c of parts.flat()) if (!byPath.has(JSON.stringify(c.path))) byPath.set(JSON.stringify(c.path), c);
  return [...byPath.values()];
}

/**
 * Matches one credential query against one credential (section 6.4.1): format, `vct_values`,
 * then every claims query, or with `claim_sets` the first option the credential satisfies (the
 * verifier lists them by preference). Without `claims`, nothing selectively disclosable is asked for.
 */
export function matchCredentialQuery(cred: MatchableCredential, q: DcqlCredentialQuery): DcqlMatch {
  if (cred.format !== undefined && cred.format !== q.format) return { ok: false, reason: `format ${cred.format} is not ${q.format}` };
  const vcts = q.meta?.vct_values;
  if (vcts && (cred.vct === undefined || !vcts.includes(cred.vct))) return { ok: false, reason: `vct ${String(cred.vct)} is not one of ${vcts.join(', ')}` };
  const queries = q.claims ?? [];
  const hits = queries.map((c) => matchClaimQuery(cred.claims, c));
  if (!q.claim_sets) {
    const missing = queries.filter((_, i) => hits[i]!.length === 0);
    if (missing.length === 0) return { ok: true, claims: union(hits) };
    const names = missing.map((m) => `${JSON.stringify(m.path)}${m.values ? ' (or none of the values asked for)' : ''}`);
    return { ok: false, reason: `${missing.length === 1 ? 'claim' : 'claims'} ${names.join(', ')} ${missing.length === 1 ? 'is' : 'are'} missing` };
  }
  for (const option of q.claim_sets) {
    const picked = option.map((id) => hits[queries.findIndex((c) => c.id === id)]!);
    if (picked.every((h) => h.length > 0)) return { ok: true, claims: union(picked) };
  }
  return { ok: false, reason: 'no claim set of the query is satisfied' };
}
