import { describe, expect, it } from 'vitest';
import { checkTimeClaims, JwtClaimError, type TimeClaimsOptions } from '../../core/index.js';

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
});
