import { describe, expect, it } from 'vitest';
import { TypeMetadataFormatSchema } from '@sd-jwt/sd-jwt-vc';
import { isNetcredError } from '../../core/index.js';
import {
  IDENTITY_CLAIM_NAMES,
  RESIDENT_IDENTITY_TYPE_METADATA,
  RESIDENT_IDENTITY_VCT,
  idNumberCheckChar,
  makeIdNumber,
  sampleIdentityClaims,
  validateIdentityClaims,
} from '../../schemas/index.js';

function errorsOf(input: unknown, now?: Date): { path: string; message: string }[] {
  try {
    validateIdentityClaims(input, { now });
  } catch (err) {
    expect(isNetcredError(err, 'INVALID_INPUT')).toBe(true);
    return (err as { details: { path: string; message: string }[] }).details;
  }
  throw new Error('expected validation to fail');
}

describe('resident identity number', () => {
  it('computes the ISO 7064 MOD 11-2 check character of the GB 11643 example', () => {
    // The standard's worked example: 11010519491231002X.
    expect(idNumberCheckChar('11010519491231002')).toBe('X');
    expect(idNumberCheckChar('44052418800101001')).toBe('4');
  });
});

describe('validateIdentityClaims', () => {
  it('accepts the sample and derives age_over_18 from birthdate when absent', () => {
    const { age_over_18: _drop, ...input } = sampleIdentityClaims();
    const now = new Date('2026-11-27T00:00:00Z');
    expect(validateIdentityClaims(input, { now }).age_over_18).toBe(true);
    const minorBirth = '2010-01-02';
    const { age_over_18: _d2, ...minor } = sampleIdentityClaims({ birthdate: minorBirth });
    expect(validateIdentityClaims(minor, { now }).age_over_18).toBe(false);
    // The 18th birthday itself counts.
    const { age_over_18: _d3, ...exact } = sampleIdentityClaims({ birthdate: '2008-11-27' });
    expect(validateIdentityClaims(exact, { now }).age_over_18).toBe(true);
    expect(validateIdentityClaims(exact, { now: new Date('2026-11-26T23:59:59Z') }).age_over_18).toBe(false);
  });

  it('keeps only the known claims in a fixed order', () => {
    const out = validateIdentityClaims(sampleIdentityClaims());
    expect(Object.keys(out)).toEqual(IDENTITY_CLAIM_NAMES.filter((n) => n !== 'portrait'));
  });

  it('lists every missing field at once', () => {
    const { given_name: _g, address: _a, ...input } = sampleIdentityClaims();
    const paths = errorsOf(input).map((d) => d.path);
    expect(paths).toEqual(expect.arrayContaining(['given_name', 'address']));
    expect(
      errorsOf({})
        .map((d) => d.path)
        .sort(),
    ).toEqual(['address', 'birthdate', 'family_name', 'given_name', 'id_number', 'issuing_authority', 'issuing_country', 'nationality', 'sex'].sort());
  });

  it('reports a wrong check character together with other failures', () => {
    const good = sampleIdentityClaims();
    const last = good.id_number.at(-1)!;
    const wrong = good.id_number.slice(0, 17) + (last === '0' ? '1' : '0');
    const details = errorsOf({ ...good, id_number: wrong, sex: 7, nationality: 'ZZ', address: { ...good.address, postal_code: undefined }, extra: 1 });
    const paths = details.map((d) => d.path);
    expect(paths).toEqual(expect.arrayContaining(['id_number', 'sex', 'nationality', 'address.postal_code', 'extra']));
    expect(details.find((d) => d.path === 'id_number')!.message).toMatch(/check character/);
  });

  it('cross-checks id_number against birthdate and sex, and age_over_18 against birthdate', () => {
    const good = sampleIdentityClaims({ sex: 2 });
    expect(
      errorsOf({ ...good, birthdate: '1990-03-08' })
        .map((d) => d.message)
        .join(),
    ).toMatch(/does not equal birthdate/);
    const male = errorsOf({ ...good, sex: 1 });
    expect(male).toEqual([{ path: 'id_number', message: expect.stringMatching(/disagrees with sex 1/) }]);
    expect(errorsOf({ ...good, age_over_18: false })).toEqual([{ path: 'age_over_18', message: expect.stringMatching(/gives true/) }]);
    // sex 9 (not applicable) puts no constraint on the sequence parity.
    expect(validateIdentityClaims({ ...good, sex: 9 }).sex).toBe(9);
  });

  it('rejects impossible and future dates', () => {
    const bad = sampleIdentityClaims();
    expect(errorsOf({ ...bad, birthdate: '1990-02-30' }).map((d) => d.path)).toContain('birthdate');
    const idFeb30 = makeIdNumber('330802', '1990-02-30', 124);
    expect(
      errorsOf({ ...bad, id_number: idFeb30 })
        .map((d) => d.message)
        .join(),
    ).toMatch(/not a real date/);
    const future = sampleIdentityClaims({ birthdate: '2031-01-01' });
    expect(errorsOf(future, new Date('2026-11-27T00:00:00Z')).map((d) => d.path)).toContain('birthdate');
  });

  it('bounds and checks the portrait', () => {
    const jpeg = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(1000, 7)]);
    const ok = sampleIdentityClaims({ portrait: `data:image/jpeg;base64,${jpeg.toString('base64')}` });
    expect(validateIdentityClaims(ok).portrait).toBe(ok.portrait);
    const huge = Buffer.concat([jpeg, Buffer.alloc(64 * 1024)]);
    expect(errorsOf({ ...ok, portrait: `data:image/jpeg;base64,${huge.toString('base64')}` })).toEqual([
      { path: 'portrait', message: expect.stringMatching(/at most 65536 bytes/) },
    ]);
    expect(errorsOf({ ...ok, portrait: `data:image/png;base64,${jpeg.toString('base64')}` }).map((d) => d.path)).toEqual(['portrait']);
    expect(errorsOf({ ...ok, portrait: `data:image/jpeg;base64,${Buffer.from('not a jpeg').toString('base64')}` })).toEqual([
      { path: 'portrait', message: 'is not JPEG data' },
    ]);
  });

  it('rejects non-objects with a typed error', () => {
    for (const v of [null, 'x', 42, [sampleIdentityClaims()]]) expect(errorsOf(v).length).toBeGreaterThan(0);
  });
});

describe('type metadata', () => {
  it('is valid SD-JWT VC type metadata for the identity vct, with en and zh-CN labels for every claim', () => {
    const parsed = TypeMetadataFormatSchema.parse(RESIDENT_IDENTITY_TYPE_METADATA);
    expect(parsed.vct).toBe(RESIDENT_IDENTITY_VCT);
    const locales = (d?: { locale: string }[]) => (d ?? []).map((x) => x.locale).sort();
    expect(locales(RESIDENT_IDENTITY_TYPE_METADATA.display)).toEqual(['en', 'zh-CN']);
    const top = RESIDENT_IDENTITY_TYPE_METADATA.claims!.filter((c) => c.path.length === 1).map((c) => c.path[0]);
    expect(top.sort()).toEqual([...IDENTITY_CLAIM_NAMES].sort());
    for (const c of RESIDENT_IDENTITY_TYPE_METADATA.claims!) {
      expect(locales(c.display)).toEqual(['en', 'zh-CN']);
      expect(c.sd).toBe('always');
    }
  });
});
