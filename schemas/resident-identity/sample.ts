import { ageOn } from './dates.js';
import { makeIdNumber } from './id-number.js';
import type { IdentityClaims } from './types.js';

/**
 * A valid claims object for tests and the demo (a fictional resident of Quzhou, Zhejiang).
 * `id_number` is recomputed from `birthdate` and `sex` unless the override sets it, so
 * overriding either keeps the sample valid; `age_over_18` follows `birthdate` today.
 */
export function sampleIdentityClaims(overrides: Partial<IdentityClaims> = {}): IdentityClaims {
  const birthdate = overrides.birthdate ?? '1990-03-07';
  const sex = overrides.sex ?? 2;
  const sequence = sex === 1 ? 123 : 124;
  const base: IdentityClaims = {
    given_name: '秀英',
    family_name: '蒋',
    birthdate,
    age_over_18: ageOn(birthdate, new Date()) >= 18,
    sex,
    nationality: 'CN',
    id_number: makeIdNumber('330802', birthdate, sequence),
    address: {
      formatted: '浙江省衢州市柯城区荷花中路1号',
      region: '浙江省',
      locality: '衢州市',
      street_address: '柯城区荷花中路1号',
      postal_code: '324000',
    },
    issuing_authority: '衢州市公安局柯城分局',
    issuing_country: 'CN',
  };
  return { ...base, ...overrides };
}
