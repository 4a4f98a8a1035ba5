import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { b64uEncode, decodeCompact, jwkThumbprint, keyObjectSigner, signCompact, verifyCompact } from '../../core/index.js';

describe('compact JWS', () => {
  for (const [name, kp] of [
    ['EdDSA', generateKeyPairSync('ed25519')],
    ['ES256', generateKeyPairSync('ec', { namedCurve: 'P-256' })],
  ] as const) {
    it(`${name}: signs, verifies, and rejects tampering`, async () => {
      const jws = await signCompact({ typ: 'test+jwt' }, { hello: 'world' }, keyObjectSigner(kp.privateKey, 'did:example:1#k'));
      const { header, payload } = verifyCompact(jws, kp.publicKey, { typ: 'test+jwt' });
      expect(header).toMatchObject({ alg: name, typ: 'test+jwt', kid: 'did:example:1#k' });
      expect(payload).toEqual({ hello: 'world' });
      const [h, , s] = jws.split('.');
      expect(() => verifyCompact(`${h}.${b64uEncode('{"hello":"mars"}')}.${s}`, kp.publicKey)).toThrow(expect.objectContaining({ code: 'SIGNATURE_INVALID' }));
      expect(() => verifyCompact(jws, kp.publicKey, { typ: 'other' })).toThrow(expect.objectContaining({ code: 'TYP_INVALID' }));
    });
  }

  it('never accepts alg none, and checks alg against the key type', async () => {
    const kp = generateKeyPairSync('ed25519');
    const none = `${b64uEncode('{"alg":"none"}')}.${b64uEncode('{}')}.`;
    expect(() => verifyCompact(none, kp.publicKey)).toThrow(expect.objectContaining({ code: 'ALG_NOT_ALLOWED' }));
    // Even a caller listing none gets no key that matches it.
    expect(() => verifyCompact(none, kp.publicKey, { algorithms: ['none' as never] })).toThrow(expect.objectContaining({ code: 'ALG_KEY_MISMATCH' }));
    const jws = await signCompact({}, {}, keyObjectSigner(kp.privateKey));
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    expect(() => verifyCompact(jws, ec.publicKey)).toThrow(expect.objectContaining({ code: 'ALG_KEY_MISMATCH' }));
    expect(() => verifyCompact(jws, kp.publicKey, { algorithms: ['ES256'] })).toThrow(expect.objectContaining({ code: 'ALG_NOT_ALLOWED' }));
  });

  it('rejects malformed input with JWS_MALFORMED', () => {
    for (const bad of ['', 'a.b', 'a.b.c.d', '!!.e30.', `${b64uEncode('[]')}.e30.`, `${b64uEncode('{"alg":"EdDSA"}')}.bm90anNvbg.`]) {
      expect(() => decodeCompact(bad)).toThrow(expect.objectContaining({ code: 'JWS_MALFORMED' }));
    }
  });

  it('computes the RFC 7638 example thumbprint', () => {
    // RFC 8037 appendix A.3: thumbprint of the Ed25519 example key.
    expect(jwkThumbprint({ kty: 'OKP', crv: 'Ed25519', x: '11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo' })).toBe('kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k');
  });
});

describe('strict JWS checks shared by every role', () => {
  it('rejects a non-canonical signature encoding and unknown critical headers', async () => {
    const kp = generateKeyPairSync('ed25519');
    const jws = await signCompact({}, { a: 1 }, keyObjectSigner(kp.privateKey));
    // An Ed25519 signature is 64 bytes: 86 base64url characters, the last one with 4 unused bits.
    const last = jws.at(-1)!;
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const twin = alphabet[(alphabet.indexOf(last) & ~0xf) | ((alphabet.indexOf(last) + 1) & 0xf)]!;
    const variant = jws.slice(0, -1) + twin;
    expect(Buffer.from(variant.split('.')[2]!, 'base64url')).toEqual(Buffer.from(jws.split('.')[2]!, 'base64url'));
    expect(() => verifyCompact(jws, kp.publicKey)).not.toThrow();
    expect(() => verifyCompact(variant, kp.publicKey)).toThrow(expect.objectContaining({ code: 'SIGNATURE_INVALID' }));
    const crit = await signCompact({ crit: ['exp'], exp: 1 }, { a: 1 }, keyObjectSigner(kp.privateKey));
    expect(() => verifyCompact(crit, kp.publicKey)).toThrow(expect.objectContaining({ code: 'JWS_CRIT_UNSUPPORTED' }));
  });
});
