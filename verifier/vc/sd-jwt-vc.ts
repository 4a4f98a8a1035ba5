import { VerificationError } from '../errors.js';
import type { StoreIssuer } from '../trust/store.js';

export const SD_JWT_VC_TYP = 'dc+sd-jwt';

/** SD-JWT VC claims (draft-ietf-oauth-sd-jwt-vc): `vct` present and accepted from this issuer. */
export function checkSdJwtVc(claims: Record<string, unknown>, issuer: StoreIssuer): { vct: string } {
  const vct = claims.vct;
  if (typeof vct !== 'string' || vct === '') throw new VerificationError('MALFORMED', 'an SD-JWT VC needs a vct');
  if (!issuer.vct.has(vct)) throw new VerificationError('ISSUER_UNTRUSTED', `issuer ${issuer.entry.id} is not trusted for vct ${vct}`);
  return { vct };
}
