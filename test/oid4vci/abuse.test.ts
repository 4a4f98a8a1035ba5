import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { b64uEncode, didKeyFromJwk, keyObjectSigner, publicJwkOf, signCompact } from '../../core/index.js';
// Internals on purpose: rows are found by their stored hash, a stale nonce is made, expired offers are purged.
import { issueNonce } from '../../issuer/oid4vci/nonce.js';
import { secretHash } from '../../issuer/oid4vci/secrets.js';
import { purgeExpired } from '../../issuer/oid4vci/store.js';
import { sampleIdentityClaims } from '../../schemas/index.js';
import { countRows, enroll, enrollmentBody, preAuthCodeOf, tokenRequest } from './helpers.js';
import { startTestIssuer, type TestIssuer } from '../helpers/issuer.js';

const GRANT = 'urn:ietf:params:oauth:grant-type:pre-authorized_code';
const CONFIG = 'resident_identity_sd_jwt';

type Offer = { offer: string; txCode?: string; code: string };

function newKey(kind: 'ec' | 'ed25519' = 'ec'): KeyObject {
  return kind === 'ec' ? generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey : generateKeyPairSync('ed25519').privateKey;
}

describe('OpenID4VCI abuse: the specified error, and nothing issued', () => {
  let issuer: TestIssuer;
  let birth = 0;
  beforeAll(async () => {
    issuer = await startTestIssuer();
  });
  afterAll(async () => {
    await issuer?.close();
  });

  const issued = () => countRows(issuer.ctx, 'issuance_record');

  async function newOffer(txCode = false): Promise<Offer> {
    // a distinct resident per offer, so no re-issue supersedes another test's credential
    const birthdate = `19${60 + (birth++ % 39)}-0${1 + (birth % 9)}-1${birth % 9}`;
    const res = await enroll(issuer.url, enrollmentBody(sampleIdentityClaims({ birthdate }), { txCode }));
    expect(res.status).toBe(201);
    const body = (await res.json()) as { offer: string; txCode?: string };
    return { ...body, code: preAuthCodeOf(body.offer) };
  }

  async function accessToken(offer: Offer): Promise<string> {
    const res = await tokenRequest(issuer.url, { grant_type: GRANT, 'pre-authorized_code': offer.code, ...(offer.txCode ? { tx_code: offer.txCode } : {}) });
    expect(res.status).toBe(200);
    return ((await res.json()) as { access_token: string }).access_token;
  }

  async function nonce(): Promise<string> {
    const res = await fetch(`${issuer.url}/oid4vci/nonce`, { method: 'POST' });
    expect(res.headers.get('cache-control')).toBe('no-store');
    return ((await res.json()) as { c_nonce: string }).c_nonce;
  }

  async function proof(key: KeyObject, payload: Record<string, unknown>, header: Record<string, unknown> = { jwk: publicJwkOf(key) }): Promise<string> {
    return signCompact({ typ: 'openid4vci-proof+jwt', ...header }, { aud: issuer.url, iat: Math.floor(Date.now() / 1000), ...payload }, keyObjectSigner(key));
  }

  async function credentialRequest(token: string | undefined, body: unknown): Promise<{ status: number; body: Record<string, unknown>; headers: Headers }> {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (token !== undefined) headers.authorization = `Bearer ${token}`;
    const res = await fetch(`${issuer.url}/oid4vci/credential`, { method: 'POST', headers, body: JSON.stringify(body) });
    return { status: res.status, body: (await res.json()) as Record<string, unknown>, headers: res.headers };
  }

  async function expectCredentialError(token: string | undefined, body: unknown, error: string, status = 400): Promise<void> {
    const before = await issued();
    const res = await credentialRequest(token, body);
    expect(res.body.error).toBe(error);
    expect(typeof res.body.error_description).toBe('string');
    expect(res.status).toBe(status);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(await issued()).toBe(before);
  }

  it('a reused pre-authorized code: invalid_grant', async () => {
    const offer = await newOffer();
    await accessToken(offer);
    const res = await tokenRequest(issuer.url, { grant_type: GRANT, 'pre-authorized_code': offer.code });
    expect(res.status).toBe(400);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(((await res.json()) as { error: string }).error).toBe('invalid_grant');
  });

  it('an expired pre-authorized code: invalid_grant; the sweep erases its claims', async () => {
    const offer = await newOffer(true);
    const hash = secretHash(offer.code);
    await issuer.ctx.dataSource.query(`UPDATE "oid4vci_offer" SET "expires_at" = ? WHERE "code_hash" = ?`, [Math.floor(Date.now() / 1000) - 1, hash]);
    const res = await tokenRequest(issuer.url, { grant_type: GRANT, 'pre-authorized_code': offer.code, tx_code: offer.txCode! });
    expect([res.status, ((await res.json()) as { error: string }).error]).toEqual([400, 'invalid_grant']);
    await purgeExpired(issuer.ctx.dataSource, Math.floor(Date.now() / 1000));
    const [row] = (await issuer.ctx.dataSource.query(`SELECT "state", "claims_sealed", "offer_sealed" FROM "oid4vci_offer" WHERE "code_hash" = ?`, [
      hash,
    ])) as unknown[];
    expect(row).toEqual({ state: 'expired', claims_sealed: null, offer_sealed: null });
  });

  it('an unknown pre-authorized code: invalid_grant; a missing one or a missing grant_type: invalid_request', async () => {
    const unknown = await tokenRequest(issuer.url, { grant_type: GRANT, 'pre-authorized_code': 'not-a-code' });
    expect([unknown.status, ((await unknown.json()) as { error: string }).error]).toEqual([400, 'invalid_grant']);
    const missing = await tokenRequest(issuer.url, { grant_type: GRANT });
    expect(((await missing.json()) as { error: string }).error).toBe('invalid_request');
    const noGrant = await tokenRequest(issuer.url, { 'pre-authorized_code': 'x' });
    expect(((await noGrant.json()) as { error: string }).error).toBe('invalid_request');
    const other = await tokenRequest(issuer.url, { grant_type: 'authorization_code', code: 'x' });
    expect(((await other.json()) as { error: string }).error).toBe('unsupported_grant_type');
  });

  it('a tx_code required but missing: invalid_request; one sent where none is expected: invalid_request', async () => {
    const withCode = await newOffer(true);
    const res = await tokenRequest(issuer.url, { grant_type: GRANT, 'pre-authorized_code': withCode.code });
    expect(((await res.json()) as { error: string }).error).toBe('invalid_request');
    const without = await newOffer(false);
    const res2 = await tokenRequest(issuer.url, { grant_type: GRANT, 'pre-authorized_code': without.code, tx_code: '123456' });
    expect(((await res2.json()) as { error: string }).error).toBe('invalid_request');
    // neither attempt burned anything: both codes still work
    await accessToken(withCode);
    await accessToken(without);
  });

  it('a wrong tx_code: invalid_grant; after 5 wrong tries the code is burned, even for the right tx_code, and the claims erased', async () => {
    const offer = await newOffer(true);
    const wrong = offer.txCode === '000000' ? '111111' : '000000';
    for (let i = 0; i < 5; i++) {
      const res = await tokenRequest(issuer.url, { grant_type: GRANT, 'pre-authorized_code': offer.code, tx_code: wrong });
      expect(res.status).toBe(400);
      expect(((await res.json()) as { error: string }).error).toBe('invalid_grant');
    }
    const res = await tokenRequest(issuer.url, { grant_type: GRANT, 'pre-authorized_code': offer.code, tx_code: offer.txCode! });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: string }).error).toBe('invalid_grant');
    const [row] = (await issuer.ctx.dataSource.query(`SELECT "state", "claims_sealed", "tx_failures" FROM "oid4vci_offer" WHERE "code_hash" = ?`, [
      secretHash(offer.code),
    ])) as {
      state: string;
      claims_sealed: string | null;
      tx_failures: number;
    }[];
    expect(row).toEqual({ state: 'burned', claims_sealed: null, tx_failures: 5 });
  });

  it('fewer than 5 wrong tx_codes still allow the right one', async () => {
    const offer = await newOffer(true);
    const wrong = offer.txCode === '000000' ? '111111' : '000000';
    for (let i = 0; i < 4; i++) await tokenRequest(issuer.url, { grant_type: GRANT, 'pre-authorized_code': offer.code, tx_code: wrong });
    await accessToken(offer);
  });

  it('a missing, unknown or expired access token: 401 invalid_token with WWW-Authenticate', async () => {
    const key = newKey();
    const body = { credential_configuration_id: CONFIG, proofs: { jwt: [await proof(key, { nonce: await nonce() })] } };
    await expectCredentialError(undefined, body, 'invalid_token', 401);
    await expectCredentialError('bm90LWEtdG9rZW4', body, 'invalid_token', 401);
    const token = await accessToken(await newOffer());
    await issuer.ctx.dataSource.query(`UPDATE "oid4vci_access_token" SET "expires_at" = 1 WHERE "token_hash" = ?`, [secretHash(token)]);
    const res = await credentialRequest(token, body);
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toMatch(/^Bearer error="invalid_token"/);
  });

  it('a reused, unknown or stale c_nonce: invalid_nonce, and the token survives for a retry with a fresh nonce', async () => {
    // use a nonce once, successfully
    const first = await accessToken(await newOffer());
    const used = await nonce();
    const ok = await credentialRequest(first, { credential_configuration_id: CONFIG, proofs: { jwt: [await proof(newKey(), { nonce: used })] } });
    expect(ok.status).toBe(200);

    const token = await accessToken(await newOffer());
    await expectCredentialError(token, { credential_configuration_id: CONFIG, proofs: { jwt: [await proof(newKey(), { nonce: used })] } }, 'invalid_nonce');
    await expectCredentialError(
      token,
      { credential_configuration_id: CONFIG, proofs: { jwt: [await proof(newKey(), { nonce: 'never-issued' })] } },
      'invalid_nonce',
    );
    // a nonce of ours, handed out 301 s ago (its lifetime is 300 s)
    const stale = issueNonce(issuer.ctx, Math.floor(Date.now() / 1000) - 301).c_nonce;
    await expectCredentialError(token, { credential_configuration_id: CONFIG, proofs: { jwt: [await proof(newKey(), { nonce: stale })] } }, 'invalid_nonce');

    // a live nonce with one character changed: its MAC no longer holds
    const fresh = await nonce();
    const altered = `${fresh.slice(0, 10)}${fresh[10] === 'A' ? 'B' : 'A'}${fresh.slice(11)}`;
    await expectCredentialError(token, { credential_configuration_id: CONFIG, proofs: { jwt: [await proof(newKey(), { nonce: altered })] } }, 'invalid_nonce');

    const retry = await credentialRequest(token, { credential_configuration_id: CONFIG, proofs: { jwt: [await proof(newKey(), { nonce: await nonce() })] } });
    expect(retry.status).toBe(200);
    // ... and the access token is single use
    await expectCredentialError(
      token,
      { credential_configuration_id: CONFIG, proofs: { jwt: [await proof(newKey(), { nonce: await nonce() })] } },
      'invalid_token',
      401,
    );
  });

  it('a proof not signed by the key its header names (jwk or kid): invalid_proof, and its nonce stays unused', async () => {
    const token = await accessToken(await newOffer());
    const signer = newKey();
    const named = newKey();
    const n = await nonce();
    await expectCredentialError(
      token,
      { credential_configuration_id: CONFIG, proofs: { jwt: [await proof(signer, { nonce: n }, { jwk: publicJwkOf(named) })] } },
      'invalid_proof',
    );
    const did = didKeyFromJwk(publicJwkOf(named));
    const kid = `${did}#${did.slice('did:key:'.length)}`;
    await expectCredentialError(token, { credential_configuration_id: CONFIG, proofs: { jwt: [await proof(signer, { nonce: n }, { kid })] } }, 'invalid_proof');
    // the honest proof with a did:key kid works with the same nonce and token
    const good = await credentialRequest(token, { credential_configuration_id: CONFIG, proofs: { jwt: [await proof(named, { nonce: n }, { kid })] } });
    expect(good.status).toBe(200);
  });

  it('wrong aud, stale iat, wrong typ, alg none, both kid and jwk, a batch with one key twice: invalid_proof', async () => {
    const token = await accessToken(await newOffer());
    const key = newKey('ed25519');
    const req = async (jwt: string) => expectCredentialError(token, { credential_configuration_id: CONFIG, proofs: { jwt: [jwt] } }, 'invalid_proof');
    await req(await proof(key, { nonce: await nonce(), aud: 'https://other.example' }));
    await req(await proof(key, { nonce: await nonce(), iat: Math.floor(Date.now() / 1000) - 3600 }));
    await req(await proof(key, { nonce: await nonce(), iat: Math.floor(Date.now() / 1000) + 3600 }));
    await req(await proof(key, {}));
    await req(
      await signCompact(
        { typ: 'JWT', jwk: publicJwkOf(key) },
        { aud: issuer.url, iat: Math.floor(Date.now() / 1000), nonce: await nonce() },
        keyObjectSigner(key),
      ),
    );
    const none = `${b64uEncode(JSON.stringify({ alg: 'none', typ: 'openid4vci-proof+jwt', jwk: publicJwkOf(key) }))}.${b64uEncode(JSON.stringify({ aud: issuer.url, iat: Math.floor(Date.now() / 1000), nonce: await nonce() }))}.`;
    await req(none);
    const did = didKeyFromJwk(publicJwkOf(key));
    await req(await proof(key, { nonce: await nonce() }, { jwk: publicJwkOf(key), kid: `${did}#${did.slice(8)}` }));
    const n = await nonce();
    const twice = await proof(key, { nonce: n });
    await expectCredentialError(token, { credential_configuration_id: CONFIG, proofs: { jwt: [twice, twice] } }, 'invalid_proof');
    await expectCredentialError(token, { credential_configuration_id: CONFIG }, 'invalid_proof');
  });

  it('a malformed credential request: invalid_credential_request / unknown_credential_configuration', async () => {
    const token = await accessToken(await newOffer());
    const jwt = await proof(newKey(), { nonce: await nonce() });
    await expectCredentialError(token, { proofs: { jwt: [jwt] } }, 'invalid_credential_request');
    await expectCredentialError(token, { credential_configuration_id: 'nope', proofs: { jwt: [jwt] } }, 'unknown_credential_configuration');
    await expectCredentialError(token, { credential_configuration_id: 'resident_identity_vc_sd_jwt', proofs: { jwt: [jwt] } }, 'invalid_credential_request');
    await expectCredentialError(token, [1, 2], 'invalid_credential_request');
    const broken = await fetch(`${issuer.url}/oid4vci/credential`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: '{"credential_configuration_id":',
    });
    expect([broken.status, ((await broken.json()) as { error: string }).error]).toEqual([400, 'invalid_credential_request']);
    const huge = await fetch(`${issuer.url}/oid4vci/credential`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ pad: 'x'.repeat(200_000) }),
    });
    expect(huge.status).toBe(413);
    const tooMany = await Promise.all(Array.from({ length: 11 }, () => proof(newKey(), { nonce: 'x' })));
    await expectCredentialError(token, { credential_configuration_id: CONFIG, proofs: { jwt: tooMany } }, 'invalid_credential_request');
  });

  it('the admin enrollment API needs the admin token and reports every invalid field', async () => {
    const unauth = await enroll(issuer.url, enrollmentBody(sampleIdentityClaims()), 'wrong-token-wrong-token');
    expect(unauth.status).toBe(401);
    const before = await countRows(issuer.ctx, 'oid4vci_offer');
    const res = await enroll(issuer.url, {
      claims: { ...sampleIdentityClaims(), birthdate: 'yesterday', nationality: 'XX' },
      evidence: { method: 'selfie', station: '', time: 'now' },
    });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: string; details: { path: string }[] };
    expect(body.error).toBe('invalid_request');
    expect(body.details.map((d) => d.path)).toEqual(
      expect.arrayContaining(['claims.birthdate', 'claims.nationality', 'evidence.method', 'evidence.station', 'evidence.time']),
    );
    expect(await countRows(issuer.ctx, 'oid4vci_offer')).toBe(before);
  });
});
