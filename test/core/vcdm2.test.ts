import { describe, expect, it } from 'vitest';
import { checkVcdm2, checkVcJoseHeader, credentialOfClaims, isNetcredError, VC_V2_CONTEXT } from '../../core/index.js';

const ISSUER = 'did:example:issuer';
const base = { '@context': [VC_V2_CONTEXT], type: ['VerifiableCredential', 'X'], issuer: ISSUER, iss: ISSUER, credentialSubject: { id: 'did:example:holder' } };

/** The code a check throws, or ACCEPTED. */
function codeOf(check: () => void): string {
  try {
    check();
    return 'ACCEPTED';
  } catch (err) {
    return isNetcredError(err) ? err.code : String(err);
  }
}

describe('core/vc/vcdm2: the VCDM 2.0 rules every role verifies with', () => {
  it('accepts a well-formed claim set, issuer as a string or an object', () => {
    expect(codeOf(() => checkVcdm2(base, base))).toBe('ACCEPTED');
    const objectIssuer = { ...base, issuer: { id: ISSUER, name: 'Issuer' } };
    expect(codeOf(() => checkVcdm2(objectIssuer, objectIssuer))).toBe('ACCEPTED');
  });

  it('refuses the shape errors (MALFORMED), iss not issuer (ISSUER_UNTRUSTED), an SD-JWT VC under vc+sd-jwt (TYP_INVALID)', () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ ...base, '@context': ['https://www.w3.org/2018/credentials/v1'] }, 'MALFORMED'],
      [{ ...base, '@context': VC_V2_CONTEXT }, 'MALFORMED'],
      [{ ...base, type: 'VerifiableCredential' }, 'MALFORMED'],
      [{ ...base, type: ['X'] }, 'MALFORMED'],
      [{ ...base, credentialSubject: null }, 'MALFORMED'],
      [{ ...base, iss: 'did:example:other' }, 'ISSUER_UNTRUSTED'],
      [{ iss: ISSUER, vct: 'urn:example:vct' }, 'TYP_INVALID'],
    ];
    for (const [payload, code] of cases)
      expect(
        codeOf(() => checkVcdm2(payload, payload)),
        JSON.stringify(payload),
      ).toBe(code);
  });

  it.each(['@context', 'type', 'issuer', 'id', 'credentialStatus', 'credentialSchema', 'validFrom', 'validUntil', 'iss', 'exp', 'cnf', 'status'])(
    'refuses %s selectively disclosed (DISCLOSURE_FORBIDDEN_NAME)',
    (name) => {
      const { [name]: _gone, ...payload } = {
        ...base,
        id: 'urn:uuid:1',
        credentialStatus: {},
        credentialSchema: {},
        validFrom: '2026-01-01T00:00:00Z',
        validUntil: '2027-01-01T00:00:00Z',
        exp: 1,
        cnf: {},
        status: {},
      } as Record<string, unknown>;
      const claims = {
        ...payload,
        [name]: name === '@context' ? [VC_V2_CONTEXT] : name === 'type' ? base.type : name === 'issuer' || name === 'iss' ? ISSUER : 'x',
      };
      expect(codeOf(() => checkVcdm2(payload, claims))).toBe('DISCLOSURE_FORBIDDEN_NAME');
    },
  );

  it('the header: typ is the media type, cty (when present) vc', () => {
    expect(codeOf(() => checkVcJoseHeader({ typ: 'vc+sd-jwt', cty: 'vc' }, 'vc+sd-jwt'))).toBe('ACCEPTED');
    expect(codeOf(() => checkVcJoseHeader({ typ: 'vc+jwt' }, 'vc+jwt'))).toBe('ACCEPTED');
    expect(codeOf(() => checkVcJoseHeader({ typ: 'vc+jwt' }, 'vc+sd-jwt'))).toBe('TYP_INVALID');
    expect(codeOf(() => checkVcJoseHeader({ typ: 'vc+sd-jwt', cty: 'json' }, 'vc+sd-jwt'))).toBe('TYP_INVALID');
  });

  it('the credential is the claim set without the JWT claims', () => {
    expect(credentialOfClaims({ ...base, iat: 1, exp: 2, nbf: 0, cnf: {}, jti: 'j', _sd_alg: 'sha-256' })).toEqual({
      '@context': base['@context'],
      type: base.type,
      issuer: ISSUER,
      credentialSubject: base.credentialSubject,
    });
  });
});
