import { checkTimeClaims, isAhead, isExpired } from '../jose/claims.js';
import { VerificationError, type VerifyCode } from '../verification-errors.js';

const CODES: Record<'invalid' | 'expired' | 'early', VerifyCode> = { invalid: 'MALFORMED', expired: 'CREDENTIAL_EXPIRED', early: 'CREDENTIAL_NOT_YET_VALID' };

/** The credential's JWT `iat`, `nbf` and `exp` (core/jose/claims.ts), as verdicts. */
export function checkJwtValidity(payload: Record<string, unknown>, now: number, clockTolerance: number): void {
  checkTimeClaims(payload, {
    now,
    clockTolerance,
    error: (e) => new VerificationError(CODES[e.reason], e.reason === 'invalid' ? e.message : `the credential ${e.message}`, { cause: e }),
  });
}

function isoDate(vc: Record<string, unknown>, name: string): number | undefined {
  const v = vc[name];
  if (v === undefined) return undefined;
  const t = typeof v === 'string' ? Date.parse(v) : NaN;
  if (!Number.isFinite(t)) throw new VerificationError('MALFORMED', `${name} must be an XML Schema dateTime`);
  return Math.floor(t / 1000);
}

/** VCDM 2.0 `validFrom` / `validUntil`: the data's validity, next to the JWT's own times. */
export function checkValidityPeriod(vc: Record<string, unknown>, now: number, clockTolerance: number): void {
  const from = isoDate(vc, 'validFrom');
  const until = isoDate(vc, 'validUntil');
  if (until !== undefined && isExpired(until, now, clockTolerance))
    throw new VerificationError('CREDENTIAL_EXPIRED', `the credential is valid until ${String(vc.validUntil)}`);
  if (from !== undefined && isAhead(from, now, clockTolerance))
    throw new VerificationError('CREDENTIAL_NOT_YET_VALID', `the credential is valid from ${String(vc.validFrom)}`);
}
