import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createDidResolver, didJwkFromJwk, didKeyFromJwk, keyObjectSigner, signCompact } from '../../core/index.js';
import { JwtClaimError } from '../../core/jose/claims.js';
import type { PublicJwk } from '../../core/jose/jwk.js';
import { OID4VCI_LIMITS, PROOF_JWT_TYP } from '../../issuer/oid4vci/config.js';
import { Oid4vciError } from '../../issuer/oid4vci/errors.js';
import { verifyProofJwt } from '../../issuer/oid4vci/proof.js';

/**
 * One test per rule of verifyProofJwt (issuer/oid4vci/proof.ts, OpenID4VCI 1.0 appendix F.1), called
 * in this process (no server): each refusal pinned to invalid_proof / OID4VCI_INVALID_PROOF and
 * the description that names the rule, with the boundary values of every limit.
 */

const AUD = 'https://issuer.example/netcred';
const NOW = 1_800_000_000;
const resolver = createDidResolver();
const options = { audience: AUD, resolver, now: NOW };

type Key = { privateKey: KeyObject; jwk: PublicJwk; alg: 'ES256' | 'EdDSA' };

function newKey(alg: 'ES256' | 'EdDSA' = 'ES256'): Key {
  const pair = alg === 'ES256' ? generateKeyPairSync('ec', { namedCurve: 'prime256v1' }) : generateKeyPairSync('ed25519');
  const { kty, crv, x, y } = pair.publicKey.export({ format: 'jwk' });
  const jwk = (kty === 'EC' ? { kty, crv, x, y } : { kty, crv, x }) as PublicJwk;
  return { privateKey: pair.privateKey, jwk, alg };
}

const b64u = (v: unknown) => Buffer.from(typeof v === 'string' ? v : JSON.stringify(v)).toString('base64url');

/** A JWS signed with node:crypto directly, whatever the header says (alg included). */
function rawJwt(k: Key, header: Record<string, unknown>, payload: Record<string, unknown>): string {
  const input = `${b64u({ alg: k.alg, ...header })}.${b64u(payload)}`;
  const sig =
    k.alg === 'ES256' ? sign('sha256', Buffer.from(input), { key: k.privateKey, dsaEncoding: 'ieee-p1363' }) : sign(null, Buffer.from(input), k.privateKey);
  return `${input}.${sig.toString('base64url')}`;
}

const claims = (over: Record<string, unknown> = {}) => ({ aud: AUD, iat: NOW, nonce: 'c-nonce-1', ...over });

/** A proof as a wallet makes it (core's signer): typ, the key by did:key kid, aud, iat, nonce. */
async function proof(k: Key, payload: Record<string, unknown> = {}, header: Record<string, unknown> = {}): Promise<string> {
  const did = didKeyFromJwk(k.jwk);
  return signCompact({ typ: PROOF_JWT_TYP, kid: `${did}#${did.slice('did:key:'.length)}`, ...header }, claims(payload), keyObjectSigner(k.privateKey));
}

async function refusal(p: Promise<unknown>): Promise<Oid4vciError> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(Oid4vciError);
  const err = e as Oid4vciError;
  expect(err.error).toBe('invalid_proof');
  expect(err.code).toBe('OID4VCI_INVALID_PROOF');
  expect(err.status).toBe(400);
  return err;
}

async function refused(jwt: unknown, message: string | RegExp, opts = options): Promise<Oid4vciError> {
  const err = await refusal(verifyProofJwt(jwt, opts));
  if (typeof message === 'string') expect(err.message).toBe(message);
  else expect(err.message).toMatch(message);
  return err;
}

describe('verifyProofJwt: the proof as a string (OpenID4VCI 1.0 F.1)', () => {
  it('a well-formed proof by a did:key kid is accepted: the key, the holder DID and the nonce come back', async () => {
    for (const alg of ['ES256', 'EdDSA'] as const) {
      const k = newKey(alg);
      const v = await verifyProofJwt(await proof(k), options);
      expect(v).toEqual({ jwk: k.jwk, holderDid: didKeyFromJwk(k.jwk), nonce: 'c-nonce-1' });
    }
  });

  it('a proof that is not a non-empty string is refused', async () => {
    for (const v of [undefined, null, 42, {}, ['a.b.c'], '']) await refused(v, 'a jwt proof must be a compact JWS string');
  });

  it(`a proof of more than maxProofBytes (${OID4VCI_LIMITS.maxProofBytes}) characters is refused unread; exactly the limit is read`, async () => {
    expect(OID4VCI_LIMITS.maxProofBytes).toBe(8192);
    await refused('a'.repeat(8193), 'a jwt proof must be at most 8192 bytes');
    // At the limit the size passes: what fails is the form.
    await refused('a'.repeat(8192), 'the proof is not a compact JWS');
  });

  it('a proof of exactly maxProofBytes that is otherwise valid is accepted', async () => {
    const k = newKey('EdDSA');
    let jwt = '';
    // Pad a payload claim until the compact form is exactly 8192 characters (base64url skips some
    // lengths, so a header member of 0-3 characters shifts the total too).
    search: for (const extra of ['', 'x', 'xy', 'xyz']) {
      const header = extra ? { x_pad: extra } : {};
      const base = (await proof(k, { pad: '' }, header)).length;
      const start = Math.floor(((8192 - base) * 3) / 4) - 4;
      for (let pad = start; pad < start + 8; pad++) {
        jwt = await proof(k, { pad: 'p'.repeat(pad) }, header);
        if (jwt.length === 8192) break search;
      }
    }
    expect(jwt).toHaveLength(8192);
    expect((await verifyProofJwt(jwt, options)).nonce).toBe('c-nonce-1');
  });

  it('a string that is not a compact JWS is refused, with the decoding error as cause', async () => {
    for (const v of ['not-a-jws', 'a.b', 'a.b.c.d', `${b64u({ typ: PROOF_JWT_TYP })}.${b64u({})}.c2ln`, `${b64u('[1]')}.${b64u({})}.c2ln`]) {
      const err = await refused(v, 'the proof is not a compact JWS');
      expect(err.cause).toMatchObject({ code: 'JWS_MALFORMED' });
    }
  });
});

describe('verifyProofJwt: the header', () => {
  it(`typ must be exactly ${PROOF_JWT_TYP}`, async () => {
    const k = newKey();
    for (const typ of [undefined, 'JWT', 'OPENID4VCI-PROOF+JWT', 'openid4vci-proof+jwt ', 'dpop+jwt'])
      await refused(await proof(k, {}, { typ }), 'the proof typ must be openid4vci-proof+jwt');
  });

  it('alg must be ES256 or EdDSA (never none, HMAC, RSA or another curve)', async () => {
    const k = newKey();
    for (const alg of ['none', 'HS256', 'RS256', 'ES384', 'ES512', 'PS256', 'Ed25519', 'es256'])
      await refused(rawJwt(k, { typ: PROOF_JWT_TYP, alg, jwk: k.jwk }, claims()), `proof alg ${alg} is not allowed (ES256, EdDSA)`);
  });

  it('a crit header parameter is refused, even an empty list', async () => {
    const k = newKey();
    for (const crit of [['exp'], [], 'b64']) await refused(await proof(k, {}, { crit }), 'the proof header has crit parameters we do not understand');
  });

  it('the key is named by exactly one of kid, jwk, x5c', async () => {
    const k = newKey();
    const did = didKeyFromJwk(k.jwk);
    const kid = `${did}#${did.slice(8)}`;
    const x5c = ['MIIB'];
    const msg = 'the proof header must name its key with exactly one of kid, jwk, x5c';
    await refused(rawJwt(k, { typ: PROOF_JWT_TYP }, claims()), msg);
    await refused(rawJwt(k, { typ: PROOF_JWT_TYP, kid, jwk: k.jwk }, claims()), msg);
    await refused(rawJwt(k, { typ: PROOF_JWT_TYP, kid, x5c }, claims()), msg);
    await refused(rawJwt(k, { typ: PROOF_JWT_TYP, jwk: k.jwk, x5c }, claims()), msg);
    await refused(rawJwt(k, { typ: PROOF_JWT_TYP, kid, jwk: k.jwk, x5c }, claims()), msg);
    // Each one alone passes this rule (x5c is refused by the next one).
    expect((await verifyProofJwt(rawJwt(k, { typ: PROOF_JWT_TYP, kid }, claims()), options)).holderDid).toBe(did);
    expect((await verifyProofJwt(rawJwt(k, { typ: PROOF_JWT_TYP, jwk: k.jwk }, claims()), options)).holderDid).toBe(didJwkFromJwk(k.jwk));
  });

  it('an x5c proof is refused (not a supported binding)', async () => {
    const k = newKey();
    await refused(rawJwt(k, { typ: PROOF_JWT_TYP, x5c: ['MIIB'] }, claims()), 'x5c proofs are not supported; use kid (DID URL) or jwk');
  });
});

describe('verifyProofJwt: a jwk header', () => {
  it('a public Ed25519 or P-256 jwk is accepted: the holder is its did:jwk', async () => {
    for (const alg of ['ES256', 'EdDSA'] as const) {
      const k = newKey(alg);
      const v = await verifyProofJwt(rawJwt(k, { typ: PROOF_JWT_TYP, jwk: k.jwk }, claims({ nonce: 'n' })), options);
      expect(v).toEqual({ jwk: k.jwk, holderDid: didJwkFromJwk(k.jwk), nonce: 'n' });
    }
  });

  it('a private, malformed or other-type jwk is refused with the JWK error as cause', async () => {
    const k = newKey();
    const privateJwk = k.privateKey.export({ format: 'jwk' });
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey.export({ format: 'jwk' });
    const p384 = generateKeyPairSync('ec', { namedCurve: 'secp384r1' }).publicKey.export({ format: 'jwk' });
    const offCurve = { kty: 'EC', crv: 'P-256', x: b64u('x'.repeat(32)), y: b64u('y'.repeat(32)) };
    for (const jwk of [privateJwk, rsa, p384, offCurve, 'a jwk', [k.jwk], { ...k.jwk, x: 'not base64url!' }]) {
      const err = await refused(rawJwt(k, { typ: PROOF_JWT_TYP, jwk }, claims()), 'the proof jwk is not a public Ed25519 or P-256 key');
      expect(err.cause).toMatchObject({ code: 'JWK_INVALID' });
    }
  });
});

describe('verifyProofJwt: a kid header (DID URL)', () => {
  const kidMsg = 'the proof kid must be a DID URL (did:...#fragment)';

  it('a did:jwk kid is accepted: the holder is that DID', async () => {
    const k = newKey('EdDSA');
    const did = didJwkFromJwk(k.jwk);
    const v = await verifyProofJwt(await proof(k, {}, { kid: `${did}#0` }), options);
    expect(v).toEqual({ jwk: k.jwk, holderDid: did, nonce: 'c-nonce-1' });
  });

  it('a kid that is not a string or not of the form did:<method>:<id>#<fragment> is refused', async () => {
    const k = newKey();
    const did = didKeyFromJwk(k.jwk);
    const frag = did.slice(8);
    for (const kid of [
      42,
      null,
      did,
      `${did}#`,
      `did:key:#${frag}`,
      `did::${frag}#${frag}`,
      `did:KEY:${frag}#${frag}`,
      `x${did}#${frag}`,
      `DID:key:${frag}#${frag}`,
      `#${frag}`,
      `did:ke-y:${frag}#${frag}`,
      `${did}#${frag}\nx`,
    ])
      await refused(rawJwt(k, { typ: PROOF_JWT_TYP, kid }, claims()), kidMsg);
  });

  it('a kid of at most 4096 characters is read; one of 4097 is refused', async () => {
    const k = newKey();
    const did = didKeyFromJwk(k.jwk);
    const at = `${did}#`.padEnd(4096, 'f');
    expect(at).toHaveLength(4096);
    // 4096: the form is fine, the fragment names no key of the DID.
    const err = await refused(rawJwt(k, { typ: PROOF_JWT_TYP, kid: at }, claims()), `the proof kid does not resolve to a key of ${did}`);
    expect(err.cause).toMatchObject({ code: 'KID_MISMATCH' });
    await refused(rawJwt(k, { typ: PROOF_JWT_TYP, kid: `${at}f` }, claims()), kidMsg);
  });

  it('only did:key and did:jwk are binding methods (cryptographic_binding_methods_supported)', async () => {
    const k = newKey();
    await refused(
      rawJwt(k, { typ: PROOF_JWT_TYP, kid: 'did:web:issuer.example#key-1' }, claims()),
      'DID method web is not a supported binding method (did:key, did:jwk)',
    );
    await refused(
      rawJwt(k, { typ: PROOF_JWT_TYP, kid: 'did:example:123#k' }, claims()),
      'DID method example is not a supported binding method (did:key, did:jwk)',
    );
  });

  it('a kid that does not resolve to a key of its DID is refused, with the DID error as cause', async () => {
    const k = newKey();
    const did = didKeyFromJwk(k.jwk);
    const e1 = await refused(
      rawJwt(k, { typ: PROOF_JWT_TYP, kid: 'did:key:zNotAKey#zNotAKey' }, claims()),
      'the proof kid does not resolve to a key of did:key:zNotAKey',
    );
    expect(e1.cause).toMatchObject({ code: 'DID_INVALID' });
    const e2 = await refused(rawJwt(k, { typ: PROOF_JWT_TYP, kid: `${did}#other` }, claims()), `the proof kid does not resolve to a key of ${did}`);
    expect(e2.cause).toMatchObject({ code: 'KID_MISMATCH' });
    const e3 = await refused(
      rawJwt(k, { typ: PROOF_JWT_TYP, kid: 'did:jwk:bm90IGpzb24#0' }, claims()),
      'the proof kid does not resolve to a key of did:jwk:bm90IGpzb24',
    );
    expect(e3.cause).toMatchObject({ code: 'DID_INVALID' });
  });
});

describe('verifyProofJwt: the signature', () => {
  const msg = 'the proof signature is not by the key its header names';

  it('a proof signed by another key than the one the kid or jwk names is refused', async () => {
    const named = newKey();
    const signer = newKey();
    const did = didKeyFromJwk(named.jwk);
    const e1 = await refused(rawJwt(signer, { typ: PROOF_JWT_TYP, kid: `${did}#${did.slice(8)}` }, claims()), msg);
    expect(e1.cause).toMatchObject({ code: 'SIGNATURE_INVALID' });
    await refused(rawJwt(signer, { typ: PROOF_JWT_TYP, jwk: named.jwk }, claims()), msg);
  });

  it('an alg that does not fit the named key, or an altered payload, is refused', async () => {
    const ed = newKey('EdDSA');
    const e = await refused(rawJwt(ed, { typ: PROOF_JWT_TYP, jwk: ed.jwk, alg: 'ES256' }, claims()), msg);
    expect(e.cause).toMatchObject({ code: 'ALG_KEY_MISMATCH' });
    const good = await proof(newKey());
    const [h, , s] = good.split('.');
    await refused(`${h}.${b64u(claims({ nonce: 'another' }))}.${s}`, msg);
  });
});

describe('verifyProofJwt: aud', () => {
  const msg = `the proof aud must be the credential issuer identifier ${AUD}`;

  it('aud is the credential issuer identifier, as a string or a one-element array', async () => {
    const k = newKey();
    expect((await verifyProofJwt(await proof(k, { aud: AUD }), options)).nonce).toBe('c-nonce-1');
    expect((await verifyProofJwt(await proof(k, { aud: [AUD] }), options)).nonce).toBe('c-nonce-1');
  });

  it('any other aud is refused: missing, another issuer, a longer or empty array, a prefix', async () => {
    const k = newKey();
    for (const aud of [
      undefined,
      'https://other.example',
      `${AUD}/`,
      AUD.slice(0, -1),
      [],
      [AUD, AUD],
      [AUD, 'https://other.example'],
      ['https://other.example'],
      [[AUD]],
      42,
    ])
      await refused(await proof(k, { aud }), msg);
  });
});

describe('verifyProofJwt: time claims (proofMaxAge, proofMaxSkew)', () => {
  const maxAge = OID4VCI_LIMITS.proofMaxAge;
  const skew = OID4VCI_LIMITS.proofMaxSkew;

  it('the limits are 300 s of age and 60 s of skew', () => {
    expect(maxAge).toBe(300);
    expect(skew).toBe(60);
  });

  it('iat is required and must be a NumericDate', async () => {
    const k = newKey();
    const e = await refused(await proof(k, { iat: undefined }), 'the proof iat is missing');
    expect(e.cause).toBeInstanceOf(JwtClaimError);
    for (const iat of ['1800000000', null, true]) await refused(await proof(k, { iat }), 'the proof iat must be a NumericDate');
  });

  it('iat may be maxAge + skew old, not one second more', async () => {
    const k = newKey();
    expect((await verifyProofJwt(await proof(k, { iat: NOW - maxAge - skew }), options)).nonce).toBe('c-nonce-1');
    await refused(await proof(k, { iat: NOW - maxAge - skew - 1 }), 'the proof is too old (more than 300 s)');
  });

  it('iat may be skew ahead, not one second more', async () => {
    const k = newKey();
    expect((await verifyProofJwt(await proof(k, { iat: NOW + skew }), options)).nonce).toBe('c-nonce-1');
    await refused(await proof(k, { iat: NOW + skew + 1 }), 'the proof was issued in the future');
  });

  it('exp, when present, must not be reached (give or take the skew)', async () => {
    const k = newKey();
    expect((await verifyProofJwt(await proof(k, { exp: NOW - skew + 1 }), options)).nonce).toBe('c-nonce-1');
    await refused(await proof(k, { exp: NOW - skew }), /^the proof expired at /);
    await refused(await proof(k, { exp: 'later' }), 'the proof exp must be a NumericDate');
  });

  it('nbf, when present, must not be ahead (give or take the skew)', async () => {
    const k = newKey();
    expect((await verifyProofJwt(await proof(k, { nbf: NOW + skew }), options)).nonce).toBe('c-nonce-1');
    await refused(await proof(k, { nbf: NOW + skew + 1 }), /^the proof is not valid before /);
  });
});

describe('verifyProofJwt: nonce', () => {
  const msg = 'the proof carries no c_nonce';

  it('the nonce is a string of 1 to 256 characters, returned for the caller to spend', async () => {
    const k = newKey();
    expect((await verifyProofJwt(await proof(k, { nonce: 'n' }), options)).nonce).toBe('n');
    expect((await verifyProofJwt(await proof(k, { nonce: 'n'.repeat(256) }), options)).nonce).toBe('n'.repeat(256));
  });

  it('no nonce, an empty one, one of 257 characters or a non-string is refused', async () => {
    const k = newKey();
    for (const nonce of [undefined, '', 'n'.repeat(257), 42, ['n'], null]) await refused(await proof(k, { nonce }), msg);
  });
});
