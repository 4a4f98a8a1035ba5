/** DCQL (OpenID4VP 1.0 sections 6 and 7): the query types, the validator, claims path pointers and matching. */
export type { ClaimsPathPointer, DcqlClaimQuery, DcqlCredentialQuery, DcqlCredentialSetQuery, DcqlQuery } from './types.js';
export { assertDcqlQuery, DcqlError, type DcqlValidationOptions } from './validate.js';
export { claimValues, isClaimsPathPointer, selectClaims, type SelectedClaim } from './claim-path.js';
export { matchClaimQuery, matchCredentialQuery, type DcqlMatch, type MatchableCredential } from './match.js';
export { requiredCredentialQueries, type RequiredQueries } from './credential-sets.js';
export { BUILT_IN_PROFILE_NAMES, parseTypeProfiles, TYPE_PROFILE_LIMITS, TYPE_PROFILE_NAME, type TypeProfiles } from './type-profiles.js';
