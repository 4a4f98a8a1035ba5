import { VerificationError } from '../errors.js';

function numericDate(payload: Record<string, unknown>, name: string): number | undefined {
  const v = payload[name];
  if (v === undefined) return undefined;
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new VerificationError('MALFORMED', `${name} must be a NumericDate`);
  return v;
}

/** JWT `iat`, `nbf`, `exp` (RFC 7519) with a clock skew in seconds. */
export function checkJwtTimes(payload: Record<string, unknown>, now: number, skew: number): void {
  const exp = numericDate(payload, 'exp');
  const nbf = numericDate(payload, 'nbf');
  const iat = numericDate(payload, 'iat');
  if (exp !== undefined && now - skew >= exp) throw new VerificationError('CREDENTIAL_EXPIRED', `the credential expired at ${new Date(exp * 1000).toISOString()}`);
  if (nbf !== undefined && now + skew < nbf) throw new VerificationError('CREDENTIAL_NOT_YET_VALID', `the credential is not valid before ${new Date(nbf * 1000).toISOString()}`);
  if (iat !== undefined && now + skew < iat) throw new VerificationError('CREDENTIAL_NOT_YET_VALID', 'the credential was issued in the future');
}

function isoDate(vc: Record<string, unknown>, name: string): number | undefined {
  const v = vc[name];
  if (v === undefined) return undefined;
  const t = typeof v === 'string' ? Date.parse(v) : NaN;
  if (!Number.isFinite(t)) throw new VerificationError('MALFORMED', `${name} must be an XML Schema dateTime`);
  return Math.floor(t / 1000);
}

/** VCDM 2.0 `validFrom` / `validUntil` (the data's validity, next to the JWT's own times). */
export function checkValidityPeriod(vc: Record<string, unknown>, now: number, skew: number): void {
  const from = isoDate(vc, 'validFrom');
  const until = isoDate(vc, 'validUntil');
  if (until !== undefined && now - skew >= until) throw new VerificationError('CREDENTIAL_EXPIRED', `the credential is valid until ${String(vc.validUntil)}`);
  if (from !== undefined && now + skew < from) throw new VerificationError('CREDENTIAL_NOT_YET_VALID', `the credential is valid from ${String(vc.validFrom)}`);
}
