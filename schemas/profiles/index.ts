import lite from './lite.dcql.json' with { type: 'json' };
import upgraded from './upgraded.dcql.json' with { type: 'json' };

/** The identity credential's type (`vct`) shared by every role. */
export const RESIDENT_IDENTITY_VCT = 'urn:netcred:vct:resident-identity:1';

export type DcqlClaimQuery = { id?: string; path: (string | number | null)[]; values?: unknown[] };
export type DcqlCredentialQuery = {
  id: string;
  format: string;
  meta?: { vct_values?: string[]; [k: string]: unknown };
  claims?: DcqlClaimQuery[];
  claim_sets?: string[][];
  multiple?: boolean;
};
export type DcqlQuery = { credentials: DcqlCredentialQuery[]; credential_sets?: unknown[] };

export type ProfileName = 'lite' | 'upgraded';

/** The two disclosure profiles of the identity story, as named DCQL queries. */
export const PROFILES: Record<ProfileName, DcqlQuery> = { lite: lite as DcqlQuery, upgraded: upgraded as DcqlQuery };

export function isProfileName(name: unknown): name is ProfileName {
  return name === 'lite' || name === 'upgraded';
}

/** Top-level claim names a profile requires (for policy checks and wallet prompts). */
export function profileClaimPaths(name: ProfileName): (string | number | null)[][] {
  return PROFILES[name].credentials.flatMap((c) => (c.claims ?? []).map((q) => q.path));
}
