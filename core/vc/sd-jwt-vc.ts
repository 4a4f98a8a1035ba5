import { VerificationError } from '../verification-errors.js';

/** SD-JWT VC (draft-ietf-oauth-sd-jwt-vc section 3.2.2.1): the credential type `vct`, a non-empty string. */
export function sdJwtVcType(claims: Record<string, unknown>): string {
  const vct = claims.vct;
  if (typeof vct !== 'string' || vct === '') throw new VerificationError('MALFORMED', 'an SD-JWT VC needs a vct');
  return vct;
}
