import { createHash, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  accessTokenHash,
  clientAttestationHeaders,
  createPkcePair,
  dpopHeaderValue,
  isCodeVerifier,
  normalizeHtu,
  pkceMatches,
  s256Challenge,
  verifyClientAttestation,
  verifyDpopProof,
} from '../../core/index.js';

/** JWTs signed here with node:crypto only, so the rules are checked against something they did not make. */
const b64u = (v: unknown) => Buffer.from(typeof v === 'string' ? v : JSON.stringify(v)).toString('base64url');

type Key = { privateKey: KeyObject; jwk: Record<string, string>; alg: 'ES256' | 'EdDSA' };

function key(alg: 'ES256' | 'EdDSA' = 'ES256'): Key {
  const pair = alg === 'ES256' ? generateKeyPairSync('ec', { namedCurve: 'prime256v1' }) : generateKeyPairSync('ed25519');
  return { privateKey: pair.privateKey, jwk: pair.publicKey.export({ format: 'jwk' }) as Record<string, string>, alg };
}

function jwt(k: Key, header: Record<string, unknown>, payload: Record<string, unknown>): string {
  const input = `${b64u({ alg: k.alg, ...header })}.${b64u(payload)}`;
  const sig =
    k.alg === 'ES256' ? sign('sha256', Buffer.from(input), { key: k.privateKey, dsaEncoding: 'ieee-p1363' }) : sign(null, Buffer.from(input), k.privateKey);
  return `${input}.${sig.toString('base64url')}`;
}

const now = Math.floor(Date.now() / 1000);
const URL_ = 'https://issuer.example/oid4vci/token';
const check = { request: { method: 'POST', url: URL_ }, now, maxAge: 300, clockTolerance: 60 };

function proof(k: Key, payload: Record<string, unknown> = {}, header: Record<string, unknown> = {}): string {
  return jwt(k, { typ: 'dpop+jwt', jwk: k.jwk, ...header }, { htm: 'POST', htu: URL_, iat: now, jti: `j-${Math.random()}`, ...payload });
}

describe('PKCE (RFC 7636)', () => {
  it('matches the RFC 7636 appendix B example and only a verifier of the right form', () => {
    const verifier = 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk';
    expect(s256Challenge(verifier)).toBe('E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM');
    expect(pkceMatches(verifier, 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM')).toBe(true);
    expect(pkceMatches(`${verifier.slice(0, -1)}j`, 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM')).toBe(false);
    expect(isCodeVerifier('short')).toBe(false);
    expect(isCodeVerifier('a'.repeat(129))).toBe(false);
    expect(isCodeVerifier(`${'a'.repeat(42)}!`)).toBe(false);
    const pair = createPkcePair();
    expect(pair.method).toBe('S256');
    expect(pkceMatches(pair.verifier, pair.challenge)).toBe(true);
  });
});

describe('DPoP proofs (RFC 9449)', () => {
  it('htu is compared normalized: no query or fragment, case of scheme and host, default port, percent-encoding', () => {
    expect(normalizeHtu('HTTPS://Issuer.Example:443/oid4vci/token?x=1#f')).toBe(URL_);
    expect(normalizeHtu('https://issuer.example/oid4vci/%74oken')).toBe(URL_);
    expect(normalizeHtu('https://issuer.example/a%2fb')).toBe('https://issuer.example/a%2Fb');
    expect(normalizeHtu('https://issuer.example:8443/x')).not.toBe(normalizeHtu('https://issuer.example/x'));
    expect(normalizeHtu('ftp://issuer.example/x')).toBeUndefined();
    expect(normalizeHtu(42)).toBeUndefined();
  });

  it('accepts a good proof and returns its RFC 7638 thumbprint', async () => {
    const k = key();
    const verified = await verifyDpopProof(proof(k, { htu: 'https://ISSUER.example/oid4vci/token?ignored=1' }), check);
    const canonical = JSON.stringify({ crv: k.jwk.crv, kty: k.jwk.kty, x: k.jwk.x, y: k.jwk.y });
    expect(verified.jkt).toBe(createHash('sha256').update(canonical).digest('base64url'));
    const ed = key('EdDSA');
    expect((await verifyDpopProof(proof(ed), check)).jwk.crv).toBe('Ed25519');
  });

  it('refuses a wrong typ, a private key, a bad signature, a wrong htm or htu, a stale or future iat, no jti', async () => {
    const k = key();
    const refused = async (p: string, re: RegExp) => {
      await expect(verifyDpopProof(p, check)).rejects.toMatchObject({ code: 'DPOP_PROOF_INVALID', message: expect.stringMatching(re) });
    };
    await refused(proof(k, {}, { typ: 'JWT' }), /typ/);
    await refused(proof(k, {}, { jwk: k.privateKey.export({ format: 'jwk' }) }), /public key|private/);
    const other = key();
    await refused(proof(k, {}, { jwk: other.jwk }), /signature/);
    await refused(proof(k, { htm: 'GET' }), /htm/);
    await refused(proof(k, { htu: 'https://issuer.example/oid4vci/credential' }), /htu/);
    await refused(proof(k, { iat: now - 600 }), /too old/);
    await refused(proof(k, { iat: now + 120 }), /future/);
    await refused(proof(k, { jti: undefined }), /jti/);
    await refused(jwt(k, { typ: 'dpop+jwt', jwk: k.jwk, alg: 'none' }, { htm: 'POST', htu: URL_, iat: now, jti: 'x' }), /alg|verify/);
  });

  it('wants the server nonce when asked (use_dpop_nonce), ath on resource requests, and the bound key', async () => {
    const k = key();
    const acceptNonce = (n: string) => n === 'server-nonce';
    await expect(verifyDpopProof(proof(k), { ...check, acceptNonce })).rejects.toMatchObject({ code: 'DPOP_NONCE_REQUIRED' });
    await expect(verifyDpopProof(proof(k, { nonce: 'stale' }), { ...check, acceptNonce })).rejects.toMatchObject({ code: 'DPOP_NONCE_REQUIRED' });
    await verifyDpopProof(proof(k, { nonce: 'server-nonce' }), { ...check, acceptNonce });

    const token = 'an-access-token';
    await expect(verifyDpopProof(proof(k), { ...check, accessToken: token })).rejects.toMatchObject({
      code: 'DPOP_PROOF_INVALID',
      message: expect.stringMatching(/ath/),
    });
    expect(accessTokenHash(token)).toBe(createHash('sha256').update(token).digest('base64url'));
    const { jkt } = await verifyDpopProof(proof(k, { ath: accessTokenHash(token) }), { ...check, accessToken: token });
    await expect(verifyDpopProof(proof(key()), { ...check, boundJkt: jkt })).rejects.toMatchObject({ message: expect.stringMatching(/another key/) });
  });

  it('the header: one, compact, bounded', () => {
    expect(dpopHeaderValue(undefined)).toBeUndefined();
    expect(() => dpopHeaderValue('a.b.c, d.e.f')).toThrow(/more than one/);
    expect(() => dpopHeaderValue('not a jws')).toThrow(/compact/);
    expect(() => dpopHeaderValue(`a.${'b'.repeat(5000)}.c`)).toThrow(/too large/);
  });
});

describe('client attestation (draft-ietf-oauth-attestation-based-client-auth)', () => {
  const provider = key();
  const AUD = 'https://issuer.example';
  const options = { trustedKeys: [provider.jwk], audience: AUD, now, maxAge: 300, clockTolerance: 60 };

  function pair(over: { att?: Record<string, unknown>; pop?: Record<string, unknown>; popKey?: Key; signer?: Key } = {}) {
    const instance = key();
    const attestation = jwt(
      over.signer ?? provider,
      { typ: 'oauth-client-attestation+jwt' },
      { iss: 'https://wallet-provider.example', sub: 'wallet-1', exp: now + 3600, cnf: { jwk: instance.jwk }, ...over.att },
    );
    const pop = jwt(over.popKey ?? instance, { typ: 'oauth-client-attestation-pop+jwt' }, { aud: AUD, jti: `p-${Math.random()}`, iat: now, ...over.pop });
    return { attestation, pop };
  }

  it('accepts an attestation by a trusted provider with a fresh PoP by its cnf key', async () => {
    const p = pair();
    const v = await verifyClientAttestation(p.attestation, p.pop, { ...options, clientId: 'wallet-1' });
    expect(v).toMatchObject({ clientId: 'wallet-1', walletProvider: 'https://wallet-provider.example' });
    expect(v.popExpiresAt).toBe(now + 360);
  });

  it('refuses an untrusted provider, an expired attestation, a PoP by another key, for another server, stale, or another client_id', async () => {
    const refused = async (p: { attestation: string; pop: string }, re: RegExp, extra: Record<string, unknown> = {}) => {
      await expect(verifyClientAttestation(p.attestation, p.pop, { ...options, ...extra })).rejects.toMatchObject({
        code: 'CLIENT_ATTESTATION_INVALID',
        message: expect.stringMatching(re),
      });
    };
    await refused(pair({ signer: key() }), /trusted wallet provider/);
    await refused(pair({ att: { exp: now - 120 } }), /exp/);
    await refused(pair({ att: { cnf: undefined } }), /cnf/);
    await refused(pair({ popKey: key() }), /signature/);
    await refused(pair({ pop: { aud: 'https://other.example' } }), /aud/);
    await refused(pair({ pop: { iat: now - 900 } }), /too old/);
    await refused(pair({ pop: { jti: undefined } }), /jti/);
    await refused(pair(), /not the attested client/, { clientId: 'someone-else' });
  });

  it('wants both headers, once each', () => {
    expect(clientAttestationHeaders(undefined, undefined)).toBeUndefined();
    expect(() => clientAttestationHeaders('a.b.c', undefined)).toThrow(/go together/);
    expect(() => clientAttestationHeaders('a.b.c, a.b.c', 'a.b.c')).toThrow(/more than one/);
  });
});
