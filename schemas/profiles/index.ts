import lite from './lite.dcql.json' with { type: 'json' };
import upgraded from './upgraded.dcql.json' with { type: 'json' };
import type { ClaimsPathPointer, DcqlQuery } from '../../core/dcql/types.js';

export type { DcqlClaimQuery, DcqlCredentialQuery, DcqlQuery } from '../../core/dcql/types.js';

/** The identity credential's type (`vct`) shared by every role. */
export const RESIDENT_IDENTITY_VCT = 'urn:netcred:vct:resident-identity:1';

/**
 * The lite companion's type: minted with each identity credential, carrying only the lite
 * claims, bound to the same key and sharing its status entry (docs/qr-transport.md). The `lite`
 * profile accepts it beside the identity credential; `upgraded` does not.
 */
export const RESIDENT_IDENTITY_LITE_VCT = `${RESIDENT_IDENTITY_VCT}/lite`;

export type ProfileName = 'lite' | 'upgraded';

/** The two disclosure profiles of the identity story, as named DCQL queries (`lite` answered by the identity credential or its lite companion). */
export const PROFILES: Record<ProfileName, DcqlQuery> = { lite: lite as DcqlQuery, upgraded: upgraded as DcqlQuery };

export function isProfileName(name: unknown): name is ProfileName {
  return name === 'lite' || name === 'upgraded';
}

/** Top-level claim names a profile requires (for policy checks and wallet prompts). */
export function profileClaimPaths(name: ProfileName): ClaimsPathPointer[] {
  return PROFILES[name].credentials.flatMap((c) => (c.claims ?? []).map((q) => q.path));
}
