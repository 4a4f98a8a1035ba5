import { DcqlQuery } from 'dcql';
import { describe, expect, it } from 'vitest';
import { assertDcqlQuery, DcqlError, matchCredentialQuery, requiredCredentialQueries, selectClaims, type DcqlValidationOptions } from '../../core/index.js';
import { PROFILES } from '../../schemas/index.js';

/**
 * core/dcql against the `dcql` package (an independent implementation) on the same input. Each
 * row states both verdicts; where they differ, `why` cites the rule of OpenID4VP 1.0 (or the
 * bound of ours) that decides, so a change on either side fails here.
 */
const vct = 'urn:example:vct';
const cq = (extra: Record<string, unknown> = {}) => ({ id: 'a', format: 'dc+sd-jwt', meta: { vct_values: [vct] }, claims: [{ path: ['x'] }], ...extra });
const one = (extra: Record<string, unknown> = {}) => ({ credentials: [cq(extra)] });
const sets = (credential_sets: unknown) => ({ credentials: [cq(), cq({ id: 'b' })], credential_sets });

type Case = {
  name: string;
  query: unknown;
  /** The dcql package accepts it (parse + validate). */
  dcql: boolean;
  /** We accept it with the default (author's) rules, as the verifier checks its own queries. */
  ours: boolean;
  /** We accept it as a wallet reading someone else's query (`asAuthor: false`); default: `ours`. */
  wallet?: boolean;
  /** Why we differ from dcql. */
  why?: string;
};

const CASES: Case[] = [
  // Valid for both
  { name: 'lite profile', query: PROFILES.lite, dcql: true, ours: true },
  { name: 'upgraded profile', query: PROFILES.upgraded, dcql: true, ours: true },
  {
    name: 'nested and array paths, values',
    query: one({ claims: [{ path: ['address', 'locality'] }, { path: ['nationalities', null], values: ['CN', 7, true] }, { path: ['degrees', 0, 'type'] }] }),
    dcql: true,
    ours: true,
  },
  {
    name: 'claim_sets over claim ids',
    query: one({
      claims: [
        { id: 'p', path: ['p'] },
        { id: 'o', path: ['o'] },
      ],
      claim_sets: [['p'], ['o', 'p']],
    }),
    dcql: true,
    ours: true,
  },
  {
    name: 'no claims (nothing selectively disclosable)',
    query: { credentials: [{ id: 'a', format: 'dc+sd-jwt', meta: { vct_values: [vct] } }] },
    dcql: true,
    ours: true,
  },
  {
    name: 'multiple, require_cryptographic_holder_binding, trusted_authorities',
    query: one({
      multiple: true,
      require_cryptographic_holder_binding: false,
      trusted_authorities: [{ type: 'aki', values: ['s9tIpPmhxdiuNkHMEWNpYim8S8Y'] }],
    }),
    dcql: true,
    ours: true,
  },
  {
    name: 'credential_sets: required (default true) and optional',
    query: sets([{ options: [['a'], ['b']] }, { options: [['a', 'b']], required: false }]),
    dcql: true,
    ours: true,
  },
  {
    name: 'credential_sets: purpose string / object',
    query: sets([
      { options: [['a']], purpose: 'Identification' },
      { options: [['b']], purpose: { en: 'Proof of address' }, required: false },
    ]),
    dcql: true,
    ours: true,
  },
  {
    name: 'unknown members are ignored (section 6)',
    query: { ...one({ claims: [{ path: ['x'], other: 1 }], meta: { vct_values: [vct], other: 1 } }), other: 1 },
    dcql: true,
    ours: true,
  },
  {
    name: 'mso_mdoc with doctype_value and a two-string path',
    query: {
      credentials: [{ id: 'm', format: 'mso_mdoc', meta: { doctype_value: 'org.iso.18013.5.1.mDL' }, claims: [{ path: ['org.iso.18013.5.1', 'given_name'] }] }],
    },
    dcql: true,
    ours: true,
  },
  { name: 'W3C: type_values', query: { credentials: [{ id: 'w', format: 'ldp_vc', meta: { type_values: [['IDCredential']] } }] }, dcql: true, ours: true },

  // Invalid for both
  { name: 'not an object', query: [], dcql: false, ours: false },
  { name: 'no credentials', query: { credentials: [] }, dcql: false, ours: false },
  { name: 'credential id with a space', query: one({ id: 'a b' }), dcql: false, ours: false },
  { name: 'empty credential id', query: one({ id: '' }), dcql: false, ours: false },
  { name: 'duplicate credential ids', query: { credentials: [cq(), cq()] }, dcql: false, ours: false },
  { name: 'no format', query: { credentials: [{ id: 'a', meta: {} }] }, dcql: false, ours: false },
  { name: 'empty claims', query: one({ claims: [] }), dcql: false, ours: false },
  { name: 'a claim that is not an object', query: one({ claims: ['x'] }), dcql: false, ours: false },
  { name: 'empty path', query: one({ claims: [{ path: [] }] }), dcql: false, ours: false },
  { name: 'negative index', query: one({ claims: [{ path: ['x', -1] }] }), dcql: false, ours: false },
  { name: 'fractional index', query: one({ claims: [{ path: ['x', 1.5] }] }), dcql: false, ours: false },
  { name: 'boolean path element', query: one({ claims: [{ path: [true] }] }), dcql: false, ours: false },
  { name: 'values: a fraction', query: one({ claims: [{ path: ['x'], values: [1.5] }] }), dcql: false, ours: false },
  { name: 'values: null', query: one({ claims: [{ path: ['x'], values: [null] }] }), dcql: false, ours: false },
  { name: 'multiple: not a boolean', query: one({ multiple: 'yes' }), dcql: false, ours: false },
  { name: 'require_cryptographic_holder_binding: not a boolean', query: one({ require_cryptographic_holder_binding: 1 }), dcql: false, ours: false },
  { name: 'trusted_authorities: empty values', query: one({ trusted_authorities: [{ type: 'aki', values: [] }] }), dcql: false, ours: false },
  { name: 'claim_sets: an unknown claim id', query: one({ claims: [{ id: 'x', path: ['x'] }], claim_sets: [['y']] }), dcql: false, ours: false },
  { name: 'claim_sets: an empty set', query: one({ claims: [{ id: 'x', path: ['x'] }], claim_sets: [[]] }), dcql: false, ours: false },
  {
    name: 'claim_sets without claims',
    query: { credentials: [{ id: 'a', format: 'dc+sd-jwt', meta: { vct_values: [vct] }, claim_sets: [['x']] }] },
    dcql: false,
    ours: false,
  },
  { name: 'credential_sets: empty', query: sets([]), dcql: false, ours: false },
  { name: 'credential_sets: not an object', query: sets(['a']), dcql: false, ours: false },
  { name: 'credential_sets: no options', query: sets([{ required: true }]), dcql: false, ours: false },
  { name: 'credential_sets: empty options', query: sets([{ options: [] }]), dcql: false, ours: false },
  { name: 'credential_sets: an unknown credential query id', query: sets([{ options: [['a'], ['c']] }]), dcql: false, ours: false },
  { name: 'credential_sets: required not a boolean', query: sets([{ options: [['a']], required: 'yes' }]), dcql: false, ours: false },

  // We are stricter
  { name: 'values: empty', query: one({ claims: [{ path: ['x'], values: [] }] }), dcql: true, ours: false, why: '6.3: values is "a non-empty array"' },
  {
    name: 'credential_sets: an empty option',
    query: sets([{ options: [[]] }]),
    dcql: true,
    ours: false,
    why: '6.2: each element of options is "a non-empty array of identifiers"',
  },
  {
    name: 'claim ids not unique',
    query: one({
      claims: [
        { id: 'c', path: ['x'] },
        { id: 'c', path: ['y'] },
      ],
    }),
    dcql: true,
    ours: false,
    why: '6.3: "the same id MUST NOT be present more than once"',
  },
  {
    name: 'a claim without id beside claim_sets',
    query: one({ claims: [{ id: 'c', path: ['x'] }, { path: ['y'] }], claim_sets: [['c']] }),
    dcql: true,
    ours: false,
    why: '6.3: id is "REQUIRED if claim_sets is present"',
  },
  {
    name: 'vct_values: empty',
    query: { credentials: [{ id: 'a', format: 'dc+sd-jwt', meta: { vct_values: [] } }] },
    dcql: true,
    ours: false,
    why: 'B.3.5: vct_values is "a non-empty array of strings"',
  },
  {
    name: 'credential id longer than 64',
    query: one({ id: 'a'.repeat(65) }),
    dcql: true,
    ours: false,
    why: 'our bound on ids (CONTRIBUTING.md: bounded input sizes); the spec sets none',
  },
  {
    name: 'no meta',
    query: { credentials: [{ id: 'a', format: 'dc+sd-jwt' }] },
    dcql: true,
    ours: false,
    wallet: true,
    why: '6.1: meta is REQUIRED (OPTIONAL until draft 29: a wallet still reads such queries)',
  },
  {
    name: 'dc+sd-jwt meta without vct_values',
    query: { credentials: [{ id: 'a', format: 'dc+sd-jwt', meta: {} }] },
    dcql: true,
    ours: false,
    wallet: true,
    why: 'B.3.5: vct_values is REQUIRED (a wallet reads the query as asking any vct)',
  },
  {
    name: 'mso_mdoc without meta',
    query: { credentials: [{ id: 'a', format: 'mso_mdoc' }] },
    dcql: true,
    ours: false,
    wallet: true,
    why: '6.1 meta REQUIRED, B.2.3 doctype_value REQUIRED',
  },
  {
    name: 'one claim queried twice',
    query: one({ claims: [{ path: ['x'] }, { path: ['x'], values: ['v'] }] }),
    dcql: true,
    ours: false,
    wallet: true,
    why: '6.1: "Verifiers MUST NOT point to the same claim more than once"; wallets SHOULD ignore the duplicate',
  },

  // We are laxer
  {
    name: 'credential_sets: purpose a boolean',
    query: sets([{ options: [['a']], purpose: true }]),
    dcql: false,
    ours: true,
    why: '1.0 removed purpose (openid/OpenID4VP#518), so it is an unknown member, which section 6 says implementations MUST ignore',
  },
  {
    name: 'a format appendix B does not define',
    query: { credentials: [{ id: 'a', format: 'example+jwt', meta: {} }] },
    dcql: false,
    ours: true,
    why: 'appendix B: "other specifications or deployments can define their own" formats; the verifier narrows formats by option',
  },
  {
    name: 'trusted_authorities: a type this spec does not define',
    query: one({ trusted_authorities: [{ type: 'example', values: ['x'] }] }),
    dcql: false,
    ours: true,
    why: '6.1.1: type is "a string uniquely identifying the type"; the spec lists its own types without closing the list',
  },
  {
    name: 'mso_mdoc: a one-element path',
    query: { credentials: [{ id: 'm', format: 'mso_mdoc', meta: { doctype_value: 'd' }, claims: [{ path: ['given_name'] }] }] },
    dcql: false,
    ours: true,
    why: '7.2: a path that is not two strings is a processing error (nothing matches), section 7 only asks for a claims path pointer',
  },
];

function dcqlAccepts(query: unknown): boolean {
  try {
    DcqlQuery.validate(DcqlQuery.parse(query as DcqlQuery.Input));
    return true;
  } catch {
    return false;
  }
}

function oursAccepts(query: unknown, options: DcqlValidationOptions): boolean {
  try {
    assertDcqlQuery(structuredClone(query), options);
    return true;
  } catch (err) {
    expect(err).toBeInstanceOf(DcqlError);
    expect(err).toMatchObject({ code: 'DCQL_INVALID', details: [{ path: expect.any(String), message: expect.any(String) }] });
    return false;
  }
}

describe('DCQL validation: core/dcql against the dcql package', () => {
  for (const c of CASES) {
    it(`${c.name}: dcql ${c.dcql ? 'accepts' : 'refuses'}, we ${c.ours ? 'accept' : 'refuse'}${c.wallet !== undefined ? `, a wallet ${c.wallet ? 'accepts' : 'refuses'}` : ''}`, () => {
      expect(dcqlAccepts(c.query), 'the dcql package').toBe(c.dcql);
      expect(oursAccepts(c.query, {}), 'ours, as author').toBe(c.ours);
      expect(oursAccepts(c.query, { asAuthor: false }), 'ours, as a wallet').toBe(c.wallet ?? c.ours);
      if (c.ours !== c.dcql || (c.wallet ?? c.ours) !== c.dcql) expect(c.why, 'a difference needs its rule').toBeTruthy();
    });
  }

  it('options narrow what a role handles: formats, credential_sets, the number of credential queries', () => {
    expect(oursAccepts(one(), { formats: ['dc+sd-jwt'] })).toBe(true);
    expect(oursAccepts({ credentials: [{ id: 'm', format: 'mso_mdoc', meta: { doctype_value: 'd' } }] }, { formats: ['dc+sd-jwt'] })).toBe(false);
    expect(oursAccepts(sets([{ options: [['a']] }]), { credentialSets: false })).toBe(false);
    expect(oursAccepts({ credentials: [cq(), cq({ id: 'b' })] }, { maxCredentials: 1 })).toBe(false);
  });
});

/** One SD-JWT VC's claims (as disclosed) for the matcher cases. */
const claims = {
  name: 'A',
  address: { locality: 'Q', street: 'S' },
  degrees: [{ type: 'B', year: 2001 }, { type: 'M' }],
  mixed: [{ type: 'B' }, 'x'],
  nationalities: ['CN', 'FR'],
  age: 30,
  adult: true,
};

function dcqlMatches(query: Record<string, unknown>): boolean {
  const parsed = DcqlQuery.parse(query as DcqlQuery.Input);
  DcqlQuery.validate(parsed);
  return DcqlQuery.query(parsed, [{ credential_format: 'dc+sd-jwt', vct, claims: claims as never, cryptographic_holder_binding: true }]).can_be_satisfied;
}

function oursMatches(query: Record<string, unknown>): boolean {
  assertDcqlQuery(query);
  const answerable = new Set(query.credentials.filter((c) => matchCredentialQuery({ format: 'dc+sd-jwt', vct, claims }, c).ok).map((c) => c.id));
  return requiredCredentialQueries(query, answerable).ok;
}

type MatchCase = { name: string; query: Record<string, unknown>; dcql: boolean; ours: boolean; why?: string };
const claim = (path: unknown[], values?: unknown[]) => one({ claims: [{ path, ...(values ? { values } : {}) }] });

const MATCHES: MatchCase[] = [
  { name: 'a member', query: claim(['name']), dcql: true, ours: true },
  { name: 'a nested member', query: claim(['address', 'locality']), dcql: true, ours: true },
  { name: 'a whole object', query: claim(['address']), dcql: true, ours: true },
  { name: 'null over objects', query: claim(['degrees', null, 'type']), dcql: true, ours: true },
  { name: 'null: some elements lack the member', query: claim(['degrees', null, 'year']), dcql: true, ours: true },
  { name: 'an index', query: claim(['nationalities', 1]), dcql: true, ours: true },
  { name: 'an index past the end', query: claim(['degrees', 5]), dcql: false, ours: false },
  { name: 'a member missing at that index', query: claim(['degrees', 1, 'year']), dcql: false, ours: false },
  { name: 'a member of an array', query: claim(['nationalities', 'x']), dcql: false, ours: false },
  { name: 'an index into an object', query: claim(['address', 0]), dcql: false, ours: false },
  { name: 'a member of a string', query: claim(['name', 'x']), dcql: false, ours: false },
  { name: 'values: integer', query: claim(['age'], [30]), dcql: true, ours: true },
  { name: 'values: type must match too', query: claim(['age'], ['30']), dcql: false, ours: false },
  { name: 'values: boolean', query: claim(['adult'], [false]), dcql: false, ours: false },
  { name: 'values: one array element', query: claim(['nationalities', null], ['FR']), dcql: true, ours: true },
  { name: 'values: an object never equals', query: claim(['address'], ['Q']), dcql: false, ours: false },
  {
    name: 'claim_sets: a later option',
    query: one({
      claims: [
        { id: 'p', path: ['passport'] },
        { id: 'n', path: ['name'] },
      ],
      claim_sets: [['p'], ['n']],
    }),
    dcql: true,
    ours: true,
  },
  {
    name: 'claim_sets: no option',
    query: one({
      claims: [
        { id: 'p', path: ['passport'] },
        { id: 'n', path: ['name'] },
      ],
      claim_sets: [['p', 'n']],
    }),
    dcql: false,
    ours: false,
  },
  { name: 'other vct', query: { credentials: [{ id: 'a', format: 'dc+sd-jwt', meta: { vct_values: ['urn:other'] } }] }, dcql: false, ours: false },
  {
    name: 'credential_sets: one option answerable',
    query: {
      credentials: [cq({ claims: [{ path: ['passport'] }] }), cq({ id: 'b', claims: [{ path: ['name'] }] })],
      credential_sets: [{ options: [['a'], ['b']] }],
    },
    dcql: true,
    ours: true,
  },
  {
    name: 'credential_sets: only an optional set fails',
    query: {
      credentials: [cq({ claims: [{ path: ['passport'] }] }), cq({ id: 'b', claims: [{ path: ['name'] }] })],
      credential_sets: [{ options: [['b']] }, { options: [['a']], required: false }],
    },
    dcql: true,
    ours: true,
  },
  {
    name: 'credential_sets: a required set fails',
    query: { credentials: [cq({ claims: [{ path: ['passport'] }] }), cq({ id: 'b', claims: [{ path: ['name'] }] })], credential_sets: [{ options: [['a']] }] },
    dcql: false,
    ours: false,
  },
  {
    name: 'no credential_sets: every query',
    query: { credentials: [cq({ claims: [{ path: ['passport'] }] }), cq({ id: 'b', claims: [{ path: ['name'] }] })] },
    dcql: false,
    ours: false,
  },
  {
    name: 'null over a string element, then a member',
    query: claim(['mixed', null, 'type']),
    dcql: true,
    ours: false,
    why: '7.1 step 2.1: a string component over an element that is not an object aborts processing with an error',
  },
  {
    name: 'an inherited member',
    query: claim(['toString']),
    dcql: true,
    ours: false,
    why: '7.1 step 2.1: selects "the element in the respective key"; the JSON object has no key toString',
  },
];

describe('DCQL matching: core/dcql against the dcql package', () => {
  for (const c of MATCHES) {
    it(`${c.name}: dcql ${c.dcql ? 'matches' : 'does not'}, we ${c.ours ? 'match' : 'do not'}`, () => {
      expect(dcqlMatches(c.query), 'the dcql package').toBe(c.dcql);
      expect(oursMatches(c.query), 'ours').toBe(c.ours);
      if (c.ours !== c.dcql) expect(c.why, 'a difference needs its rule').toBeTruthy();
    });
  }

  it('the claims selected: concrete paths, only values allowed, each claim once, the first claim set that holds', () => {
    expect(selectClaims(claims, ['degrees', null, 'type'])).toEqual([
      { path: ['degrees', 0, 'type'], value: 'B' },
      { path: ['degrees', 1, 'type'], value: 'M' },
    ]);
    const q = (extra: Record<string, unknown>) => cq(extra) as Parameters<typeof matchCredentialQuery>[1];
    expect(matchCredentialQuery({ vct, claims }, q({ claims: [{ path: ['nationalities', null], values: ['FR'] }] }))).toEqual({
      ok: true,
      claims: [{ path: ['nationalities', 1], value: 'FR' }],
    });
    expect(matchCredentialQuery({ vct, claims }, q({ claims: [{ path: ['name'] }, { path: ['name'] }] }))).toEqual({
      ok: true,
      claims: [{ path: ['name'], value: 'A' }],
    });
    const preferred = q({
      claims: [
        { id: 'p', path: ['passport'] },
        { id: 'o', path: ['adult'] },
        { id: 'n', path: ['name'] },
      ],
      claim_sets: [['p'], ['o'], ['n']],
    });
    expect(matchCredentialQuery({ vct, claims }, preferred)).toEqual({ ok: true, claims: [{ path: ['adult'], value: true }] });
    expect(matchCredentialQuery({ format: 'vc+sd-jwt', vct, claims }, q({}))).toMatchObject({ ok: false, reason: expect.stringMatching(/format/) });
    expect(matchCredentialQuery({ vct, claims }, q({ claims: [{ path: ['passport'] }] }))).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/passport/),
    });
  });
});
