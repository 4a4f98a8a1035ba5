import { createSecretKey, generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { algForKey, b64uEncode, decodeCompact, isSupportedAlg, keyObjectSigner, nodeSignParams, signCompact, verifyCompact } from '../../core/index.js';

/**
 * The JOSE rules one by one (core/jose/alg.ts, decode.ts, verify.ts), each refusal with its code
 * and message: the mutation run (docs/testing.md) showed the shared JWS tests reached these
 * lines without telling a changed message or a changed algorithm rule apart.
 */

const ed = generateKeyPairSync('ed25519');
const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const json = (v: unknown) => b64uEncode(JSON.stringify(v));

describe('algorithms (core/jose/alg.ts)', () => {
  it('supports exactly EdDSA and ES256, case-sensitively', () => {
    expect(isSupportedAlg('EdDSA')).toBe(true);
    expect(isSupportedAlg('ES256')).toBe(true);
    for (const other of ['none', 'ES384', 'RS256', 'HS256', 'eddsa', 'es256', '', undefined, null, 256]) expect(isSupportedAlg(other)).toBe(false);
  });

  it('names the algorithm of an Ed25519 or P-256 key and refuses every other key type by name', () => {
    expect(algForKey(ed.publicKey)).toBe('EdDSA');
    expect(algForKey(ec.privateKey)).toBe('ES256');
    const cases: [ReturnType<typeof createSecretKey> | ReturnType<typeof generateKeyPairSync>['publicKey'], string][] = [
      [generateKeyPairSync('ec', { namedCurve: 'P-384' }).publicKey, 'unsupported key type ec'],
      [generateKeyPairSync('ec', { namedCurve: 'secp256k1' }).publicKey, 'unsupported key type ec'],
      [generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey, 'unsupported key type rsa'],
      [generateKeyPairSync('ed448').publicKey, 'unsupported key type ed448'],
      [createSecretKey(Buffer.alloc(32, 1)), 'unsupported key type unknown'],
    ];
    for (const [key, message] of cases) expect(() => algForKey(key)).toThrow(expect.objectContaining({ code: 'KEY_UNSUPPORTED', message }));
  });

  it('signs Ed25519 without a digest and ES256 over SHA-256 in the raw r||s form', () => {
    expect(nodeSignParams('EdDSA')).toEqual({ digest: null });
    expect(nodeSignParams('ES256')).toEqual({ digest: 'sha256', dsaEncoding: 'ieee-p1363' });
  });
});

describe('decoding a compact JWS (core/jose/decode.ts)', () => {
  const malformed = (input: unknown, message: string) => {
    let caught: unknown;
    try {
      decodeCompact(input as string);
    } catch (e) {
      caught = e;
    }
    expect(caught).toMatchObject({ code: 'JWS_MALFORMED', message });
    return caught as Error;
  };

  it('takes a string of exactly three parts', () => {
    malformed(5, 'JWS must be a string');
    malformed(undefined, 'JWS must be a string');
    for (const parts of ['', 'a.b', 'a.b.c.d']) malformed(parts, 'compact JWS must have three parts');
  });

  it('header and payload are base64url JSON objects, the cause kept', () => {
    expect(malformed('!!.e30.', 'JWS header is not base64url JSON').cause).toBeDefined();
    expect(malformed(`${json({ alg: 'EdDSA' })}.bm90anNvbg.`, 'JWS payload is not base64url JSON').cause).toBeDefined();
    for (const notObject of [null, 5, 'text', [], [{ alg: 'EdDSA' }]]) malformed(`${json(notObject)}.e30.`, 'JWS header is not a JSON object');
    for (const notObject of [null, 5, 'text', []]) malformed(`${json({ alg: 'EdDSA' })}.${json(notObject)}.`, 'JWS payload is not a JSON object');
  });

  it('the header names its alg as a string', () => {
    for (const alg of [undefined, 5, null, ['EdDSA']]) malformed(`${json({ alg })}.e30.`, 'JWS header has no alg');
  });

  it('the signature is base64url, the cause kept', () => {
    const cause = malformed(`${json({ alg: 'EdDSA' })}.e30.a+b/`, 'JWS signature is not base64url').cause;
    expect(cause).toMatchObject({ code: 'INVALID_INPUT', message: 'JWS signature is not valid base64url' });
  });

  it('a part may hold up to 4 MiB of JSON (status list tokens), more is INPUT_TOO_LARGE', () => {
    const big = json({ bits: 'x'.repeat(3 * 1024 * 1024) });
    expect(decodeCompact<{ bits: string }>(`${json({ alg: 'EdDSA' })}.${big}.`).payload.bits.length).toBe(3 * 1024 * 1024);
    expect(() => decodeCompact(`${json({ alg: 'EdDSA' })}.${json({ bits: 'x'.repeat(4 * 1024 * 1024) })}.`)).toThrow(
      expect.objectContaining({ code: 'INPUT_TOO_LARGE' }),
    );
  });

  it('returns what it split: header, payload, signing input, signature bytes and their text', () => {
    const h = json({ alg: 'EdDSA', typ: 't' });
    const p = json({ a: 1 });
    const s = Buffer.from([1, 2, 3]).toString('base64url');
    expect(decodeCompact(`${h}.${p}.${s}`)).toEqual({
      header: { alg: 'EdDSA', typ: 't' },
      payload: { a: 1 },
      signingInput: `${h}.${p}`,
      signature: Buffer.from([1, 2, 3]),
      encodedSignature: s,
    });
  });
});

describe('verifying a compact JWS (core/jose/verify.ts)', () => {
  const refusal = (fn: () => unknown, code: string, message: string) => expect(fn).toThrow(expect.objectContaining({ code, message }));

  it('each refusal says which rule failed', async () => {
    const jws = await signCompact({ typ: 'a+jwt' }, { x: 1 }, keyObjectSigner(ed.privateKey));
    refusal(() => verifyCompact(jws, ed.publicKey, { algorithms: ['ES256'] }), 'ALG_NOT_ALLOWED', 'alg EdDSA is not allowed');
    refusal(() => verifyCompact(jws, ec.publicKey), 'ALG_KEY_MISMATCH', 'alg EdDSA does not match the key type');
    const crit = await signCompact({ crit: ['x'] }, {}, keyObjectSigner(ed.privateKey));
    refusal(() => verifyCompact(crit, ed.publicKey), 'JWS_CRIT_UNSUPPORTED', 'JWS has critical header parameters we do not understand');
    const [h, , s] = jws.split('.');
    refusal(() => verifyCompact(`${h}.${json({ x: 2 })}.${s}`, ed.publicKey), 'SIGNATURE_INVALID', 'JWS signature does not verify');
    refusal(() => verifyCompact(jws, ed.publicKey, { typ: 'b+jwt' }), 'TYP_INVALID', 'typ a+jwt is not one of b+jwt');
    refusal(() => verifyCompact(jws, ed.publicKey, { typ: ['b+jwt', 'c+jwt'] }), 'TYP_INVALID', 'typ a+jwt is not one of b+jwt, c+jwt');
  });

  it('a non-canonical signature encoding is refused as such', async () => {
    const jws = await signCompact({}, { a: 1 }, keyObjectSigner(ed.privateKey));
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const last = alphabet.indexOf(jws.at(-1)!);
    const twin = alphabet[(last & ~0xf) | ((last + 1) & 0xf)]!;
    refusal(() => verifyCompact(jws.slice(0, -1) + twin, ed.publicKey), 'SIGNATURE_INVALID', 'JWS signature is not canonical base64url');
  });

  it('an expected typ may be one of several, and every supported algorithm verifies by default', async () => {
    for (const [key, alg] of [
      [ed, 'EdDSA'],
      [ec, 'ES256'],
    ] as const) {
      const jws = await signCompact({ typ: 'c+jwt' }, { x: 1 }, keyObjectSigner(key.privateKey));
      expect(verifyCompact(jws, key.publicKey, { typ: ['b+jwt', 'c+jwt'] }).header).toMatchObject({ alg, typ: 'c+jwt' });
      expect(verifyCompact(jws, key.publicKey).payload).toEqual({ x: 1 });
    }
  });
});
