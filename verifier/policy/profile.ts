import { claimValues } from '../../core/dcql/claim-path.js';
import { profileClaimPaths, type ProfileName } from '../../schemas/profiles/index.js';
import { VerificationError } from '../errors.js';

const PATHS = new Map<ProfileName, ReturnType<typeof profileClaimPaths>>();

/** Every claim the profile's DCQL query names must be disclosed. */
export function checkProfileClaims(profile: ProfileName, claims: Record<string, unknown>): void {
  let paths = PATHS.get(profile);
  if (!paths) PATHS.set(profile, (paths = profileClaimPaths(profile)));
  const missing = paths.filter((path) => claimValues(claims, path).length === 0);
  if (missing.length) {
    throw new VerificationError('PROFILE_NOT_SATISFIED', `profile ${profile} needs ${missing.map((p) => p.join('.')).join(', ')} disclosed`);
  }
}
