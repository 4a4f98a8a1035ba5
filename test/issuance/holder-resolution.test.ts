import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  createDidResolver,
  didJwkFromJwk,
  didKeyFromJwk,
  jwkFromDocument,
  publicJwkOf,
  resolveDidDocument,
  resolvePublicJwk,
  resolvePublicKey,
} from '../../core/index.js';
// An internal on purpose: did:key identifiers are forged byte by byte, and base58 itself is tested.
import { base58Decode, base58Encode } from '../../core/encoding/base58.js';

// Holder DIDs at issuance are resolved offline for did:key and did:jwk (no did-resolver round
// trip): the answers and error codes must be those of the did-resolver path.
const resolver = createDidResolver();

async function viaResolver(did: string, kid?: string): Promise<unknown> {
  try {
    return { jwk: jwkFromDocument(await resolveDidDocument(resolver, did), did, kid) };
  } catch (err) {
    return { code: (err as { code?: string }).code };
  }
}

async function outcome(fn: () => Promise<unknown>): Promise<unknown> {
  try {
    return { jwk: await fn() };
  } catch (err) {
    return { code: (err as { code?: string }).code };
  }
}

const ed = publicJwkOf(generateKeyPairSync('ed25519').privateKey);
const p256 = publicJwkOf(generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey);
const edKey = didKeyFromJwk(ed);
const pKey = didKeyFromJwk(p256);
const edJwk = didJwkFromJwk(ed);
const pJwk = didJwkFromJwk(p256);

describe('offline holder resolution (did:key, did:jwk)', () => {
  const cases: [string, string | undefined][] = [
    [edKey, undefined],
    [pKey, undefined],
    [edJwk, undefined],
    [pJwk, undefined],
    [edKey, `${edKey}#${edKey.slice(8)}`],
    [edKey, `#${edKey.slice(8)}`],
    [edKey, `${edKey}#other`],
    [edKey, `${pKey}#${pKey.slice(8)}`],
    [pJwk, `${pJwk}#0`],
    [pJwk, `${pJwk}#1`],
    ['did:key:z0OIl', undefined],
    ['did:key:', undefined],
    ['did:key:zQ3shokFTS3brHcDQrn82RUDfCZESWL1ZdCEJwekUDPQiYBme', undefined], // secp256k1: not supported
    [`did:key:z${base58Encode(Uint8Array.from([0x80, 0x24, 0x02, ...randomBytes(32).fill(0xff)]))}`, undefined], // not a P-256 point
    ['did:jwk:!!', undefined],
    [`did:jwk:${Buffer.from('{"kty":"OKP","crv":"Ed25519","x":"AA","d":"AA"}').toString('base64url')}`, undefined],
    [`did:jwk:${Buffer.from('not json').toString('base64url')}`, undefined],
  ];
  it.each(cases)('%s (kid %s): same JWK or error code as through did-resolver', async (did, kid) => {
    const expected = await viaResolver(did, kid);
    expect(await outcome(async () => (await resolvePublicKey(resolver, did, kid)).jwk)).toEqual(expected);
    expect(await outcome(() => resolvePublicJwk(resolver, did, kid))).toEqual(expected);
  });

  it('returns the key that was encoded', async () => {
    expect(await resolvePublicJwk(resolver, edKey)).toEqual(ed);
    expect(await resolvePublicJwk(resolver, pKey)).toEqual(p256);
    expect((await resolvePublicKey(resolver, pJwk)).key.export({ format: 'jwk' })).toMatchObject(p256);
  });

  it('still sends did:web and other methods to the resolver', async () => {
    await expect(resolvePublicJwk(resolver, 'did:web:issuer.example')).rejects.toMatchObject({ code: 'DID_NOT_FOUND' });
    await expect(resolvePublicJwk(resolver, 'did:ethr:0x1234')).rejects.toMatchObject({ code: 'DID_UNSUPPORTED_METHOD' });
  });
});

describe('base58 decoding', () => {
  it('round-trips with leading zero bytes and refuses characters outside the alphabet', () => {
    for (let len = 0; len < 48; len++) {
      const bytes = randomBytes(len);
      for (let z = 0; z < Math.min(len, len % 4); z++) bytes[z] = 0;
      expect(Buffer.from(base58Decode(base58Encode(bytes))!)).toEqual(bytes);
    }
    for (const bad of ['0', 'O', 'I', 'l', 'z0', 'é', '\u0100']) expect(base58Decode(bad)).toBeUndefined();
    // Known value: "hello world" in base58btc.
    expect(Buffer.from(base58Decode('StV1DL6CwTryKyV')!).toString()).toBe('hello world');
  });
});
