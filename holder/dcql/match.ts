import { disclosuresWithin, type ClaimNode } from '../../core/sd-jwt/claim-tree.js';
import type { ClaimPath, DcqlClaimQuery, DcqlCredentialQuery } from './query.js';

/** A credential as DCQL matching sees it: its format (typ), vct and disclosed claim tree. */
export type MatchableCredential = { format: string; vct?: string; root: ClaimNode };

export type DisclosedClaim = { path: (string | number)[]; value: unknown };

export type CredentialMatch = {
  /** Indexes of the disclosures to reveal: the fewest that satisfy the query. */
  disclosures: Set<number>;
  claims: DisclosedClaim[];
};

/** Nodes a claims path points to (OpenID4VP 1.0 section 7: string = member, null = every element, n = element n). */
function select(root: ClaimNode, path: ClaimPath): { node: ClaimNode; chain: ClaimNode[]; concrete: (string | number)[] }[] {
  let current = [{ node: root, chain: [] as ClaimNode[], concrete: [] as (string | number)[] }];
  for (const step of path) {
    const next: typeof current = [];
    for (const { node, chain, concrete } of current) {
      const isArray = Array.isArray(node.value);
      const isObject = node.value !== null && typeof node.value === 'object' && !isArray;
      if (typeof step === 'string' && isObject) {
        const child = node.children?.get(step);
        if (child) next.push({ node: child, chain: [...chain, child], concrete: [...concrete, step] });
      } else if (step === null && isArray) {
        for (const [i, child] of node.children ?? []) next.push({ node: child, chain: [...chain, child], concrete: [...concrete, i] });
      } else if (typeof step === 'number' && isArray) {
        const child = node.children?.get(step);
        if (child) next.push({ node: child, chain: [...chain, child], concrete: [...concrete, step] });
      }
    }
    current = next;
    if (current.length === 0) break;
  }
  return current;
}

/** Matches one claim query; undefined if the credential does not have it (or not with an allowed value). */
export function matchClaim(root: ClaimNode, q: DcqlClaimQuery): CredentialMatch | undefined {
  let hits = select(root, q.path);
  if (q.values) {
    const allowed = q.values;
    hits = hits.filter(({ node }) => allowed.some((v) => v === node.value));
  }
  if (hits.length === 0) return undefined;
  const disclosures = new Set<number>();
  for (const { node, chain } of hits) {
    for (const n of chain) if (n.disclosure !== undefined) disclosures.add(n.disclosure);
    disclosuresWithin(node, disclosures);
  }
  return { disclosures, claims: hits.map(({ node, concrete }) => ({ path: concrete, value: node.value })) };
}

function merge(parts: CredentialMatch[]): CredentialMatch {
  const disclosures = new Set<number>();
  const claims: DisclosedClaim[] = [];
  for (const p of parts) {
    p.disclosures.forEach((d) => disclosures.add(d));
    claims.push(...p.claims);
  }
  return { disclosures, claims };
}

/**
 * Matches one credential query against one credential. With `claim_sets`, the first option
 * the credential satisfies wins (the verifier lists them by preference); without claims,
 * nothing selectively disclosable is revealed.
 */
export function matchCredentialQuery(cred: MatchableCredential, q: DcqlCredentialQuery): CredentialMatch | undefined {
  if (q.format !== cred.format) return undefined;
  const vcts = q.meta?.vct_values;
  if (vcts && (cred.vct === undefined || !vcts.includes(cred.vct))) return undefined;
  if (!q.claims) return { disclosures: new Set(), claims: [] };
  const results = q.claims.map((c) => matchClaim(cred.root, c));
  if (!q.claim_sets) return results.every((r) => r) ? merge(results as CredentialMatch[]) : undefined;
  for (const option of q.claim_sets) {
    const picked = option.map((id) => results[q.claims!.findIndex((c) => c.id === id)]);
    if (picked.every((r) => r)) return merge(picked as CredentialMatch[]);
  }
  return undefined;
}
