import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  createDidResolver,
  didJwkFromJwk,
  didKeyFromJwk,
  didWebFromUrl,
  didWebToUrl,
  isNetcredError,
  jwkFromDidJwk,
  jwkFromDidKey,
  jwkFromDocument,
  publicJwkOf,
  resolvePublicKey,
} from '../../core/index.js';

describe('did:key', () => {
  // Known vector from the did:key spec (Ed25519, test vector 1) and from W3C CCG (P-256).
  it('decodes the did:key spec Ed25519 example to the key its document lists', () => {
    const did = 'did:key:z6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooWp';
    const jwk = jwkFromDidKey(did);
    expect(jwk).toEqual({ kty: 'OKP', crv: 'Ed25519', x: 'O2onvM62pC1io6jQKm8Nc2UyFXcd4kOmOsBIoYtZ2ik' });
    expect(didKeyFromJwk(jwk)).toBe(did);
  });

  it('round-trips Ed25519 and P-256 keys; P-256 uses the zDn prefix', () => {
    const ed = publicJwkOf(generateKeyPairSync('ed25519').publicKey);
    expect(didKeyFromJwk(ed)).toMatch(/^did:key:z6Mk/);
    expect(jwkFromDidKey(didKeyFromJwk(ed))).toEqual(ed);
    for (let i = 0; i < 20; i++) {
      const p = publicJwkOf(generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey);
      const did = didKeyFromJwk(p);
      expect(did).toMatch(/^did:key:zDn/);
      expect(jwkFromDidKey(did)).toEqual(p);
    }
  });

  it('rejects malformed identifiers with typed errors', () => {
    for (const bad of ['did:key:', 'did:key:z0OIl', 'did:key:abc', 'did:key:z6Mk']) {
      try {
        jwkFromDidKey(bad);
        expect.unreachable(bad);
      } catch (err) {
        expect(isNetcredError(err)).toBe(true);
      }
    }
  });
});

describe('did:jwk and did:web', () => {
  it('round-trips did:jwk and rejects private keys', () => {
    const kp = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const jwk = publicJwkOf(kp.publicKey);
    expect(jwkFromDidJwk(didJwkFromJwk(jwk))).toEqual(jwk);
    const priv = Buffer.from(JSON.stringify(kp.privateKey.export({ format: 'jwk' }))).toString('base64url');
    expect(() => jwkFromDidJwk(`did:jwk:${priv}`)).toThrow(/not a public/);
  });

  it('maps did:web to and from URLs as the method spec says', () => {
    expect(didWebToUrl('did:web:example.com')).toBe('https://example.com/.well-known/did.json');
    expect(didWebToUrl('did:web:example.com:user:alice')).toBe('https://example.com/user/alice/did.json');
    expect(didWebToUrl('did:web:localhost%3A8443')).toBe('https://localhost:8443/.well-known/did.json');
    expect(didWebFromUrl('https://issuer.example:8443/gov/id')).toBe('did:web:issuer.example%3A8443:gov:id');
    expect(() => didWebToUrl('did:web:exa mple.com')).toThrow(expect.objectContaining({ code: 'DID_INVALID' }));
  });
});

describe('resolution', () => {
  it('resolves did:key offline and refuses a kid of another DID', async () => {
    const jwk = publicJwkOf(generateKeyPairSync('ed25519').publicKey);
    const did = didKeyFromJwk(jwk);
    const resolver = createDidResolver();
    const { jwk: resolved } = await resolvePublicKey(resolver, did, `${did}#${did.slice(8)}`);
    expect(resolved).toEqual(jwk);
    const other = didKeyFromJwk(publicJwkOf(generateKeyPairSync('ed25519').publicKey));
    await expect(resolvePublicKey(resolver, did, `${other}#${other.slice(8)}`)).rejects.toMatchObject({ code: 'KID_MISMATCH' });
  });

  it('does not fetch did:web when network resolution is off, and uses a pinned document', async () => {
    const resolver = createDidResolver();
    await expect(resolvePublicKey(resolver, 'did:web:issuer.example')).rejects.toMatchObject({ code: 'DID_NOT_FOUND' });
    const jwk = publicJwkOf(generateKeyPairSync('ed25519').publicKey);
    const doc = {
      id: 'did:web:issuer.example',
      verificationMethod: [{ id: '#k1', type: 'JsonWebKey2020', controller: 'did:web:issuer.example', publicKeyJwk: jwk }],
    };
    const pinned = createDidResolver({ webDocuments: { 'did:web:issuer.example': doc as never } });
    expect((await resolvePublicKey(pinned, 'did:web:issuer.example', 'did:web:issuer.example#k1')).jwk).toEqual(jwk);
    expect(() => jwkFromDocument(doc as never, 'did:web:issuer.example', 'did:web:issuer.example#k2')).toThrow(/has no key/);
  });

  it('rejects unsupported methods', async () => {
    await expect(resolvePublicKey(createDidResolver(), 'did:ethr:0x1234')).rejects.toMatchObject({ code: 'DID_UNSUPPORTED_METHOD' });
  });
});
