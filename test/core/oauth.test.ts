import { createHash, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  accessTokenHash,
  clientAttestationHeaders,
  createDpopKey,
  createDpopProof,
  createPkcePair,
  decodeCompact,
  dpopHeaderValue,
  isCodeVerifier,
  NetcredError,
  normalizeHtu,
  pkceMatches,
  s256Challenge,
  verifyClientAttestation,
  verifyDpopProof,
} from '../../core/index.js';
// Internals on purpose: the issuer's and wallet's own helpers (not in core's public API), tested at their source.
import { DPOP_MAX_BYTES, jwkThumbprintOf } from '../../core/oauth/dpop.js';
import { isS256Challenge } from '../../core/oauth/pkce.js';

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

// One test per rule of core/oauth/pkce.ts and dpop.ts, each error pinned to its code (issue 18).
describe('PKCE rules', () => {
  const verifier = 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk';
  const challenge = 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM';

  it('a code_verifier is 43 to 128 unreserved characters, nothing else', () => {
    for (const v of ['a'.repeat(43), 'a'.repeat(128), `${'A0'.repeat(20)}-._~`]) expect(isCodeVerifier(v)).toBe(true);
    for (const v of [
      'a'.repeat(42),
      'a'.repeat(129),
      `${'a'.repeat(42)}+`,
      `${'a'.repeat(42)}/`,
      `${'a'.repeat(42)}=`,
      ` ${'a'.repeat(43)}`,
      43,
      undefined,
      null,
    ]) {
      expect(isCodeVerifier(v)).toBe(false);
    }
  });

  it('an S256 code_challenge is exactly 43 base64url characters', () => {
    expect(isS256Challenge(challenge)).toBe(true);
    // Only a string: an array (a repeated form or query parameter) whose text would match is refused.
    expect(isS256Challenge([challenge])).toBe(false);
    expect(isCodeVerifier(['a'.repeat(43)])).toBe(false);
    expect(pkceMatches([verifier], challenge)).toBe(false);
    for (const c of [challenge.slice(1), `${challenge}A`, `${challenge.slice(1)}+`, `${challenge.slice(1)}.`, `${challenge}=`, 43, undefined])
      expect(isS256Challenge(c)).toBe(false);
  });

  it('pkceMatches is false, never an error, for a malformed verifier or challenge', () => {
    expect(pkceMatches(verifier, challenge)).toBe(true);
    for (const c of ['', 'short', `${challenge}A`, `${challenge.slice(1)}.`]) expect(pkceMatches(verifier, c)).toBe(false);
    for (const v of [undefined, 42, 'short', `${verifier}!`]) expect(pkceMatches(v, challenge)).toBe(false);
    // A verifier that is not of the RFC's form is refused even when it hashes to the challenge.
    expect(pkceMatches('short', s256Challenge('short'))).toBe(false);
  });

  it('createPkcePair: a fresh 43-character verifier (256 bits) and its S256 challenge', () => {
    const a = createPkcePair();
    const b = createPkcePair();
    expect(a.verifier).toHaveLength(43);
    expect(isCodeVerifier(a.verifier)).toBe(true);
    expect(a.challenge).toBe(s256Challenge(a.verifier));
    expect(a).toEqual({ verifier: a.verifier, challenge: a.challenge, method: 'S256' });
    expect(b.verifier).not.toBe(a.verifier);
  });
});

describe('DPoP rules', () => {
  const refused = async (p: Promise<unknown>, code: string, phrase: string) => {
    const e = await p.then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(e).toBeInstanceOf(NetcredError);
    expect((e as NetcredError).code).toBe(code);
    expect((e as NetcredError).message).toContain(phrase);
  };
  const refusedSync = (f: () => unknown, code: string, phrase: string) => refused(Promise.resolve().then(f), code, phrase);

  it('the DPoP header: one value, trimmed, at most 4096 bytes, a compact JWS', async () => {
    const jws = `a.${'b'.repeat(DPOP_MAX_BYTES - 4)}.c`;
    expect(dpopHeaderValue(` ${jws} `)).toBe(jws);
    expect(dpopHeaderValue('eyJ0.eyJ1.c2ln')).toBe('eyJ0.eyJ1.c2ln');
    await refusedSync(() => dpopHeaderValue([jws]), 'DPOP_PROOF_INVALID', 'more than one DPoP header');
    await refusedSync(() => dpopHeaderValue([jws, jws]), 'DPOP_PROOF_INVALID', 'more than one DPoP header');
    await refusedSync(() => dpopHeaderValue(`${jws},${jws}`), 'DPOP_PROOF_INVALID', 'more than one DPoP header');
    await refusedSync(() => dpopHeaderValue(`a.${'b'.repeat(DPOP_MAX_BYTES - 3)}.c`), 'DPOP_PROOF_INVALID', 'the DPoP proof is too large');
    for (const v of ['', 'a.b', 'a.b.c.d', 'a.b.', '.b.c', 'a.b+.c', 'a b.c.d'])
      await refusedSync(() => dpopHeaderValue(v), 'DPOP_PROOF_INVALID', 'not a compact JWS');
  });

  it('htu: only http(s) URLs of at most 2048 characters, without user or password', () => {
    expect(normalizeHtu('http://issuer.example/x')).toBe('http://issuer.example/x');
    expect(normalizeHtu('http://issuer.example:80/x')).toBe('http://issuer.example/x');
    const longest = `https://issuer.example/${'a'.repeat(2048 - 23)}`;
    expect(longest).toHaveLength(2048);
    expect(normalizeHtu(longest)).toBe(longest);
    for (const u of [
      `${longest}a`,
      'https://user@issuer.example/x',
      'https://:pw@issuer.example/x',
      'not a url',
      '/relative',
      'data:,x',
      'file:///x',
      undefined,
    ]) {
      expect(normalizeHtu(u)).toBeUndefined();
    }
  });

  it('htu: unreserved characters are decoded, every other percent-encoding kept in upper case', () => {
    expect(normalizeHtu('https://issuer.example/%41%7a%30%2d%2E%5f%7E')).toBe('https://issuer.example/Az0-._~');
    expect(normalizeHtu('https://issuer.example/a%2fb%3A%20c')).toBe('https://issuer.example/a%2Fb%3A%20c');
    expect(normalizeHtu('https://issuer.example/%e4')).toBe('https://issuer.example/%E4');
  });

  it('htm and htu must be those of this request, and the message says which is expected', async () => {
    const k = key();
    await refused(verifyDpopProof(proof(k, { htm: 'post' }), check), 'DPOP_PROOF_INVALID', 'the DPoP proof htm must be POST');
    await refused(verifyDpopProof(proof(k, { htm: undefined }), check), 'DPOP_PROOF_INVALID', 'htm must be POST');
    for (const htu of [undefined, 42, 'not a url', 'https://issuer.example/oid4vci/credential']) {
      await refused(verifyDpopProof(proof(k, { htu }), check), 'DPOP_PROOF_INVALID', `the DPoP proof htu must be ${URL_}`);
    }
    // A request URL that is not http(s) (a misconfigured server) matches no proof, not even one without htu.
    const odd = { ...check, request: { method: 'POST', url: 'urn:x' } };
    for (const htu of [undefined, 'urn:x', 'not a url'])
      await refused(verifyDpopProof(proof(k, { htu }), odd), 'DPOP_PROOF_INVALID', 'the DPoP proof htu must be');
  });

  it('iat: required, a number, not older than maxAge nor ahead, give or take the tolerance', async () => {
    const k = key();
    await refused(verifyDpopProof(proof(k, { iat: undefined }), check), 'DPOP_PROOF_INVALID', 'the DPoP proof iat is missing');
    const oldest = now - check.maxAge - check.clockTolerance;
    expect((await verifyDpopProof(proof(k, { iat: oldest }), check)).iat).toBe(oldest);
    await refused(verifyDpopProof(proof(k, { iat: oldest - 1 }), check), 'DPOP_PROOF_INVALID', 'the DPoP proof is too old (more than 300 s)');
    expect((await verifyDpopProof(proof(k, { iat: now + 60 }), check)).iat).toBe(now + 60);
    await refused(verifyDpopProof(proof(k, { iat: now + 61 }), check), 'DPOP_PROOF_INVALID', 'the DPoP proof was issued in the future');
    await refused(verifyDpopProof(proof(k, { exp: now - 61 }), check), 'DPOP_PROOF_INVALID', 'does not verify');
  });

  it('jti: a non-empty string of at most 256 characters', async () => {
    const k = key();
    for (const jti of ['', 'j'.repeat(257), 5, null])
      await refused(verifyDpopProof(proof(k, { jti }), check), 'DPOP_PROOF_INVALID', 'the DPoP proof has no jti');
    expect((await verifyDpopProof(proof(k, { jti: 'j'.repeat(256) }), check)).jti).toBe('j'.repeat(256));
  });

  it('nonce: when the server wants one, a string of at most 512 characters it accepts (DPOP_NONCE_REQUIRED)', async () => {
    const k = key();
    const acceptNonce = () => true;
    await refused(verifyDpopProof(proof(k), { ...check, acceptNonce }), 'DPOP_NONCE_REQUIRED', 'a DPoP nonce from the server is required (DPoP-Nonce header)');
    for (const nonce of [5, null, 'n'.repeat(513)])
      await refused(verifyDpopProof(proof(k, { nonce }), { ...check, acceptNonce }), 'DPOP_NONCE_REQUIRED', 'stale or not ours');
    expect((await verifyDpopProof(proof(k, { nonce: 'n'.repeat(512) }), { ...check, acceptNonce })).jti).toMatch(/^j-/);
    // Without acceptNonce, a nonce in the proof is not checked.
    await verifyDpopProof(proof(k, { nonce: 5 }), check);
  });

  it('ath: the hash of this access token, a string', async () => {
    const k = key();
    const token = 'an-access-token';
    for (const ath of [undefined, 5, accessTokenHash('another-token'), accessTokenHash(token).slice(1)]) {
      await refused(verifyDpopProof(proof(k, { ath }), { ...check, accessToken: token }), 'DPOP_PROOF_INVALID', 'ath is not the hash of this access token');
    }
    expect(accessTokenHash(token)).toBe(createHash('sha256').update(token, 'ascii').digest('base64url'));
  });

  it('the bound key: the same thumbprint passes, another is refused', async () => {
    const k = key();
    const jkt = await jwkThumbprintOf(k.jwk);
    expect((await verifyDpopProof(proof(k), { ...check, boundJkt: jkt })).jkt).toBe(jkt);
    await refused(
      verifyDpopProof(proof(k), { ...check, boundJkt: jkt.slice(1) }),
      'DPOP_PROOF_INVALID',
      'signed by another key than the one the token is bound to',
    );
    await refused(verifyDpopProof(proof(k), { ...check, boundJkt: await jwkThumbprintOf(key().jwk) }), 'DPOP_PROOF_INVALID', 'another key');
  });

  it('a proof jose refuses is DPOP_PROOF_INVALID with the cause: alg outside ES256/EdDSA, a header without jwk', async () => {
    const k = key();
    const e = await verifyDpopProof(proof(k, {}, { alg: 'ES384' }), check).catch((err: unknown) => err);
    expect(e).toMatchObject({ code: 'DPOP_PROOF_INVALID', message: expect.stringContaining('the DPoP proof does not verify: ') });
    expect((e as Error).cause).toBeInstanceOf(Error);
    await refused(verifyDpopProof(proof(k, {}, { jwk: undefined }), check), 'DPOP_PROOF_INVALID', 'does not verify');
    await refused(verifyDpopProof('a.b.c', check), 'DPOP_PROOF_INVALID', 'does not verify');
  });

  it('createDpopProof: what verifyDpopProof accepts, with nonce and ath only when given', async () => {
    const dk = createDpopKey();
    expect(Object.keys(dk.publicJwk).sort()).toEqual(['crv', 'kty', 'x', 'y']);
    expect(dk.alg).toBe('ES256');
    const plain = await createDpopProof(dk, { method: 'POST', url: 'HTTPS://Issuer.Example/oid4vci/token?x=1' }, now - 5);
    const { header, payload } = decodeCompact<Record<string, unknown>>(plain);
    expect(header).toEqual({ alg: 'ES256', typ: 'dpop+jwt', jwk: dk.publicJwk });
    expect(Object.keys(payload).sort()).toEqual(['htm', 'htu', 'iat', 'jti']);
    expect(payload).toMatchObject({ htm: 'POST', htu: URL_, iat: now - 5 });
    expect(String(payload.jti)).toHaveLength(32);
    const verified = await verifyDpopProof(plain, check);
    expect(verified.jkt).toBe(await jwkThumbprintOf(dk.publicJwk));
    const full = await createDpopProof(dk, { method: 'POST', url: URL_, nonce: 'n1', accessToken: 'at' });
    expect(decodeCompact<Record<string, unknown>>(full).payload).toMatchObject({ nonce: 'n1', ath: accessTokenHash('at') });
    const iat = Number(decodeCompact<Record<string, unknown>>(full).payload.iat);
    expect(Math.abs(iat - Math.floor(Date.now() / 1000))).toBeLessThan(60);
    await verifyDpopProof(full, { ...check, accessToken: 'at', acceptNonce: (n) => n === 'n1' });
    await refused(
      createDpopProof(dk, { method: 'POST', url: 'ftp://issuer.example/x' }),
      'DPOP_PROOF_INVALID',
      'cannot make a DPoP proof for ftp://issuer.example/x',
    );
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
