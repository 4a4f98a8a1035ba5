import type { DcqlQuery } from './types.js';

/** The credential queries that must be answered, or those that could not be. */
export type RequiredQueries = { ok: true; ids: string[] } | { ok: false; unsatisfied: string[] };

/**
 * Which credential queries must be answered (section 6.4.2), given those that can be: without
 * `credential_sets` all of them; with them, for each required set (`required` defaults to
 * true) its first option whose queries can all be answered. Optional sets are left out: they
 * may be answered, never must.
 */
export function requiredCredentialQueries(query: DcqlQuery, answerable: ReadonlySet<string>): RequiredQueries {
  if (!query.credential_sets) {
    const unsatisfied = query.credentials.map((c) => c.id).filter((id) => !answerable.has(id));
    return unsatisfied.length ? { ok: false, unsatisfied } : { ok: true, ids: query.credentials.map((c) => c.id) };
  }
  const ids = new Set<string>();
  for (const set of query.credential_sets) {
    if (set.required === false) continue;
    const option = set.options.find((o) => o.every((id) => answerable.has(id)));
    if (!option) return { ok: false, unsatisfied: [...new Set(set.options.flat())] };
    for (const id of option) ids.add(id);
  }
  return { ok: true, ids: [...ids] };
}
