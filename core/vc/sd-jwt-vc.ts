import { VerificationError } from '../verification-errors.js';

/**
 * SD-JWT VC (draft-ietf-oauth-sd-jwt-vc section 3.2.2.2): registered claims that MUST NOT be
 * selectively disclosed. A holder could otherwise choose the type, hide an expiry or a status
 * reference, or swap the key binding.
 */
export const SD_JWT_VC_NEVER_DISCLOSABLE = ['iss', 'nbf', 'exp', 'cnf', 'vct', 'vct#integrity', 'status'] as const;

/**
 * The clear-claim rule of an SD-JWT VC: none of SD_JWT_VC_NEVER_DISCLOSABLE may come from a
 * disclosure (`claims` are the payload with the disclosures applied). DISCLOSURE_FORBIDDEN_NAME.
 * A disclosure the holder withheld cannot be seen by any verifier: the rule binds the issuer.
 */
export function checkSdJwtVcClearClaims(payload: Record<string, unknown>, claims: Record<string, unknown>): void {
  for (const name of SD_JWT_VC_NEVER_DISCLOSABLE) {
    if (Object.hasOwn(claims, name) && !Object.hasOwn(payload, name)) {
      throw new VerificationError('DISCLOSURE_FORBIDDEN_NAME', `${name} must not be selectively disclosed in an SD-JWT VC (section 3.2.2.2)`);
    }
  }
}

/** SD-JWT VC (draft-ietf-oauth-sd-jwt-vc section 3.2.2.1): the credential type `vct`, a non-empty string. */
export function sdJwtVcType(claims: Record<string, unknown>): string {
  const vct = claims.vct;
  if (typeof vct !== 'string' || vct === '') throw new VerificationError('MALFORMED', 'an SD-JWT VC needs a vct');
  return vct;
}
