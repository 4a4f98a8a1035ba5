import { createCipheriv, createDecipheriv, randomBytes, scryptSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
// Internals on purpose: every parameter check and bound of the wallet's PIN KDF and of AES-GCM sealing.
import { IV_BYTES, openSealed, SEAL_VERSION, seal as coreSeal, TAG_BYTES, type SealFormat } from '../../core/crypto/seal.js';
import {
  assertKdfParams,
  assertPinAcceptable,
  DEFAULT_KDF,
  derivePinKey,
  newKdfParams,
  PIN_MAX_LENGTH,
  PIN_MIN_LENGTH,
  type KdfParams,
} from '../../holder/crypto/pin-kdf.js';
import { open as walletOpen, seal as walletSeal } from '../../holder/crypto/seal.js';
import { thrown } from '../helpers/thrown.js';

/** Small scrypt cost: the rules, not the cost, are under test. */
const FAST = { N: 1024, r: 8, p: 1 } as const;

describe('PIN rules (holder/crypto/pin-kdf.ts assertPinAcceptable)', () => {
  const weak = (pin: unknown, message: string) =>
    expect(
      thrown(() => assertPinAcceptable(pin as string)),
      JSON.stringify(pin),
    ).toMatchObject({ code: 'PIN_TOO_WEAK', message });
  const LENGTH = 'the PIN must be 6 to 128 printable characters (digits are fine)';

  it('6 to 128 characters: 5 and 129 refused, 6 and 128 accepted', () => {
    expect(PIN_MIN_LENGTH).toBe(6);
    expect(PIN_MAX_LENGTH).toBe(128);
    weak('a1b2c', LENGTH);
    expect(assertPinAcceptable('a1b2c3')).toBeUndefined();
    expect(assertPinAcceptable('x'.repeat(128))).toBeUndefined();
    weak('x'.repeat(129), LENGTH);
    weak('', LENGTH);
  });

  it('a PIN that is not a string is refused', () => {
    for (const pin of [123456, null, undefined, ['123957']]) weak(pin, LENGTH);
  });

  it('no control characters (C0 and DEL) anywhere; spaces and other characters are fine', () => {
    for (const c of ['\u0000', '\t', '\n', '\u001f', '\u007f']) weak(`ab${c}cdef`, LENGTH);
    for (const pin of ['ab cdef', 'pâté42', '\u0080abcdef', '~!@#$%']) expect(assertPinAcceptable(pin), pin).toBeUndefined();
  });

  it('one digit repeated is refused (the whole PIN only)', () => {
    for (const pin of ['111111', '0000000', '9'.repeat(128)]) weak(pin, 'the PIN must not repeat one digit');
    for (const pin of ['1111110', 'x111111', 'aaaaaa']) expect(assertPinAcceptable(pin), pin).toBeUndefined();
  });

  it('a run of digits up or down is refused', () => {
    for (const pin of ['123456', '654321', '234567', '3456789', '9876543210', '012345']) weak(pin, 'the PIN must not be a run of digits such as 123456');
    // Not one step of +1 or -1 throughout, or not all digits.
    for (const pin of ['123457', '890123', '135791', '1234560', 'a123456', '123456a']) expect(assertPinAcceptable(pin), pin).toBeUndefined();
  });

  it('a group of 2 or 3 digits repeated is refused (the whole PIN only)', () => {
    for (const pin of ['121212', '123123', '909090', '1212121212', '112112', '987987987']) {
      weak(pin, 'the PIN must not repeat a group of digits such as 121212');
    }
    for (const pin of ['12341234', '1212123', '3121212', '1231234', '12121a']) expect(assertPinAcceptable(pin), pin).toBeUndefined();
  });
});

describe('scrypt parameters (holder/crypto/pin-kdf.ts)', () => {
  it('the default cost is N = 2^17, r = 8, p = 1', () => {
    expect(DEFAULT_KDF).toEqual({ N: 131_072, r: 8, p: 1 });
    expect(newKdfParams()).toMatchObject({ alg: 'scrypt', N: 131_072, r: 8, p: 1 });
  });

  it('newKdfParams: the given cost and a fresh 16-byte base64url salt', () => {
    const a = newKdfParams(FAST);
    const b = newKdfParams(FAST);
    expect(a).toMatchObject({ alg: 'scrypt', ...FAST });
    expect(a.salt).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(Buffer.from(a.salt, 'base64url')).toHaveLength(16);
    expect(a.salt).not.toBe(b.salt);
    expect(() => assertKdfParams(a)).not.toThrow();
  });

  it('assertKdfParams accepts the bounds: N a power of two from 2 to 2^20, r 1 to 32, p 1 to 16, any string salt', () => {
    const ok: KdfParams[] = [
      { alg: 'scrypt', N: 2, r: 1, p: 1, salt: '' },
      { alg: 'scrypt', N: 2 ** 20, r: 32, p: 16, salt: 'c2FsdA' },
      { alg: 'scrypt', N: 1024, r: 8, p: 1, salt: 'x' },
    ];
    for (const v of ok) expect(() => assertKdfParams(v), JSON.stringify(v)).not.toThrow();
  });

  it('assertKdfParams refuses anything else as WALLET_CORRUPT', () => {
    const good = { alg: 'scrypt', N: 1024, r: 8, p: 1, salt: 'x' };
    const bad: unknown[] = [
      null,
      undefined,
      'scrypt',
      { ...good, alg: 'argon2id' },
      { ...good, alg: undefined },
      { ...good, N: 1 },
      { ...good, N: 0 },
      { ...good, N: -2 },
      { ...good, N: 3 },
      { ...good, N: 1000 },
      { ...good, N: 2 ** 21 },
      { ...good, N: 1024.5 },
      { ...good, N: '1024' },
      { ...good, r: 0 },
      { ...good, r: 33 },
      { ...good, r: 1.5 },
      { ...good, r: '8' },
      { ...good, p: 0 },
      { ...good, p: 17 },
      { ...good, p: 1.5 },
      { ...good, p: '1' },
      { ...good, salt: 42 },
      { ...good, salt: undefined },
    ];
    for (const v of bad) {
      expect(
        thrown(() => assertKdfParams(v)),
        JSON.stringify(v) ?? String(v),
      ).toMatchObject({ code: 'WALLET_CORRUPT', message: 'stored KDF parameters are invalid' });
    }
  });

  it('derivePinKey: the default cost (N = 2^17, r = 8: 128 MiB) gets the memory it needs', async () => {
    const params = newKdfParams();
    expect(params).toMatchObject({ N: 131_072, r: 8, p: 1 });
    expect((await derivePinKey('pin-123456', params)).length).toBe(32);
  });

  it('derivePinKey: 32 bytes of scrypt over the NFKC PIN with the base64url salt and the stored cost', async () => {
    const params = newKdfParams(FAST);
    const key = await derivePinKey('pin-123456', params);
    expect(key).toHaveLength(32);
    expect(key.equals(scryptSync('pin-123456', Buffer.from(params.salt, 'base64url'), 32, { N: 1024, r: 8, p: 1 }))).toBe(true);
    expect((await derivePinKey('pin-123456', params)).equals(key)).toBe(true);
    expect((await derivePinKey('pin-123457', params)).equals(key)).toBe(false);
    expect((await derivePinKey('pin-123456', newKdfParams(FAST))).equals(key)).toBe(false);
    // NFKC: a full-width or decomposed PIN is the same PIN.
    expect((await derivePinKey('ｐｉｎ-１２３４５６', params)).equals(key)).toBe(true);
    const composed = await derivePinKey('caf\u00e9-99', params);
    expect((await derivePinKey('cafe\u0301-99', params)).equals(composed)).toBe(true);
    // r and p are the stored ones.
    expect((await derivePinKey('pin-123456', { ...params, r: 4 })).equals(key)).toBe(false);
    expect((await derivePinKey('pin-123456', { ...params, p: 2 })).equals(key)).toBe(false);
  });

  it('derivePinKey allows the memory the cost needs: N = 2^15, r = 8 (32 MiB, over scrypt default maxmem) derives', async () => {
    const params: KdfParams = { alg: 'scrypt', N: 2 ** 15, r: 8, p: 1, salt: 'c2FsdHNhbHRzYWx0c2FsdA' };
    expect(await derivePinKey('pin-123456', params)).toHaveLength(32);
  });

  it('derivePinKey: parameters scrypt refuses are KDF_FAILED, not an untyped error', async () => {
    await expect(derivePinKey('pin-123456', { alg: 'scrypt', N: 3, r: 8, p: 1, salt: 'c2FsdA' })).rejects.toMatchObject({
      code: 'KDF_FAILED',
      message: expect.stringMatching(/^scrypt failed: /),
    });
  });
});

describe('AES-256-GCM sealing (core/crypto/seal.ts)', () => {
  const key = randomBytes(32);
  const fmt = (layout: SealFormat['layout']): SealFormat => ({
    layout,
    codes: { malformed: 'SEALED_INVALID', wrongKey: 'SECRET_INVALID' },
    names: { value: 'secret', key: 'the issuer key' },
  });
  const FIRST = fmt('tag-first');
  const LAST = fmt('tag-last');

  it('version 1, a 12-byte IV, a 16-byte tag', () => {
    expect([SEAL_VERSION, IV_BYTES, TAG_BYTES]).toEqual([1, 12, 16]);
  });

  it('tag-first: version | IV | tag | ciphertext, AES-256-GCM with the AAD', () => {
    const pt = Buffer.from('hello, wallet');
    const s = coreSeal(key, pt, 'row-1', FIRST);
    expect(s).toHaveLength(1 + 12 + 16 + pt.length);
    expect(s[0]).toBe(1);
    const d = createDecipheriv('aes-256-gcm', key, s.subarray(1, 13));
    d.setAAD(Buffer.from('row-1', 'utf8'));
    d.setAuthTag(s.subarray(13, 29));
    expect(Buffer.concat([d.update(s.subarray(29)), d.final()])).toEqual(pt);
    expect(openSealed(key, s, 'row-1', FIRST)).toEqual(pt);
  });

  it('tag-last: version | IV | ciphertext | tag', () => {
    const pt = Buffer.from('hello, issuer');
    const s = coreSeal(key, pt, 'row-2', LAST);
    expect(s).toHaveLength(1 + 12 + pt.length + 16);
    const d = createDecipheriv('aes-256-gcm', key, s.subarray(1, 13));
    d.setAAD(Buffer.from('row-2', 'utf8'));
    d.setAuthTag(s.subarray(s.length - 16));
    expect(Buffer.concat([d.update(s.subarray(13, s.length - 16)), d.final()])).toEqual(pt);
    expect(openSealed(key, s, 'row-2', LAST)).toEqual(pt);
  });

  it('opens a value written by hand in either layout (independent of seal)', () => {
    const iv = randomBytes(12);
    const c = createCipheriv('aes-256-gcm', key, iv);
    c.setAAD(Buffer.from('r', 'utf8'));
    const ct = Buffer.concat([c.update('abc'), c.final()]);
    const tag = c.getAuthTag();
    expect(openSealed(key, Buffer.concat([Buffer.from([1]), iv, tag, ct]), 'r', FIRST).toString()).toBe('abc');
    expect(openSealed(key, Buffer.concat([Buffer.from([1]), iv, ct, tag]), 'r', LAST).toString()).toBe('abc');
  });

  it('a fresh IV per value', () => {
    const a = coreSeal(key, Buffer.from('x'), 'r', FIRST);
    const b = coreSeal(key, Buffer.from('x'), 'r', FIRST);
    expect(a.subarray(1, 13).equals(b.subarray(1, 13))).toBe(false);
  });

  it('the shortest value is 29 bytes (empty plaintext) and opens; 28 bytes is malformed', () => {
    for (const f of [FIRST, LAST]) {
      const s = coreSeal(key, Buffer.alloc(0), 'r', f);
      expect(s).toHaveLength(29);
      expect(openSealed(key, s, 'r', f)).toHaveLength(0);
      expect(thrown(() => openSealed(key, s.subarray(0, 28), 'r', f))).toMatchObject({ code: 'SEALED_INVALID', message: 'secret r is malformed' });
    }
  });

  it('a version byte other than 1, or a value that is not bytes, is malformed', () => {
    const s = coreSeal(key, Buffer.from('x'), 'r', FIRST);
    for (const v of [0, 2, 255]) {
      const copy = Buffer.from(s);
      copy[0] = v;
      expect(thrown(() => openSealed(key, copy, 'r', FIRST))).toMatchObject({ code: 'SEALED_INVALID', message: 'secret r is malformed' });
    }
    for (const v of [s.toString('base64url'), undefined, [...s]]) {
      expect(thrown(() => openSealed(key, v as unknown as Uint8Array, 'r', FIRST))).toMatchObject({ code: 'SEALED_INVALID' });
    }
  });

  it('a view into a larger buffer opens (its byteOffset is honoured)', () => {
    const s = coreSeal(key, Buffer.from('inner'), 'r', LAST);
    const big = Buffer.concat([Buffer.from('prefix-'), s, Buffer.from('-suffix')]);
    const view = new Uint8Array(big.buffer, big.byteOffset + 7, s.length);
    expect(openSealed(key, view, 'r', LAST).toString()).toBe('inner');
  });

  it('another key, another AAD, the other layout or a flipped bit: the wrongKey code, naming the key', () => {
    const s = coreSeal(key, Buffer.from('payload'), 'row-1', FIRST);
    const msg = { code: 'SECRET_INVALID', message: 'secret row-1 does not open with the issuer key' };
    expect(thrown(() => openSealed(randomBytes(32), s, 'row-1', FIRST))).toMatchObject(msg);
    expect(thrown(() => openSealed(key, s, 'row-2', FIRST))).toMatchObject({
      code: 'SECRET_INVALID',
      message: 'secret row-2 does not open with the issuer key',
    });
    expect(thrown(() => openSealed(key, s, 'row-1', LAST))).toMatchObject(msg);
    for (const i of [1, 13, 29, s.length - 1]) {
      const t = Buffer.from(s);
      t[i]! ^= 1;
      expect(
        thrown(() => openSealed(key, t, 'row-1', FIRST)),
        `byte ${i}`,
      ).toMatchObject(msg);
    }
    expect(thrown(() => openSealed(randomBytes(16), s, 'row-1', FIRST))).toMatchObject(msg);
  });
});

describe('wallet sealing (holder/crypto/seal.ts: tag-first, SEALED_RECORD_INVALID)', () => {
  const key = randomBytes(32);

  it('is the tag-first layout of core sealing', () => {
    const s = walletSeal(key, Buffer.from('record'), 'credential:1');
    expect(
      openSealed(key, s, 'credential:1', {
        layout: 'tag-first',
        codes: { malformed: 'SEALED_INVALID', wrongKey: 'SECRET_INVALID' },
        names: { value: 'v', key: 'k' },
      }).toString(),
    ).toBe('record');
    expect(walletOpen(key, s, 'credential:1').toString()).toBe('record');
    expect(
      walletOpen(
        key,
        coreSeal(key, Buffer.from('r2'), 'a', {
          layout: 'tag-first',
          codes: { malformed: 'SEALED_INVALID', wrongKey: 'SECRET_INVALID' },
          names: { value: 'v', key: 'k' },
        }),
        'a',
      ).toString(),
    ).toBe('r2');
  });

  it('malformed and wrong key are both SEALED_RECORD_INVALID, with their own message', () => {
    const s = walletSeal(key, Buffer.from('record'), 'credential:1');
    expect(thrown(() => walletOpen(key, s.subarray(0, 28), 'credential:1'))).toMatchObject({
      code: 'SEALED_RECORD_INVALID',
      message: 'sealed record credential:1 is malformed',
    });
    expect(thrown(() => walletOpen(randomBytes(32), s, 'credential:1'))).toMatchObject({
      code: 'SEALED_RECORD_INVALID',
      message: 'sealed record credential:1 does not open with this key',
    });
    expect(thrown(() => walletOpen(key, s, 'credential:2'))).toMatchObject({
      code: 'SEALED_RECORD_INVALID',
      message: 'sealed record credential:2 does not open with this key',
    });
  });
});
