import { profileClaimPaths, type ProfileName } from '../../schemas/profiles/index.js';
import { VerificationError } from '../errors.js';
import { valuesAt } from './type-metadata-check.js';

/** Every claim the profile's DCQL query names must be disclosed. */
export function checkProfileClaims(profile: ProfileName, claims: Record<string, unknown>): void {
  const missing = profileClaimPaths(profile).filter((path) => valuesAt(claims, path).length === 0);
  if (missing.length) {
    throw new VerificationError('PROFILE_NOT_SATISFIED', `profile ${profile} needs ${missing.map((p) => p.join('.')).join(', ')} disclosed`);
  }
}
