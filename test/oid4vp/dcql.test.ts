import { describe, expect, it } from 'vitest';
import { claimValues } from '../../core/index.js';
import { PROFILES, RESIDENT_IDENTITY_VCT } from '../../schemas/index.js';
import { assertDcqlQuery, unsatisfiedClaim } from '../../verifier/index.js';

const vct = RESIDENT_IDENTITY_VCT;

describe('verifier DCQL checks (the policy applied to every OpenID4VP answer)', () => {
  it('the profiles are valid queries; malformed ones are refused up front', () => {
    expect(() => assertDcqlQuery(PROFILES.lite)).not.toThrow();
    expect(() => assertDcqlQuery(PROFILES.upgraded)).not.toThrow();
    const bad: unknown[] = [
      null,
      { credentials: [] },
      { credentials: [{ id: 'a b', format: 'dc+sd-jwt' }] },
      { credentials: [{ id: 'a', format: 'mso_mdoc' }] },
      {
        credentials: [
          { id: 'a', format: 'dc+sd-jwt' },
          { id: 'a', format: 'dc+sd-jwt' },
        ],
      },
      { credentials: [{ id: 'a', format: 'dc+sd-jwt', claims: [{ path: [] }] }] },
      { credentials: [{ id: 'a', format: 'dc+sd-jwt', claims: [{ path: ['x', -1] }] }] },
      { credentials: [{ id: 'a', format: 'dc+sd-jwt', claims: [{ id: 'x', path: ['x'] }], claim_sets: [['y']] }] },
      { credentials: [{ id: 'a', format: 'dc+sd-jwt' }], credential_sets: [{ options: [['a']] }] },
    ];
    for (const q of bad) expect(() => assertDcqlQuery(q), JSON.stringify(q)).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
  });

  it('claim paths select members, indexes and every array element', () => {
    const claims = { address: { locality: 'Quzhou' }, nationalities: ['CN', 'FR'] };
    expect(claimValues(claims, ['address', 'locality'])).toEqual(['Quzhou']);
    expect(claimValues(claims, ['nationalities', 1])).toEqual(['FR']);
    expect(claimValues(claims, ['nationalities', null])).toEqual(['CN', 'FR']);
    expect(claimValues(claims, ['address', 'street'])).toEqual([]);
    expect(claimValues(claims, ['toString'])).toEqual([]);
  });

  it('every queried claim must be disclosed, with an allowed value, in one claim set, of an accepted vct', () => {
    const lite = PROFILES.lite.credentials[0]!;
    const all = { given_name: 'A', family_name: 'B', age_over_18: true };
    expect(unsatisfiedClaim(lite, { vct, claims: all })).toBeUndefined();
    expect(unsatisfiedClaim(lite, { vct, claims: { given_name: 'A', family_name: 'B' } })).toMatch(/age_over_18/);
    expect(unsatisfiedClaim(lite, { vct: 'urn:other', claims: all })).toMatch(/vct/);

    const q = {
      id: 'q',
      format: 'dc+sd-jwt',
      claims: [
        { id: 'adult', path: ['age_over_18'], values: [true] },
        { id: 'name', path: ['family_name'] },
        { id: 'birth', path: ['birthdate'] },
      ],
      claim_sets: [['adult'], ['name', 'birth']],
    };
    expect(unsatisfiedClaim(q, { claims: { age_over_18: true } })).toBeUndefined();
    expect(unsatisfiedClaim(q, { claims: { age_over_18: false, family_name: 'B', birthdate: '1990-01-01' } })).toBeUndefined();
    expect(unsatisfiedClaim(q, { claims: { age_over_18: false, family_name: 'B' } })).toMatch(/claim set/);
  });
});
