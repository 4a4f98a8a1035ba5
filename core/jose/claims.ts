import { JoseError } from '../errors.js';

/** The JWT time claims (RFC 7519 section 4.1), NumericDates: seconds since the epoch. */
export type TimeClaims = { iat?: number; nbf?: number; exp?: number };
export type TimeClaim = keyof TimeClaims;

/** Why a claim failed: not a NumericDate (or missing), past (`exp`, an `iat` too old), ahead (`nbf`, `iat`). */
export type TimeClaimFailure = 'invalid' | 'expired' | 'early';

const CODES = { invalid: 'JWT_CLAIM_INVALID', expired: 'JWT_EXPIRED', early: 'JWT_NOT_YET_VALID' } as const;

/** A time claim check that failed; callers usually report it under their own code (`error` option). */
export class JwtClaimError extends JoseError {
  declare readonly code: (typeof CODES)[TimeClaimFailure];
  readonly claim: TimeClaim;
  readonly reason: TimeClaimFailure;
  constructor(claim: TimeClaim, reason: TimeClaimFailure, message: string) {
    super(CODES[reason], message);
    this.claim = claim;
    this.reason = reason;
  }
}

/**
 * How checkTimeClaims judges `iat`, `nbf` and `exp`: the time, the clock tolerance, the maximum age,
 * the claims that must be present.
 */
export type TimeClaimsOptions = {
  /** The verification time, in seconds since the epoch. */
  now: number;
  /** Clock difference allowed either way, in seconds (default 0). */
  clockTolerance?: number;
  /** How old `iat` may be, in seconds; makes `iat` required. */
  maxAge?: number;
  required?: readonly TimeClaim[];
  /** Turns a failure into the caller's own error (default: the JwtClaimError itself). */
  error?: (failure: JwtClaimError) => Error;
};

/** `exp` is reached at `now`: from `exp` on, the JWT must not be accepted (RFC 7519 section 4.1.4). */
export function isExpired(exp: number, now: number, clockTolerance = 0): boolean {
  return exp <= now - clockTolerance;
}

/** A time (`nbf`, `iat`, `validFrom`) still ahead of `now`. */
export function isAhead(time: number, now: number, clockTolerance = 0): boolean {
  return time > now + clockTolerance;
}

const iso = (t: number) => new Date(t * 1000).toISOString();

/**
 * The one check of `iat`, `nbf` and `exp` (as jose's jwt_claims_set): each present one must be a
 * finite number; `exp` must not be reached, `nbf` and `iat` not be ahead, `iat` not be older than
 * `maxAge`, all within `clockTolerance`. Returns the claims read. A failure's message reads after
 * a subject ("the credential expired at ...", "KB-JWT is too old (more than 300 s)").
 */
export function checkTimeClaims(payload: Record<string, unknown>, options: TimeClaimsOptions): TimeClaims {
  const { now, maxAge } = options;
  const tolerance = options.clockTolerance ?? 0;
  const fail = (claim: TimeClaim, reason: TimeClaimFailure, message: string) => {
    const failure = new JwtClaimError(claim, reason, message);
    throw options.error ? options.error(failure) : failure;
  };
  const required = new Set<TimeClaim>(options.required);
  if (maxAge !== undefined) required.add('iat');
  const claims: TimeClaims = {};
  for (const claim of ['iat', 'nbf', 'exp'] as const) {
    const value = payload[claim];
    if (value === undefined) {
      if (required.has(claim)) fail(claim, 'invalid', `${claim} is missing`);
    } else if (typeof value !== 'number' || !Number.isFinite(value)) {
      fail(claim, 'invalid', `${claim} must be a NumericDate`);
    } else {
      claims[claim] = value;
    }
  }
  const { iat, nbf, exp } = claims;
  if (exp !== undefined && isExpired(exp, now, tolerance)) fail('exp', 'expired', `expired at ${iso(exp)}`);
  if (nbf !== undefined && isAhead(nbf, now, tolerance)) fail('nbf', 'early', `is not valid before ${iso(nbf)}`);
  if (iat !== undefined && isAhead(iat, now, tolerance)) fail('iat', 'early', 'was issued in the future');
  if (iat !== undefined && maxAge !== undefined && iat < now - maxAge - tolerance) fail('iat', 'expired', `is too old (more than ${maxAge} s)`);
  return claims;
}
