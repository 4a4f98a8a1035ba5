import { describe, expect, it } from 'vitest';
import { checkTimeClaims, JwtClaimError, type TimeClaimsOptions } from '../../core/index.js';
// Internals on purpose: the two comparisons every time check in core shares (status lists, W3C validity).
import { isAhead, isExpired } from '../../core/jose/claims.js';

const NOW = 1_800_000_000;

function failure(payload: Record<string, unknown>, options: Partial<TimeClaimsOptions> = {}): { code: string; claim: string; reason: string } | 'ACCEPTED' {
  try {
    checkTimeClaims(payload, { now: NOW, ...options });
  } catch (err) {
    if (!(err instanceof JwtClaimError)) throw err;
    return { code: err.code, claim: err.claim, reason: err.reason };
  }
  return 'ACCEPTED';
}

describe('core/jose/claims: the one iat / nbf / exp check', () => {
  it('returns the claims it read, and accepts a payload with none', () => {
    expect(checkTimeClaims({ iat: NOW - 10, nbf: NOW - 10, exp: NOW + 10, sub: 'x' }, { now: NOW })).toEqual({ iat: NOW - 10, nbf: NOW - 10, exp: NOW + 10 });
    expect(checkTimeClaims({}, { now: NOW })).toEqual({});
  });

  it('exp is reached at exp itself (RFC 7519), later within the tolerance', () => {
    expect(failure({ exp: NOW })).toEqual({ code: 'JWT_EXPIRED', claim: 'exp', reason: 'expired' });
    expect(failure({ exp: NOW + 1 })).toBe('ACCEPTED');
    expect(failure({ exp: NOW - 59 }, { clockTolerance: 60 })).toBe('ACCEPTED');
    expect(failure({ exp: NOW - 60 }, { clockTolerance: 60 })).toMatchObject({ code: 'JWT_EXPIRED' });
  });

  it('nbf and iat may not be ahead of now, beyond the tolerance', () => {
    expect(failure({ nbf: NOW })).toBe('ACCEPTED');
    expect(failure({ nbf: NOW + 1 })).toEqual({ code: 'JWT_NOT_YET_VALID', claim: 'nbf', reason: 'early' });
    expect(failure({ iat: NOW + 1 })).toEqual({ code: 'JWT_NOT_YET_VALID', claim: 'iat', reason: 'early' });
    expect(failure({ iat: NOW + 60 }, { clockTolerance: 60 })).toBe('ACCEPTED');
    expect(failure({ iat: NOW + 61 }, { clockTolerance: 60 })).toMatchObject({ code: 'JWT_NOT_YET_VALID' });
  });

  it('maxAge requires iat and bounds its age (tolerance included)', () => {
    expect(failure({}, { maxAge: 300 })).toEqual({ code: 'JWT_CLAIM_INVALID', claim: 'iat', reason: 'invalid' });
    expect(failure({ iat: NOW - 300 }, { maxAge: 300 })).toBe('ACCEPTED');
    expect(failure({ iat: NOW - 301 }, { maxAge: 300 })).toEqual({ code: 'JWT_EXPIRED', claim: 'iat', reason: 'expired' });
    expect(failure({ iat: NOW - 360 }, { maxAge: 300, clockTolerance: 60 })).toBe('ACCEPTED');
  });

  it.each([
    ['a string', '1800000000'],
    ['null', null],
    ['NaN', Number.NaN],
    ['Infinity', Number.POSITIVE_INFINITY],
  ])('a claim that is %s is invalid', (_, value) => {
    for (const claim of ['iat', 'nbf', 'exp']) expect(failure({ [claim]: value })).toEqual({ code: 'JWT_CLAIM_INVALID', claim, reason: 'invalid' });
  });

  it('required claims must be present', () => {
    expect(failure({ iat: NOW }, { required: ['exp'] })).toEqual({ code: 'JWT_CLAIM_INVALID', claim: 'exp', reason: 'invalid' });
  });

  it("error turns a failure into the caller's own error", () => {
    class Mine extends Error {}
    const error = (e: JwtClaimError) => new Mine(`the proof ${e.message} (${e.reason})`);
    expect(() => checkTimeClaims({ exp: NOW - 1 }, { now: NOW, error })).toThrow(Mine);
    expect(() => checkTimeClaims({ iat: NOW - 1000 }, { now: NOW, maxAge: 300, error })).toThrow('the proof is too old (more than 300 s) (expired)');
  });

  // Issue 18 (mutation testing): the messages read after a subject ("the proof is too old ...")
  // and name the time, so they are pinned; so are the boundaries with a tolerance.
  it('says what failed and when, in words that follow a subject', () => {
    const message = (payload: Record<string, unknown>, options: Partial<TimeClaimsOptions> = {}) => {
      try {
        checkTimeClaims(payload, { now: NOW, ...options });
      } catch (err) {
        return (err as Error).message;
      }
      return 'ACCEPTED';
    };
    expect(message({ exp: NOW })).toBe('expired at 2027-01-15T08:00:00.000Z');
    expect(message({ nbf: NOW + 1 })).toBe('is not valid before 2027-01-15T08:00:01.000Z');
    expect(message({ iat: NOW + 1 })).toBe('was issued in the future');
    expect(message({ iat: NOW - 301 }, { maxAge: 300 })).toBe('is too old (more than 300 s)');
    expect(message({}, { required: ['nbf'] })).toBe('nbf is missing');
    expect(message({ exp: 'soon' })).toBe('exp must be a NumericDate');
  });

  it('the tolerance widens every bound by exactly its value, and defaults to 0', () => {
    expect(failure({ iat: NOW - 361 }, { maxAge: 300, clockTolerance: 60 })).toEqual({ code: 'JWT_EXPIRED', claim: 'iat', reason: 'expired' });
    expect(failure({ nbf: NOW + 60 }, { clockTolerance: 60 })).toBe('ACCEPTED');
    expect(failure({ nbf: NOW + 61 }, { clockTolerance: 60 })).toMatchObject({ code: 'JWT_NOT_YET_VALID', claim: 'nbf' });
    expect([isExpired(NOW, NOW), isExpired(NOW + 1, NOW), isExpired(NOW - 9, NOW, 10), isExpired(NOW - 10, NOW, 10)]).toEqual([true, false, false, true]);
    expect([isAhead(NOW + 1, NOW), isAhead(NOW, NOW), isAhead(NOW + 10, NOW, 10), isAhead(NOW + 11, NOW, 10)]).toEqual([true, false, false, true]);
  });

  it('each failure is a JwtClaimError with the claim, the reason and its code', () => {
    const err = (() => {
      try {
        checkTimeClaims({ iat: NOW, exp: NOW - 1 }, { now: NOW });
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(JwtClaimError);
    expect(err).toMatchObject({ code: 'JWT_EXPIRED', claim: 'exp', reason: 'expired', message: 'expired at 2027-01-15T07:59:59.000Z' });
    // exp is judged before nbf, nbf before iat.
    expect(failure({ iat: NOW + 5, nbf: NOW + 5, exp: NOW })).toMatchObject({ claim: 'exp' });
    expect(failure({ iat: NOW + 5, nbf: NOW + 5 })).toMatchObject({ claim: 'nbf' });
    // iat is read first: an invalid iat is reported before an invalid exp.
    expect(failure({ iat: 'x', exp: 'y' })).toMatchObject({ claim: 'iat', reason: 'invalid' });
  });
});
