import type { DcqlQuery } from '../../core/dcql/types.js';
import { NetcredError } from '../../core/errors.js';
import type { TrustStore } from './store.js';
import { assertKnownTypeProfile } from './type-profiles.js';

/**
 * A registered type's profile as the query of an OpenID4VP request: the DCQL the request sends,
 * and the issuers whose bundle entry defines that profile (the answer's credential must come from
 * one of them, so another issuer's card of the same vct cannot satisfy it).
 */
export type RequestTypeProfile = { name: string; dcql: DcqlQuery; issuers: string[] };

/** JSON with object keys sorted: two queries are the same query whatever order their keys came in. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object')
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  return JSON.stringify(value);
}

/**
 * The query of profile `name` for a request, when no credential is at hand yet to say whose
 * applies (verify picks by the credential's issuer and vct; a request cannot). The name must be
 * unambiguous in the bundle: every issuer and type that defines it defines the same query.
 * PROFILE_UNKNOWN when none does; PROFILE_AMBIGUOUS, naming them, when their queries differ.
 */
export function requestTypeProfile(trust: TrustStore, name: string, bundleFile?: string): RequestTypeProfile {
  assertKnownTypeProfile(trust, name, bundleFile);
  const defined: { issuer: string; vct: string; query: DcqlQuery; key: string }[] = [];
  for (const issuer of trust.bundle.issuers)
    for (const [vct, named] of Object.entries(issuer.profiles ?? {}))
      if (Object.hasOwn(named, name)) defined.push({ issuer: issuer.id, vct, query: named[name]!, key: canonical(named[name]) });
  if (new Set(defined.map((d) => d.key)).size > 1) {
    throw new NetcredError(
      'PROFILE_AMBIGUOUS',
      `profile ${name} is defined differently by ${defined.map((d) => `${d.issuer} (${d.vct})`).join(', ')}: a request cannot tell whose query to send; pass the DCQL query you want instead (netcred verifier request --dcql FILE, or dcql_query in POST /oid4vp/requests)`,
      { details: defined.map((d) => ({ path: `issuers/${d.issuer}/profiles/${d.vct}/${name}`, message: 'defines it' })) },
    );
  }
  return { name, dcql: structuredClone(defined[0]!.query), issuers: [...new Set(defined.map((d) => d.issuer))].sort() };
}
