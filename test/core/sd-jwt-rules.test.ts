// The SD-JWT core rules one by one (RFC 9901): each test fails when the rule it names is broken
// (a condition dropped or inverted, a bound moved by one, a message emptied). Run by the mutation
// config (vitest.mutation.config.ts) against core/sd-jwt/*.
import { createPublicKey, type KeyObject } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  b64uEncode,
  decodeSdJwt,
  DEFAULT_MAX_PRESENTATION_BYTES,
  isNetcredError,
  MAX_DECODE_INPUT,
  parseDisclosure,
  parseSdJwt,
  sdDigest,
  verifySdJwt,
  type Disclosure,
  type SdHashAlg,
  type VerifySdJwtOptions,
} from '../../core/index.js';
// Internals on purpose: the rules behind verifySdJwt and decodeSdJwt, called directly.
import { disclosuresFor, disclosuresWithin } from '../../core/sd-jwt/claim-tree.js';
import { MAX_CLAIM_DEPTH, processDisclosures, sdAlgOf } from '../../core/sd-jwt/disclosures.js';
import { disclosureDigest } from '../../core/sd-jwt/parse.js';
import { AUD, encodeDisclosure, NOW, NOW_S, party, sdJwtOf, signJwt } from '../verifier/helpers/fixture.js';

/** The NetcredError `fn` throws (anything else, or nothing, fails the test). */
function caught(fn: () => unknown): { code: string; message: string; path?: string } {
  try {
    fn();
  } catch (err) {
    if (!isNetcredError(err)) throw err;
    return err as { code: string; message: string; path?: string };
  }
  throw new Error('expected a NetcredError, nothing was thrown');
}

let n = 0;
/** A disclosure with a fresh salt: [name, value] for a property, [value] for an array element. */
function disclose(...nameValue: unknown[]): Disclosure {
  return parseDisclosure(encodeDisclosure([`salt-${n++}-aaaaaaaaaaaa`, ...nameValue]));
}
const dig = (d: Disclosure, alg: SdHashAlg = 'sha-256') => sdDigest(d.encoded, alg);
const b64json = (text: string) => b64uEncode(text);

const issuer = party('ed25519');
const holder = party('p256');
const issuerPub = createPublicKey(issuer.priv);
const JWT = 'eyJhbGciOiJFZERTQSJ9.e30.c2ln';

/** Flips the lowest bit of the last base64url character: the same signature bytes, another string. */
function twinSignature(jws: string): string {
  const A = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  const twin = jws.slice(0, -1) + A[A.indexOf(jws.at(-1)!) ^ 1];
  expect(Buffer.from(twin.split('.')[2]!, 'base64url')).toStrictEqual(Buffer.from(jws.split('.')[2]!, 'base64url'));
  return twin;
}

describe('parseDisclosure (RFC 9901 section 4.2.1, 4.2.2)', () => {
  it('a disclosure is base64url only: empty, a prefix or a suffix outside the alphabet is "not base64url"', () => {
    const good = encodeDisclosure(['s', 'n', 'v']);
    for (const bad of ['', `!${good}`, `${good}=`, `${good} `]) {
      expect(
        caught(() => parseDisclosure(bad)),
        bad,
      ).toMatchObject({ code: 'DISCLOSURE_MALFORMED', message: 'disclosure is not base64url' });
    }
  });

  it('base64url that does not decode, or does not decode to JSON, is "not base64url-encoded JSON"', () => {
    for (const bad of ['a', b64json('not json'), b64json('["s", "n"')]) {
      expect(
        caught(() => parseDisclosure(bad)),
        bad,
      ).toMatchObject({ code: 'DISCLOSURE_MALFORMED', message: 'disclosure is not base64url-encoded JSON' });
    }
  });

  it('a disclosure nested deeper than the JSON bound is INPUT_TOO_DEEP, named as a disclosure', () => {
    const deep = b64json(`["s", "n", ${'['.repeat(64)}${']'.repeat(64)}]`);
    expect(caught(() => parseDisclosure(deep))).toMatchObject({ code: 'INPUT_TOO_DEEP', message: 'disclosure is nested deeper than 64 levels' });
    const ok = b64json(`["s", "n", ${'['.repeat(63)}${']'.repeat(63)}]`);
    expect(parseDisclosure(ok).name).toBe('n');
  });

  it('a disclosure is a JSON array of exactly 2 or 3 elements (not a string or object with a length)', () => {
    for (const text of ['"ab"', '"abc"', '{"length":2,"0":"s","1":"v"}', '{"length":3,"0":"s","1":"n","2":"v"}', '[]', '["s"]', '["s","n","v","x"]']) {
      expect(
        caught(() => parseDisclosure(b64json(text))),
        text,
      ).toMatchObject({
        code: 'DISCLOSURE_MALFORMED',
        message: 'disclosure must be a JSON array of 2 or 3 elements',
      });
    }
  });

  it('the salt must be a string; in a 3-element disclosure the claim name must be a string', () => {
    for (const text of ['[1, "v"]', '[null, "n", "v"]', '[["s"], "n", "v"]']) {
      expect(
        caught(() => parseDisclosure(b64json(text))),
        text,
      ).toMatchObject({ code: 'DISCLOSURE_MALFORMED', message: 'disclosure salt must be a string' });
    }
    for (const text of ['["s", 1, "v"]', '["s", null, "v"]']) {
      expect(
        caught(() => parseDisclosure(b64json(text))),
        text,
      ).toMatchObject({
        code: 'DISCLOSURE_MALFORMED',
        message: 'disclosure claim name must be a string',
      });
    }
  });

  it('2 elements are an array element disclosure (no name), 3 an object property', () => {
    const el = b64json('["s", {"x": 1}]');
    expect(parseDisclosure(el)).toStrictEqual({ encoded: el, salt: 's', value: { x: 1 } });
    const prop = b64json('["s", "given_name", "Ada"]');
    expect(parseDisclosure(prop)).toStrictEqual({ encoded: prop, salt: 's', name: 'given_name', value: 'Ada' });
    const twoStrings = b64json('["s", "DE"]');
    expect(parseDisclosure(twoStrings)).toStrictEqual({ encoded: twoStrings, salt: 's', value: 'DE' });
  });

  it('disclosureDigest hashes the encoded disclosure with sha-256 unless _sd_alg says otherwise', () => {
    const d = disclose('a', 1);
    expect(disclosureDigest(d)).toBe(sdDigest(d.encoded, 'sha-256'));
    expect(disclosureDigest(d, 'sha-512')).toBe(sdDigest(d.encoded, 'sha-512'));
  });
});

describe('parseSdJwt (RFC 9901 section 4)', () => {
  const d = encodeDisclosure(['s', 'given_name', 'Ada']);

  it('refuses what is not a string', () => {
    expect(caught(() => parseSdJwt(42 as unknown as string))).toMatchObject({ code: 'MALFORMED', message: 'SD-JWT must be a string' });
  });

  it('ignores whitespace around the SD-JWT, and the sd_hash input is the trimmed text', () => {
    expect(parseSdJwt(` \n${JWT}~${d}~\t `)).toStrictEqual({ jwt: JWT, disclosures: [parseDisclosure(d)], sdHashInput: `${JWT}~${d}~` });
    expect(parseSdJwt(`\n${JWT}~${d}~${JWT}\n`)).toMatchObject({ jwt: JWT, kbJwt: JWT, sdHashInput: `${JWT}~${d}~` });
  });

  it('needs at least one "~"', () => {
    expect(caught(() => parseSdJwt(JWT))).toMatchObject({ code: 'MALFORMED', message: 'not an SD-JWT: no "~" separator' });
  });

  it('the issuer-signed JWT is exactly three base64url parts', () => {
    for (const bad of [`#${JWT}~`, `${JWT}#~`, 'a..c~', `${JWT}.d~`, `a.b~`]) {
      expect(
        caught(() => parseSdJwt(bad)),
        bad,
      ).toMatchObject({ code: 'MALFORMED', message: 'the issuer-signed JWT is not a compact JWS' });
    }
  });

  it('ends with "~" or a KB-JWT (exactly three base64url parts)', () => {
    for (const bad of [`${JWT}~${d}~abc`, `${JWT}~#${JWT}`, `${JWT}~${JWT}#`, `${JWT}~a..c`]) {
      expect(
        caught(() => parseSdJwt(bad)),
        bad,
      ).toMatchObject({ code: 'MALFORMED', message: 'the SD-JWT must end with "~" or a KB-JWT' });
    }
  });

  it('an empty disclosure between "~" is MALFORMED, wherever it is', () => {
    for (const bad of [`${JWT}~~`, `${JWT}~${d}~~`, `${JWT}~~${d}~`, `${JWT}~${d}~~${JWT}`]) {
      expect(
        caught(() => parseSdJwt(bad)),
        bad,
      ).toMatchObject({ code: 'MALFORMED', message: 'empty disclosure between "~" separators' });
    }
  });
});

describe('claim tree (presentation planning)', () => {
  const street = disclose('street', 'Main St');
  const lat = disclose('lat', 52);
  const address = disclose('address', { _sd: [dig(street)], country: 'DE', geo: { _sd: [dig(lat)] } });
  const fr = disclose('FR');
  const all = [street, lat, address, fr];
  const { root } = processDisclosures({ _sd: [dig(address)], nationalities: ['US', { '...': dig(fr) }], plain: 'x' }, all, { tree: true });
  const need = (path: (string | number)[]) => {
    const into = new Set<number>();
    disclosuresFor(root!, path, into);
    return [...into].sort();
  };

  it("a claim needs its own disclosure and its ancestors'", () => {
    expect(need(['address', 'street'])).toEqual([0, 2]);
    expect(need(['address', 'geo', 'lat'])).toEqual([1, 2]);
    expect(need(['nationalities', 1])).toEqual([3]);
  });

  it('a whole object or array needs every disclosure inside it, at any depth', () => {
    expect(need(['address'])).toEqual([0, 1, 2]);
    expect(need(['address', 'geo'])).toEqual([1, 2]);
    expect(need(['nationalities'])).toEqual([3]);
    expect(need([])).toEqual([0, 1, 2, 3]);
  });

  it('a path that is not in the claims (or goes through a leaf) needs nothing beyond what it passed', () => {
    expect(need(['plain'])).toEqual([]);
    expect(need(['plain', 'x'])).toEqual([]);
    expect(need(['missing'])).toEqual([]);
    expect(need(['address', 'missing', 'deeper'])).toEqual([2]);
    expect(need(['nationalities', 5])).toEqual([]);
  });

  it('disclosuresWithin a leaf adds nothing; within an object only the disclosures below it', () => {
    const into = new Set<number>();
    disclosuresWithin(root!.children!.get('plain')!, into);
    expect([...into]).toEqual([]);
    disclosuresWithin(root!.children!.get('address')!, into);
    expect([...into].sort()).toEqual([0, 1]);
  });

  it('the root node holds the processed claims', () => {
    expect(root!.value).toStrictEqual({ nationalities: ['US', 'FR'], plain: 'x', address: { country: 'DE', geo: { lat: 52 }, street: 'Main St' } });
  });

  it('a node records its disclosure only when one revealed it', () => {
    const addr = root!.children!.get('address')!;
    expect(addr.disclosure).toBe(2);
    expect(addr.children!.get('country')).toStrictEqual({ value: 'DE' });
    expect(addr.children!.get('street')).toStrictEqual({ value: 'Main St', disclosure: 0 });
    expect(root!.children!.get('nationalities')!.children!.get(0)).toStrictEqual({ value: 'US' });
  });
});

describe('processDisclosures: _sd_alg (RFC 9901 section 4.1.1)', () => {
  it('defaults to sha-256 and accepts sha-384 and sha-512 unless told otherwise', () => {
    expect(sdAlgOf({})).toBe('sha-256');
    for (const alg of ['sha-256', 'sha-384', 'sha-512'] as const) {
      const a = disclose('a', 1);
      expect(processDisclosures({ _sd_alg: alg, _sd: [dig(a, alg)] }, [a])).toMatchObject({ sdAlg: alg, claims: { a: 1 } });
    }
  });

  it('refuses an unknown _sd_alg, or one outside the accepted list, with the value in the message', () => {
    expect(caught(() => sdAlgOf({ _sd_alg: 'md5' }))).toMatchObject({ code: 'SD_ALG_UNSUPPORTED', message: '_sd_alg md5 is not supported' });
    // Only an absent _sd_alg means sha-256: a present null is not understood (section 7.1).
    expect(caught(() => sdAlgOf({ _sd_alg: null }))).toMatchObject({ code: 'SD_ALG_UNSUPPORTED', message: '_sd_alg null is not supported' });
    expect(caught(() => sdAlgOf({ _sd_alg: 'sha-512' }, ['sha-256']))).toMatchObject({
      code: 'SD_ALG_UNSUPPORTED',
      message: '_sd_alg sha-512 is not supported',
    });
    // A hash we cannot compute is refused even when a (JavaScript) caller lists it as accepted.
    expect(caught(() => sdAlgOf({ _sd_alg: 'md5' }, ['md5'] as never))).toMatchObject({ code: 'SD_ALG_UNSUPPORTED' });
  });

  it('only the top-level _sd_alg is the hash algorithm: a nested one is an ordinary claim', () => {
    const r = processDisclosures({ _sd_alg: 'sha-256', address: { _sd_alg: 'x', _sd: [], a: 1 } }, []);
    expect(r.claims).toStrictEqual({ address: { _sd_alg: 'x', a: 1 } });
  });
});

describe('processDisclosures: RFC 9901 section 7.1 rules, codes and messages', () => {
  it('the result holds claims, sdAlg, digests, referenced and problems, and nothing of the tree unless asked', () => {
    const a = disclose('a', 1);
    const r = processDisclosures({ _sd: [dig(a)], b: 2 }, [a]);
    expect(r).toStrictEqual({ claims: { b: 2, a: 1 }, sdAlg: 'sha-256', digests: [dig(a)], referenced: [true], problems: [] });
  });

  it('null claims and plain array elements (null, objects, primitives) are kept as they are', () => {
    const payload = { a: null, list: [null, { b: 1 }, 'US', 3, [{ c: null }]] };
    expect(processDisclosures(payload, []).claims).toStrictEqual(payload);
  });

  it('_sd must be an array (MALFORMED), a digest a string (MALFORMED)', () => {
    expect(caught(() => processDisclosures({ _sd: 'x' }, []))).toMatchObject({ code: 'MALFORMED', message: '_sd is not an array' });
    expect(caught(() => processDisclosures({ _sd: [1] }, []))).toMatchObject({ code: 'MALFORMED', message: 'a digest is not a string' });
    expect(caught(() => processDisclosures({ list: [{ '...': 5 }] }, []))).toMatchObject({ code: 'MALFORMED', message: 'a digest is not a string' });
  });

  it('a digest may appear once in the whole payload, decoys included (DISCLOSURE_DUPLICATE_DIGEST)', () => {
    const decoy = sdDigest('decoy');
    expect(caught(() => processDisclosures({ _sd: [decoy], x: { _sd: [decoy] } }, []))).toMatchObject({
      code: 'DISCLOSURE_DUPLICATE_DIGEST',
      message: `digest ${decoy} appears more than once`,
    });
  });

  it('the same disclosure twice is DISCLOSURE_DUPLICATE_DIGEST, naming the repeat', () => {
    const a = disclose('a', 1);
    expect(caught(() => processDisclosures({ _sd: [dig(a)] }, [a, a]))).toMatchObject({
      code: 'DISCLOSURE_DUPLICATE_DIGEST',
      message: `disclosure 1 is the same as an earlier one (digest ${dig(a)})`,
    });
  });

  it('a disclosure that no digest references is DISCLOSURE_UNREFERENCED, even next to decoys', () => {
    const stray = disclose('stray', true);
    const e = caught(() => processDisclosures({ _sd: [sdDigest('decoy')] }, [stray]));
    expect(e).toMatchObject({ code: 'DISCLOSURE_UNREFERENCED', message: `disclosure 0 (digest ${dig(stray)}) is not referenced by any digest` });
    expect(e.path).toBeUndefined();
    const a = disclose('a', 1);
    const e2 = caught(() => processDisclosures({ _sd: [sdDigest('decoy-1'), dig(a)], list: [{ '...': sdDigest('decoy-2') }] }, [a, stray]));
    expect(e2).toMatchObject({ code: 'DISCLOSURE_UNREFERENCED', message: `disclosure 1 (digest ${dig(stray)}) is not referenced by any digest` });
  });

  it('an array element disclosure may not be referenced from _sd (DISCLOSURE_MALFORMED)', () => {
    const el = disclose('DE');
    expect(caught(() => processDisclosures({ _sd: [dig(el)] }, [el]))).toMatchObject({
      code: 'DISCLOSURE_MALFORMED',
      message: 'an array element disclosure is referenced from _sd',
    });
  });

  it.each(['_sd', '...'])('a disclosure may not name a claim %s (DISCLOSURE_FORBIDDEN_NAME)', (name) => {
    const bad = disclose(name, 1);
    expect(caught(() => processDisclosures({ _sd: [dig(bad)] }, [bad]))).toMatchObject({
      code: 'DISCLOSURE_FORBIDDEN_NAME',
      message: `a disclosure may not name a claim "${name}"`,
    });
  });

  it('a disclosed name may not collide with a plain claim, another disclosure, or the signed _sd_alg (DISCLOSURE_NAME_COLLISION)', () => {
    const a = disclose('a', 1);
    const a2 = disclose('a', 2);
    const alg = disclose('_sd_alg', 'sha-512');
    const message = (name: string) => `disclosed claim "${name}" already exists at its level`;
    expect(caught(() => processDisclosures({ a: 0, _sd: [dig(a)] }, [a]))).toMatchObject({ code: 'DISCLOSURE_NAME_COLLISION', message: message('a') });
    expect(caught(() => processDisclosures({ _sd: [dig(a), dig(a2)] }, [a, a2]))).toMatchObject({ code: 'DISCLOSURE_NAME_COLLISION', message: message('a') });
    expect(caught(() => processDisclosures({ _sd_alg: 'sha-256', _sd: [dig(alg)] }, [alg]))).toMatchObject({
      code: 'DISCLOSURE_NAME_COLLISION',
      message: message('_sd_alg'),
    });
    expect(caught(() => processDisclosures({ x: { _sd_alg: 'y', _sd: [dig(alg)] } }, [alg]))).toMatchObject({
      code: 'DISCLOSURE_NAME_COLLISION',
      message: message('_sd_alg'),
    });
  });

  it('"..." is only an array element digest: as an object member, or beside other members, it is DISCLOSURE_MALFORMED', () => {
    expect(caught(() => processDisclosures({ odd: { '...': sdDigest('x') } }, []))).toMatchObject({
      code: 'DISCLOSURE_MALFORMED',
      message: 'an object member is named "..." outside an array element digest',
    });
    expect(caught(() => processDisclosures({ list: [{ '...': sdDigest('x'), other: 1 }] }, []))).toMatchObject({
      code: 'DISCLOSURE_MALFORMED',
      message: 'an array element digest object has keys besides "..."',
    });
  });

  it('an object property disclosure may not be referenced as an array element (DISCLOSURE_MALFORMED)', () => {
    const prop = disclose('country', 'DE');
    expect(caught(() => processDisclosures({ list: [{ '...': dig(prop) }] }, [prop]))).toMatchObject({
      code: 'DISCLOSURE_MALFORMED',
      message: 'an object property disclosure is referenced as an array element',
    });
  });

  it('collecting: offending disclosures stay out of the claims, a non-array _sd is reported, paths name array indexes', () => {
    const el = disclose('DE');
    const prop = disclose('country', 'DE');
    const payload = { _sd: [dig(el)], s: { _sd: {} }, t: { _sd: 5 }, list: [1, { odd: { '...': sdDigest('x') } }, { '...': dig(prop) }] };
    const r = processDisclosures(payload, [el, prop], { collect: true });
    expect(r.problems).toStrictEqual([
      { code: 'MALFORMED', message: '_sd is not an array', path: '$.s' },
      { code: 'MALFORMED', message: '_sd is not an array', path: '$.t' },
      { code: 'DISCLOSURE_MALFORMED', message: 'an object member is named "..." outside an array element digest', path: '$.list[1].odd' },
      { code: 'DISCLOSURE_MALFORMED', message: 'an object property disclosure is referenced as an array element', path: '$.list' },
      { code: 'DISCLOSURE_MALFORMED', message: 'an array element disclosure is referenced from _sd', path: '$' },
    ]);
    expect(r.claims).toStrictEqual({ s: {}, t: {}, list: [1, { odd: {} }] });
    expect(r.referenced).toStrictEqual([true, true]);
  });

  it('collecting: a repeated disclosure is referenced when its first copy is', () => {
    const a = disclose('a', 1);
    const stray = disclose('b', 2);
    const r = processDisclosures({ _sd: [dig(a)] }, [stray, a, stray, a], { collect: true });
    expect(r.referenced).toStrictEqual([false, true, false, true]);
    expect(r.problems.map((p) => p.code)).toStrictEqual(['DISCLOSURE_DUPLICATE_DIGEST', 'DISCLOSURE_DUPLICATE_DIGEST', 'DISCLOSURE_UNREFERENCED']);
  });

  it('tree mode: the thrown error says where; the default mode says nothing of paths', () => {
    const a = disclose('a', 1);
    expect(caught(() => processDisclosures({ x: [0, { a: 0, _sd: [dig(a)] }] }, [a], { tree: true }))).toMatchObject({
      code: 'DISCLOSURE_NAME_COLLISION',
      path: '$.x[1]',
    });
    expect(caught(() => processDisclosures({ x: [0, { a: 0, _sd: [dig(a)] }] }, [a])).path).toBeUndefined();
  });

  it('tree mode: paths say where each disclosure landed', () => {
    const fr = disclose('FR');
    const city = disclose('city', 'Paris');
    const r = processDisclosures({ list: ['US', { '...': dig(fr) }, { _sd: [dig(city)] }] }, [fr, city], { tree: true });
    expect(r.paths).toStrictEqual([
      ['list', 1],
      ['list', 2, 'city'],
    ]);
  });

  it('a disclosed __proto__ is an ordinary own, enumerable, writable claim', () => {
    const p = disclose('__proto__', { admin: true });
    const { claims } = processDisclosures({ _sd: [dig(p)] }, [p]);
    expect(Object.getOwnPropertyDescriptor(claims, '__proto__')).toStrictEqual({
      value: { admin: true },
      enumerable: true,
      writable: true,
      configurable: true,
    });
    expect(Object.keys(claims)).toEqual(['__proto__']);
    expect(Object.getPrototypeOf(claims)).toBe(Object.prototype);
  });
});

describe(`processDisclosures: claims nest at most ${MAX_CLAIM_DEPTH} levels (MALFORMED)`, () => {
  const tooDeep = { code: 'MALFORMED', message: `claims nested deeper than ${MAX_CLAIM_DEPTH} levels` };
  const arrays = (k: number) => {
    let v: unknown = 1;
    for (let i = 0; i < k; i++) v = [v];
    return v;
  };

  it('in the signed payload: a value at depth 64 passes, at 65 it does not', () => {
    expect(processDisclosures({ deep: arrays(MAX_CLAIM_DEPTH - 1) }, []).claims.deep).toStrictEqual(arrays(MAX_CLAIM_DEPTH - 1));
    expect(caught(() => processDisclosures({ deep: arrays(MAX_CLAIM_DEPTH) }, []))).toMatchObject(tooDeep);
  });

  it('through a chain of object property disclosures, each one level deeper', () => {
    const chain = (k: number) => {
      const ds: Disclosure[] = [disclose('c', 1)];
      for (let i = 1; i < k; i++) ds.unshift(disclose('c', { _sd: [dig(ds[0]!)] }));
      return { payload: { _sd: [dig(ds[0]!)] }, ds };
    };
    const ok = chain(MAX_CLAIM_DEPTH);
    expect(() => processDisclosures(ok.payload, ok.ds)).not.toThrow();
    const deep = chain(MAX_CLAIM_DEPTH + 1);
    expect(caught(() => processDisclosures(deep.payload, deep.ds))).toMatchObject(tooDeep);
  });

  it('through a chain of array element disclosures, each one level deeper', () => {
    const chain = (k: number) => {
      const ds: Disclosure[] = [disclose('x')];
      for (let i = 1; i < k; i++) ds.unshift(disclose([{ '...': dig(ds[0]!) }]));
      return { payload: { list: [{ '...': dig(ds[0]!) }] }, ds };
    };
    const ok = chain(MAX_CLAIM_DEPTH - 1);
    expect(() => processDisclosures(ok.payload, ok.ds)).not.toThrow();
    const deep = chain(MAX_CLAIM_DEPTH);
    expect(caught(() => processDisclosures(deep.payload, deep.ds))).toMatchObject(tooDeep);
  });
});

// ---- verifySdJwt and key binding ----

const a = encodeDisclosure(['salt-aaaaaaaaaaaaaaaa', 'given_name', 'Ada']);

async function credential(extra: Record<string, unknown> = {}, header: Record<string, unknown> = { typ: 'example+sd-jwt' }): Promise<string> {
  const jwt = await signJwt(header, { iss: issuer.did, _sd: [sdDigest(a)], cnf: { jwk: holder.pub }, ...extra }, issuer.priv);
  return sdJwtOf(jwt, [a]);
}

async function kb(sd: string, payload: Record<string, unknown> = {}, header: Record<string, unknown> = { typ: 'kb+jwt' }, key: KeyObject = holder.priv) {
  return signJwt(header, { iat: NOW_S - 5, aud: AUD, nonce: 'n1', sd_hash: sdDigest(sd), ...payload }, key);
}

const HINT = (maxAge: number) =>
  `: a key-binding proof is made when presenting; make a fresh presentation (netcred wallet present ...) and verify it within ${maxAge} s`;
const tooOld = (maxAge: number) => `KB-JWT is too old (more than ${maxAge} s)${HINT(maxAge)}`;
const FUTURE = 'KB-JWT was issued in the future: the clocks of the wallet and the verifier disagree; check them';

/** The error verifySdJwt throws for `presentation`. */
const rejected = (presentation: string, options: VerifySdJwtOptions) => caught(() => verifySdJwt(presentation, options));

const plain = (extra: Partial<VerifySdJwtOptions> = {}): VerifySdJwtOptions => ({ issuerKey: issuerPub, now: NOW, keyBinding: { required: false }, ...extra });
const bound = (policy: VerifySdJwtOptions['keyBinding'] = {}, extra: Partial<VerifySdJwtOptions> = {}): VerifySdJwtOptions => ({
  issuerKey: issuerPub,
  now: NOW,
  keyBinding: { required: true, aud: AUD, nonce: 'n1', ...policy },
  ...extra,
});

describe('verifySdJwt: input bounds and forms', () => {
  it(`the size bound (default ${DEFAULT_MAX_PRESENTATION_BYTES} bytes of UTF-8) allows exactly the bound, not one byte more`, () => {
    const max = DEFAULT_MAX_PRESENTATION_BYTES;
    const over = { code: 'INPUT_TOO_LARGE', message: `the presentation exceeds ${max} bytes` };
    expect(caught(() => verifySdJwt('x'.repeat(max), plain()))).toMatchObject({ code: 'MALFORMED', message: 'not an SD-JWT: no "~" separator' });
    expect(caught(() => verifySdJwt('x'.repeat(max + 1), plain()))).toMatchObject(over);
    expect(caught(() => verifySdJwt('é'.repeat(max / 2), plain()))).toMatchObject({ code: 'MALFORMED' });
    expect(caught(() => verifySdJwt(`${'é'.repeat(max / 2)}x`, plain()))).toMatchObject(over);
  });

  it('maxBytes replaces the default bound, smaller or larger', async () => {
    const sd = await credential();
    expect(verifySdJwt(sd, plain({ maxBytes: sd.length })).claims.given_name).toBe('Ada');
    expect(caught(() => verifySdJwt(sd, plain({ maxBytes: sd.length - 1 })))).toMatchObject({
      code: 'INPUT_TOO_LARGE',
      message: `the presentation exceeds ${sd.length - 1} bytes`,
    });
    const big = encodeDisclosure(['salt-bbbbbbbbbbbbbbbb', 'photo', 'p'.repeat(DEFAULT_MAX_PRESENTATION_BYTES)]);
    const jwt = await signJwt({ typ: 'example+sd-jwt' }, { iss: issuer.did, _sd: [sdDigest(big)] }, issuer.priv);
    expect(verifySdJwt(sdJwtOf(jwt, [big]), plain({ maxBytes: 4 * DEFAULT_MAX_PRESENTATION_BYTES })).claims.photo).toHaveLength(DEFAULT_MAX_PRESENTATION_BYTES);
  });

  it('refuses a presentation that is not a string', () => {
    expect(caught(() => verifySdJwt(42 as unknown as string, plain()))).toMatchObject({ code: 'MALFORMED', message: 'the presentation must be a string' });
  });

  it('accepts whitespace around a compact or JSON serialized presentation (RFC 9901 section 8)', async () => {
    const sd = await credential();
    expect(verifySdJwt(`\n ${sd} \n`, plain()).claims.given_name).toBe('Ada');
    const [protectedHeader, payload, signature] = sd.split('~')[0]!.split('.');
    const json = JSON.stringify({ protected: protectedHeader, payload, signature, header: { disclosures: [a] } });
    expect(verifySdJwt(`\n  ${json}`, plain()).claims.given_name).toBe('Ada');
    expect(verifySdJwt(` ${JSON.stringify(json)}`, plain()).claims.given_name).toBe('Ada');
  });

  it('a compact presentation is never read as JSON, whatever it ends with', async () => {
    const sd = await credential();
    expect(caught(() => verifySdJwt(`${sd}"`, plain()))).toMatchObject({ code: 'MALFORMED', message: 'the SD-JWT must end with "~" or a KB-JWT' });
    expect(caught(() => verifySdJwt(`${sd}{`, plain()))).toMatchObject({ code: 'MALFORMED', message: 'the SD-JWT must end with "~" or a KB-JWT' });
  });
});

describe('verifySdJwt: the issuer JWT', () => {
  it('refuses a non-canonical issuer signature (same bytes, another string)', async () => {
    const sd = await credential();
    const jwt = sd.split('~')[0]!;
    expect(caught(() => verifySdJwt(sdJwtOf(twinSignature(jwt), [a]), plain()))).toMatchObject({
      code: 'SIGNATURE_INVALID',
      message: 'the issuer signature is not canonical base64url',
    });
  });

  it('refuses a signature that does not verify, with the issuer-JWT message', async () => {
    const sd = await credential();
    expect(caught(() => verifySdJwt(sd, plain({ issuerKey: createPublicKey(party('ed25519').priv) })))).toMatchObject({
      code: 'SIGNATURE_INVALID',
      message: 'the issuer signature does not verify',
    });
  });

  it('refuses an alg outside the allowed list, naming it', async () => {
    const sd = await credential();
    expect(caught(() => verifySdJwt(sd, plain({ algorithms: ['ES256'] })))).toMatchObject({
      code: 'ALG_NOT_ALLOWED',
      message: 'issuer JWT alg EdDSA is not allowed',
    });
  });

  it('refuses critical header parameters (RFC 7515 section 4.1.11)', async () => {
    const sd = await credential({}, { typ: 'example+sd-jwt', crit: ['exp'], exp: 1 });
    expect(caught(() => verifySdJwt(sd, plain()))).toMatchObject({
      code: 'MALFORMED',
      message: 'issuer JWT has critical header parameters we do not understand',
    });
  });

  it('an issuer key resolver gets the decoded (unverified) issuer JWT and picks the key', async () => {
    const sd = await credential({}, { typ: 'example+sd-jwt', kid: 'k1' });
    const seen: unknown[] = [];
    const resolver = (jwt: { header: Record<string, unknown>; payload: Record<string, unknown> }) => {
      seen.push([jwt.header.kid, jwt.payload.iss]);
      return issuerPub;
    };
    expect(verifySdJwt(sd, plain({ issuerKey: resolver })).claims.given_name).toBe('Ada');
    expect(seen).toEqual([['k1', issuer.did]]);
    expect(caught(() => verifySdJwt(sd, plain({ issuerKey: () => createPublicKey(party('ed25519').priv) })))).toMatchObject({ code: 'SIGNATURE_INVALID' });
  });

  it('the accepted _sd_alg list is the one given (SD_ALG_UNSUPPORTED), and a hash we cannot compute is never accepted', async () => {
    const a512 = encodeDisclosure(['salt-cccccccccccccccc', 'given_name', 'Ada']);
    const jwt = await signJwt({ typ: 'example+sd-jwt' }, { iss: issuer.did, _sd_alg: 'sha-512', _sd: [sdDigest(a512, 'sha-512')] }, issuer.priv);
    expect(verifySdJwt(sdJwtOf(jwt, [a512]), plain()).sdAlg).toBe('sha-512');
    expect(caught(() => verifySdJwt(sdJwtOf(jwt, [a512]), plain({ sdAlgs: ['sha-256'] })))).toMatchObject({
      code: 'SD_ALG_UNSUPPORTED',
      message: '_sd_alg sha-512 is not supported',
    });
    const md5 = await signJwt({ typ: 'example+sd-jwt' }, { iss: issuer.did, _sd_alg: 'md5', _sd: [] }, issuer.priv);
    expect(caught(() => verifySdJwt(sdJwtOf(md5, []), plain({ sdAlgs: ['md5'] as never })))).toMatchObject({ code: 'SD_ALG_UNSUPPORTED' });
  });

  it('a disclosure may not shadow the signed _sd_alg (DISCLOSURE_NAME_COLLISION)', async () => {
    const shadow = encodeDisclosure(['salt-dddddddddddddddd', '_sd_alg', 'sha-512']);
    const jwt = await signJwt({ typ: 'example+sd-jwt' }, { iss: issuer.did, _sd_alg: 'sha-256', _sd: [sdDigest(shadow)] }, issuer.priv);
    expect(caught(() => verifySdJwt(sdJwtOf(jwt, [shadow]), plain()))).toMatchObject({ code: 'DISCLOSURE_NAME_COLLISION' });
  });
});

describe('verifySdJwt: the verification time', () => {
  it('is a Date or milliseconds since the epoch, reported in whole seconds', async () => {
    const sd = await credential();
    expect(verifySdJwt(sd, plain({ now: NOW })).now).toBe(NOW_S);
    expect(verifySdJwt(sd, plain({ now: NOW.getTime() })).now).toBe(NOW_S);
    expect(verifySdJwt(sd, plain({ now: NOW.getTime() + 999 })).now).toBe(NOW_S);
  });

  it('defaults to the clock', async () => {
    const sd = await credential();
    const before = Math.floor(Date.now() / 1000);
    const r = verifySdJwt(sd, { issuerKey: issuerPub, keyBinding: { required: false } });
    expect(r.now).toBeGreaterThanOrEqual(before);
    expect(r.now).toBeLessThanOrEqual(Math.floor(Date.now() / 1000));
  });

  it('an invalid date or a non-finite number is MALFORMED', async () => {
    const sd = await credential();
    for (const now of [new Date(Number.NaN), Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(caught(() => verifySdJwt(sd, plain({ now })))).toMatchObject({ code: 'MALFORMED', message: 'the verification time is not a valid date' });
    }
  });
});

describe('verifySdJwt: cnf and whether key binding is required (RFC 9901 section 7.3)', () => {
  it('key binding is required by default, and when the policy leaves `required` out', async () => {
    const sd = await credential();
    const missing = { code: 'KB_JWT_MISSING', message: 'key binding is required but no KB-JWT was presented' };
    expect(caught(() => verifySdJwt(sd, { issuerKey: issuerPub, now: NOW }))).toMatchObject(missing);
    expect(caught(() => verifySdJwt(sd, { issuerKey: issuerPub, now: NOW, keyBinding: {} }))).toMatchObject(missing);
    expect(verifySdJwt(sd, plain()).kbJwt).toBeUndefined();
  });

  it('a credential whose cnf is absent, null, without jwk or with an unsupported key verifies as a plain SD-JWT, without holder key', async () => {
    const rsa = {
      kty: 'RSA',
      n: 'sXchDaQebHnPiGvyDOAT4saGEUetSyo9MKLOoWFsueri23bOdgWp4Dy1WlUzewbgBHod5pcM9H95GQRV3JDXboIRROSBigeC5yjU1hGzHHyXss8UDprecbAYxknTcQkhslANGRUZmdTOQ5qTRsLAt6BTYuyvVRdhS8exSZEy_c4gs_7svlJJQ4H9_NxsiIoLwAEk7-Q3UXERGYw_75IDrGA84-lA_-Ct4eTlXHBIY2EaV7t7LjJaynVJCpkv4LKjTTAumiGUIuQhrNhZLuF_RJLqHpM2kgWFLU7-VTdL1VbC2tejvcI2BlMkEpk1BzBZI0KQB0GaDWFLN-aEAw3vRw',
      e: 'AQAB',
    };
    for (const cnf of [undefined, null, 'x', {}, { jwk: null }, { jwk: rsa }, { jwk: { kty: 'OKP', crv: 'Ed25519' } }]) {
      const sd = await credential({ cnf });
      const r = verifySdJwt(sd, plain());
      expect(r.holderJwk, JSON.stringify(cnf)).toBeUndefined();
      expect(rejected(sd + (await kb(sd)), plain()), JSON.stringify(cnf)).toMatchObject({
        code: 'KB_JWT_INVALID',
        message: 'a KB-JWT was presented but the credential has no supported cnf.jwk',
      });
    }
  });

  it('returns the holder key and the verified KB-JWT', async () => {
    const sd = await credential();
    const r = verifySdJwt(sd + (await kb(sd)), bound());
    expect(r.holderJwk).toStrictEqual(holder.pub);
    expect(r.kbJwt?.header).toMatchObject({ typ: 'kb+jwt', alg: 'ES256' });
    expect(r.kbJwt?.payload).toStrictEqual({ iat: NOW_S - 5, aud: AUD, nonce: 'n1', sd_hash: sdDigest(sd) });
    expect(r).toMatchObject({ claims: { iss: issuer.did, given_name: 'Ada' }, sdAlg: 'sha-256', now: NOW_S });
    expect(r.header).toStrictEqual({ alg: 'EdDSA', typ: 'example+sd-jwt' });
    expect(r.payload).toStrictEqual({ iss: issuer.did, _sd: [sdDigest(a)], cnf: { jwk: holder.pub } });
    expect(r.disclosures).toStrictEqual([parseDisclosure(a)]);
  });
});

describe('KB-JWT (RFC 9901 section 7.3 step 4)', () => {
  it('refuses a non-canonical KB-JWT signature with its own message', async () => {
    const sd = await credential();
    expect(rejected(sd + twinSignature(await kb(sd)), bound())).toMatchObject({
      code: 'KB_JWT_INVALID',
      message: 'the KB-JWT signature is not canonical base64url',
    });
  });

  it('a KB-JWT that is not a JWS is KB_JWT_INVALID', async () => {
    const sd = await credential();
    expect(caught(() => verifySdJwt(`${sd}aaaa.bbbb.cccc`, bound()))).toMatchObject({ code: 'KB_JWT_INVALID', message: 'the KB-JWT is not a compact JWS' });
  });

  it('typ must be kb+jwt', async () => {
    const sd = await credential();
    expect(rejected(sd + (await kb(sd, {}, { typ: 'JWT' })), bound())).toMatchObject({
      code: 'KB_JWT_INVALID',
      message: 'KB-JWT typ must be kb+jwt, got JWT',
    });
    expect(rejected(sd + (await kb(sd, {}, {})), bound())).toMatchObject({
      code: 'KB_JWT_INVALID',
      message: 'KB-JWT typ must be kb+jwt, got undefined',
    });
  });

  it('refuses critical header parameters', async () => {
    const sd = await credential();
    expect(rejected(sd + (await kb(sd, {}, { typ: 'kb+jwt', crit: ['x'], x: 1 })), bound())).toMatchObject({
      code: 'KB_JWT_INVALID',
      message: 'KB-JWT has critical header parameters we do not understand',
    });
  });

  it('the signature must verify with cnf.jwk, under an allowed alg; the message says which failed', async () => {
    const sd = await credential();
    expect(rejected(sd + (await kb(sd, {}, undefined, party('p256').priv)), bound())).toMatchObject({
      code: 'KB_JWT_INVALID',
      message: 'KB-JWT rejected: its signature does not verify with cnf.jwk',
    });
    expect(rejected(sd + (await kb(sd)), bound({}, { algorithms: ['EdDSA'] }))).toMatchObject({
      code: 'KB_JWT_INVALID',
      message: 'KB-JWT rejected: its alg is not allowed',
    });
  });

  it('sd_hash is over the presented SD-JWT with the credential _sd_alg', async () => {
    const sd = await credential();
    const mismatch = { code: 'KB_JWT_SD_HASH_MISMATCH', message: 'KB-JWT sd_hash does not match the presented SD-JWT' };
    expect(rejected(sd + (await kb(sd, { sd_hash: sdDigest(`${sd.split('~')[0]}~`) })), bound())).toMatchObject(mismatch);
    expect(rejected(sd + (await kb(sd, { sd_hash: undefined })), bound())).toMatchObject(mismatch);
    const a384 = encodeDisclosure(['salt-eeeeeeeeeeeeeeee', 'given_name', 'Ada']);
    const jwt = await signJwt(
      { typ: 'example+sd-jwt' },
      { iss: issuer.did, _sd_alg: 'sha-384', _sd: [sdDigest(a384, 'sha-384')], cnf: { jwk: holder.pub } },
      issuer.priv,
    );
    const sd384 = sdJwtOf(jwt, [a384]);
    expect(verifySdJwt(sd384 + (await kb(sd384, { sd_hash: sdDigest(sd384, 'sha-384') })), bound()).sdAlg).toBe('sha-384');
    expect(rejected(sd384 + (await kb(sd384)), bound())).toMatchObject(mismatch);
  });

  it('aud must be a non-empty string, even when the policy names no audience', async () => {
    const sd = await credential();
    for (const aud of [undefined, '', ['https://kiosk.example'], 5]) {
      expect(rejected(sd + (await kb(sd, { aud })), bound({ aud: undefined })), JSON.stringify(aud)).toMatchObject({
        code: 'KB_JWT_AUD_MISMATCH',
        message: 'KB-JWT aud must be a non-empty string',
      });
    }
  });

  it('aud must be the verifier (one of its audiences); with no expected audience any is accepted and reported', async () => {
    const sd = await credential();
    const notUs = (aud: string) => ({ code: 'KB_JWT_AUD_MISMATCH', message: `KB-JWT aud ${aud} is not this verifier` });
    // the same length as AUD, and another length
    for (const aud of ['https://kiosk.exampl3', 'https://evil.example.org']) {
      const p = sd + (await kb(sd, { aud }));
      expect(caught(() => verifySdJwt(p, bound()))).toMatchObject(notUs(aud));
    }
    const own = sd + (await kb(sd));
    expect(verifySdJwt(own, bound({ aud: ['https://other.example', AUD] })).kbJwt?.payload.aud).toBe(AUD);
    expect(caught(() => verifySdJwt(own, bound({ aud: ['https://other.example'] })))).toMatchObject(notUs(AUD));
    expect(verifySdJwt(sd + (await kb(sd, { aud: 'https://anyone.example' })), bound({ aud: undefined })).kbJwt?.payload.aud).toBe('https://anyone.example');
  });

  it('nonce must be a non-empty string, even when the policy expects none', async () => {
    const sd = await credential();
    for (const nonce of [undefined, '', 5, ['n1']]) {
      expect(rejected(sd + (await kb(sd, { nonce })), bound({ nonce: undefined })), JSON.stringify(nonce)).toMatchObject({
        code: 'KB_JWT_NONCE_MISMATCH',
        message: 'KB-JWT nonce must be a non-empty string',
      });
    }
  });

  it('nonce must be the expected one; with none expected any is accepted and reported', async () => {
    const sd = await credential();
    for (const nonce of ['n2', 'n10', 'n']) {
      expect(rejected(sd + (await kb(sd, { nonce })), bound()), nonce).toMatchObject({
        code: 'KB_JWT_NONCE_MISMATCH',
        message: 'KB-JWT nonce does not match',
      });
    }
    expect(verifySdJwt(sd + (await kb(sd, { nonce: 'holder-chosen' })), bound({ nonce: undefined })).kbJwt?.payload.nonce).toBe('holder-chosen');
  });

  it('iat is required and must be a NumericDate (KB_JWT_INVALID)', async () => {
    const sd = await credential();
    expect(rejected(sd + (await kb(sd, { iat: undefined })), bound())).toMatchObject({ code: 'KB_JWT_INVALID', message: 'KB-JWT iat is missing' });
    expect(rejected(sd + (await kb(sd, { iat: 'now' })), bound())).toMatchObject({
      code: 'KB_JWT_INVALID',
      message: 'KB-JWT iat must be a NumericDate',
    });
  });

  it('iat within maxAgeSeconds and clockSkewSeconds, boundaries included (KB_JWT_STALE, with what to do)', async () => {
    const sd = await credential();
    const policy = bound({ maxAgeSeconds: 60 }, { clockSkewSeconds: 5 });
    const at = async (iat: number) => sd + (await kb(sd, { iat }));
    expect(verifySdJwt(await at(NOW_S - 65), policy).kbJwt?.payload.iat).toBe(NOW_S - 65);
    expect(verifySdJwt(await at(NOW_S + 5), policy).kbJwt?.payload.iat).toBe(NOW_S + 5);
    const old = await at(NOW_S - 66);
    expect(caught(() => verifySdJwt(old, policy))).toMatchObject({ code: 'KB_JWT_STALE', message: tooOld(60) });
    const early = await at(NOW_S + 6);
    expect(caught(() => verifySdJwt(early, policy))).toMatchObject({ code: 'KB_JWT_STALE', message: FUTURE });
  });

  it('by default a KB-JWT may be 300 s old and 60 s ahead', async () => {
    const sd = await credential();
    const at = async (iat: number) => sd + (await kb(sd, { iat }));
    expect(verifySdJwt(await at(NOW_S - 360), bound()).kbJwt?.payload.iat).toBe(NOW_S - 360);
    expect(verifySdJwt(await at(NOW_S + 60), bound()).kbJwt?.payload.iat).toBe(NOW_S + 60);
    const old = await at(NOW_S - 361);
    expect(caught(() => verifySdJwt(old, bound()))).toMatchObject({ code: 'KB_JWT_STALE', message: tooOld(300) });
    const early = await at(NOW_S + 61);
    expect(caught(() => verifySdJwt(early, bound()))).toMatchObject({ code: 'KB_JWT_STALE', message: FUTURE });
    expect(caught(() => verifySdJwt(early, bound({}, { clockSkewSeconds: 0 })))).toMatchObject({ code: 'KB_JWT_STALE' });
  });

  it('an exp sent in the KB-JWT is held too', async () => {
    const sd = await credential();
    const expired = sd + (await kb(sd, { exp: NOW_S - 61 }));
    expect(caught(() => verifySdJwt(expired, bound()))).toMatchObject({
      code: 'KB_JWT_STALE',
      message: `KB-JWT expired at ${new Date((NOW_S - 61) * 1000).toISOString()}${HINT(300)}`,
    });
  });
});

describe('decodeSdJwt (inspection, nothing verified)', () => {
  it('refuses what is not a string', () => {
    expect(caught(() => decodeSdJwt(42 as unknown as string))).toMatchObject({ code: 'INVALID_INPUT', message: 'input must be a string' });
  });

  it(`reads at most ${MAX_DECODE_INPUT} bytes of UTF-8: exactly the bound passes, one byte more does not`, () => {
    const over = { code: 'INPUT_TOO_LARGE', message: `SD-JWT exceeds the limit of ${MAX_DECODE_INPUT} bytes` };
    expect(caught(() => decodeSdJwt('x'.repeat(MAX_DECODE_INPUT)))).toMatchObject({ code: 'JWS_MALFORMED' });
    expect(caught(() => decodeSdJwt('x'.repeat(MAX_DECODE_INPUT + 1)))).toMatchObject(over);
    expect(caught(() => decodeSdJwt('é'.repeat(MAX_DECODE_INPUT / 2)))).toMatchObject({ code: 'JWS_MALFORMED' });
    expect(caught(() => decodeSdJwt(`${'é'.repeat(MAX_DECODE_INPUT / 2)}x`))).toMatchObject(over);
  });

  it('JSON input must parse and be an EnvelopedVerifiableCredential with a string id', () => {
    expect(caught(() => decodeSdJwt('{oops'))).toMatchObject({ code: 'INVALID_INPUT', message: 'input looks like JSON but does not parse' });
    for (const text of ['{}', '{"id": 3}', '{"id": null}']) {
      expect(
        caught(() => decodeSdJwt(text)),
        text,
      ).toMatchObject({
        code: 'INVALID_INPUT',
        message: 'JSON input is not an EnvelopedVerifiableCredential (no string id)',
      });
    }
    expect(caught(() => decodeSdJwt(`{"id": ${'['.repeat(64)}${']'.repeat(64)}}`))).toMatchObject({
      code: 'INPUT_TOO_DEEP',
      message: 'JSON input is nested deeper than 64 levels',
    });
  });

  it('a data: URL needs a ","', () => {
    expect(caught(() => decodeSdJwt('data:application/dc+sd-jwt'))).toMatchObject({ code: 'INVALID_INPUT', message: 'data: URL has no ","' });
  });

  it('whitespace around the input, and inside the token (line-wrapped examples), is ignored', async () => {
    const sd = await credential();
    const wrapped = `${sd.slice(0, 40)}\n  ${sd.slice(40)}`;
    const expected = decodeSdJwt(sd);
    expect(decodeSdJwt(`\n ${wrapped}\n`)).toStrictEqual(expected);
    expect(decodeSdJwt(` \n data:application/dc+sd-jwt,${wrapped}`)).toStrictEqual({ ...expected, mediaType: 'application/dc+sd-jwt' });
    expect(decodeSdJwt(`\n  ${JSON.stringify({ id: `data:application/dc+sd-jwt,${sd}` })}`)).toStrictEqual({ ...expected, mediaType: 'application/dc+sd-jwt' });
  });

  it('shows a plain JWT as kind jwt, with no disclosures, no problems and no media type', async () => {
    const jwt = (await credential()).split('~')[0]!;
    const payload = { iss: issuer.did, _sd: [sdDigest(a)], cnf: { jwk: holder.pub } };
    expect(decodeSdJwt(jwt)).toStrictEqual({
      kind: 'jwt',
      header: { alg: 'EdDSA', typ: 'example+sd-jwt' },
      payload,
      disclosures: [],
      claims: payload,
      problems: [],
    });
  });

  it('shows every disclosure with its digest, salt, name (property only), value and whether it is referenced, and the KB-JWT', async () => {
    const el = encodeDisclosure(['salt-ffffffffffffffff', 'DE']);
    const stray = encodeDisclosure(['salt-gggggggggggggggg', 'x', 1]);
    const payload = { iss: issuer.did, _sd: [sdDigest(a)], list: [{ '...': sdDigest(el) }] };
    const jwt = await signJwt({ typ: 'example+sd-jwt' }, payload, issuer.priv);
    const sd = sdJwtOf(jwt, [a, el, stray]);
    const kbJwt = await kb(sd);
    const decoded = decodeSdJwt(sd + kbJwt);
    expect(decoded).toStrictEqual({
      kind: 'sd-jwt',
      header: { alg: 'EdDSA', typ: 'example+sd-jwt' },
      payload,
      disclosures: [
        { digest: sdDigest(a), salt: 'salt-aaaaaaaaaaaaaaaa', name: 'given_name', value: 'Ada', referenced: true, encoded: a },
        { digest: sdDigest(el), salt: 'salt-ffffffffffffffff', value: 'DE', referenced: true, encoded: el },
        { digest: sdDigest(stray), salt: 'salt-gggggggggggggggg', name: 'x', value: 1, referenced: false, encoded: stray },
      ],
      kbJwt: { header: { alg: 'ES256', typ: 'kb+jwt' }, payload: { iat: NOW_S - 5, aud: AUD, nonce: 'n1', sd_hash: sdDigest(sd) } },
      claims: { iss: issuer.did, list: ['DE'], given_name: 'Ada' },
      problems: [{ code: 'DISCLOSURE_UNREFERENCED', message: `disclosure 2 (digest ${sdDigest(stray)}) is not referenced by any digest`, path: '$' }],
    });
    expect(Object.hasOwn(decodeSdJwt(sd), 'kbJwt')).toBe(false);
  });
});
