import { createPublicKey, generateKeyPairSync, randomBytes, verify as nodeVerify, type JsonWebKey, type X509Certificate } from 'node:crypto';
import { CompactEncrypt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPresentation, respondToRequest } from '../../holder/index.js';
import { PROFILES } from '../../schemas/index.js';
import { createAuthorizationRequest, loadVerifierX509, verifierX509 } from '../../verifier/index.js';
import { createRequest, postResponse, trustFor, verdictOf, VERIFIER_ADMIN, walletWithCredential, type TestWallet } from './fixture.js';
import { startHaipVerifier, type HaipVerifierApp } from './haip-fixture.js';
import { verifierPki, type VerifierPki } from './x509-fixture.js';
import { startTestIssuer, type TestIssuer } from '../helpers/issuer.js';

/**
 * netcred's verifier in HAIP mode: what its x509 request objects say (checked with
 * node:crypto), request_uri_method=post, and its response endpoint for direct_post.jwt (JWEs
 * made here with jose directly): every wrong answer refused with its code, and only the right
 * one accepted.
 */

const decode = (part: string) => JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as Record<string, unknown>;

describe('verifier: x509_san_dns requests and direct_post.jwt responses', () => {
  let issuer: TestIssuer;
  let holder: TestWallet;
  let pki: VerifierPki;
  let app: HaipVerifierApp;

  beforeAll(async () => {
    issuer = await startTestIssuer();
    holder = await walletWithCredential(issuer);
    pki = await verifierPki('localhost', 'Hotel Front Desk');
    app = await startHaipVerifier(await trustFor(issuer), pki);
  });
  afterAll(async () => {
    await app?.close();
    await holder?.close();
    await issuer?.close();
  });

  async function fetchObject(created: Record<string, string>, init?: RequestInit) {
    const res = await fetch(created.request_uri!, init);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/oauth-authz-req\+jwt/);
    const jwt = await res.text();
    const [h, p, s] = jwt.split('.') as [string, string, string];
    return {
      header: decode(h),
      payload: decode(p),
      signedBy: (cert: X509Certificate) =>
        nodeVerify('sha256', Buffer.from(`${h}.${p}`), { key: cert.publicKey, dsaEncoding: 'ieee-p1363' }, Buffer.from(s, 'base64url')),
    };
  }

  it('signs the request object with its leaf (x5c without the root), offers an ephemeral ECDH-ES key and both encs', async () => {
    const created = await createRequest(app.url, { profile: 'upgraded' });
    expect(created).toMatchObject({ client_id: 'x509_san_dns:localhost', response_mode: 'direct_post.jwt', request_uri_method: 'post' });
    expect(new URL(created.uri!).searchParams.get('request_uri_method')).toBe('post');
    expect(created.uri_by_value).toBeUndefined();
    const { header, payload, signedBy } = await fetchObject(created);
    expect(header).toEqual({ alg: 'ES256', typ: 'oauth-authz-req+jwt', x5c: pki.chain.map((c) => c.raw.toString('base64')) });
    expect(signedBy(pki.leaf.certificate)).toBe(true);
    expect(payload).toMatchObject({
      client_id: 'x509_san_dns:localhost',
      response_type: 'vp_token',
      response_mode: 'direct_post.jwt',
      response_uri: `${app.url}/oid4vp/responses`,
      state: created.state,
      dcql_query: PROFILES.upgraded,
    });
    const meta = payload.client_metadata as {
      jwks: { keys: Record<string, unknown>[] };
      encrypted_response_enc_values_supported: string[];
      vp_formats_supported: Record<string, unknown>;
    };
    expect(meta.jwks.keys).toHaveLength(1);
    expect(meta.jwks.keys[0]).toMatchObject({ kty: 'EC', crv: 'P-256', use: 'enc', alg: 'ECDH-ES', kid: created.id });
    expect(meta.jwks.keys[0]!.d).toBeUndefined();
    expect(meta.encrypted_response_enc_values_supported).toEqual(['A128GCM', 'A256GCM']);
    expect(meta.vp_formats_supported['dc+sd-jwt']).toEqual({ 'sd-jwt_alg_values': ['EdDSA', 'ES256'], 'kb-jwt_alg_values': ['EdDSA', 'ES256'] });
    // Another request gets another key.
    const other = await fetchObject(await createRequest(app.url, { profile: 'lite' }));
    expect((other.payload.client_metadata as typeof meta).jwks.keys[0]!.x).not.toBe(meta.jwks.keys[0]!.x);
  });

  it('request_uri_method=post: the object comes back signed afresh with the wallet_nonce; malformed wallet parameters are refused', async () => {
    const created = await createRequest(app.url, { profile: 'lite' });
    const form = (f: Record<string, string>) => ({
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/oauth-authz-req+jwt' },
      body: new URLSearchParams(f).toString(),
    });
    const posted = await fetchObject(created, form({ wallet_nonce: 'nonce-of-the-wallet-123', wallet_metadata: JSON.stringify({ vp_formats_supported: {} }) }));
    expect(posted.payload.wallet_nonce).toBe('nonce-of-the-wallet-123');
    expect(posted.signedBy(pki.leaf.certificate)).toBe(true);
    const plain = await fetchObject(created);
    expect(plain.payload.wallet_nonce).toBeUndefined();
    const bads: Record<string, string>[] = [
      { wallet_metadata: 'not json' },
      { wallet_metadata: '[1]' },
      { wallet_nonce: 'has space' },
      { wallet_nonce: 'x'.repeat(300) },
    ];
    for (const bad of bads) {
      const res = await fetch(created.request_uri!, form(bad));
      expect(res.status, JSON.stringify(bad)).toBe(400);
      expect(await res.json()).toMatchObject({ error: 'invalid_request' });
    }
    expect((await fetch(`${app.url}/oid4vp/requests/unknown`, form({}))).status).toBe(404);
  });

  it('our wallet answers with a JWE to the request key: valid (x509_san_dns and x509_hash)', async () => {
    for (const prefix of ['x509_san_dns', 'x509_hash'] as const) {
      const created = await createRequest(app.url, { profile: 'lite', client_id_prefix: prefix });
      const result = await respondToRequest(holder.wallet, created.uri!, { trustedRoots: [pki.root.certificate] });
      expect(result.request).toMatchObject({
        clientIdPrefix: prefix,
        responseMode: 'direct_post.jwt',
        verifierName: 'Hotel Front Desk',
        certifiedBy: 'Test Verifier Root CA',
      });
      expect(await verdictOf(created)).toMatchObject({ status: 'valid', credentials: [{ claims: { given_name: expect.any(String), age_over_18: true } }] });
    }
  });

  it('a holder who declines: the wallet encrypts the access_denied answer too, and the verdict says so', async () => {
    const created = await createRequest(app.url, { profile: 'upgraded' });
    const posted: string[] = [];
    const recording = (input: string | URL, init?: RequestInit) => {
      if (init?.method === 'POST' && String(input).endsWith('/oid4vp/responses')) posted.push(String(init.body));
      return fetch(input, init);
    };
    await expect(
      respondToRequest(holder.wallet, created.uri!, { trustedRoots: [pki.root.certificate], confirm: () => false, fetch: recording }),
    ).rejects.toMatchObject({ code: 'CONFIRMATION_DECLINED' });
    expect(posted).toHaveLength(1);
    expect([...new URLSearchParams(posted[0]).keys()]).toEqual(['response']);
    expect(await verdictOf(created)).toMatchObject({ status: 'invalid', code: 'WALLET_DECLINED', message: 'access_denied: the holder declined' });
  });

  it('refuses what is not the encrypted answer it asked for; only the right one is accepted', async () => {
    const created = await createRequest(app.url, { profile: 'lite' });
    const { payload } = await fetchObject(created);
    const jwk = (payload.client_metadata as { jwks: { keys: JsonWebKey[] } }).jwks.keys[0]!;
    const key = createPublicKey({ key: { kty: jwk.kty, crv: jwk.crv, x: jwk.x, y: jwk.y }, format: 'jwk' });
    const made = await createPresentation(holder.wallet, { dcql: PROFILES.lite, aud: created.client_id!, nonce: payload.nonce as string });
    const answer = { vp_token: made.vpToken, state: created.state };
    const jwe = (body: object, opts: { kid?: string; enc?: string; to?: typeof key } = {}) =>
      new CompactEncrypt(Buffer.from(JSON.stringify(body)))
        .setProtectedHeader({ alg: 'ECDH-ES', enc: opts.enc ?? 'A256GCM', kid: opts.kid ?? created.id! })
        .encrypt(opts.to ?? key);
    const stranger = generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).publicKey;
    const other = await createRequest(app.url, { profile: 'lite' });

    const refusals: [Record<string, string>, string][] = [
      [{ response: await jwe(answer, { to: stranger }) }, 'JWE_DECRYPTION_FAILED'],
      [{ response: await jwe(answer, { kid: 'no-such-request' }) }, 'JWE_INVALID'],
      [{ response: await jwe(answer, { enc: 'A192GCM' }) }, 'JWE_INVALID'],
      [{ response: await jwe({ ...answer, state: other.state }) }, 'JWE_INVALID'],
      [{ response: await jwe(answer), state: created.state! }, 'JWE_INVALID'],
      [{ response: 'a.b.c' }, 'JWE_INVALID'],
    ];
    for (const [form, code] of refusals) {
      const r = await postResponse(created.response_uri!, form);
      expect(r.status, code).toBe(400);
      expect(r.body).toMatchObject({ error: 'invalid_request', code });
      // Anyone can post a JWE: a refused one consumes nothing.
      expect(await verdictOf(created)).toMatchObject({ status: 'pending' });
    }
    const ok = await postResponse(created.response_uri!, { response: await jwe(answer) });
    expect(ok.status).toBe(200);
    expect(await verdictOf(created)).toMatchObject({ status: 'valid' });
    // The state is final once answered.
    const again = await postResponse(created.response_uri!, { response: await jwe(answer) });
    expect(again.status).toBe(400);
  });

  it('a presentation sent in the clear to a direct_post.jwt request is refused (RESPONSE_ENCRYPTION_REQUIRED); a plain decline is allowed', async () => {
    const created = await createRequest(app.url, { profile: 'lite' });
    const { payload } = await fetchObject(created);
    const made = await createPresentation(holder.wallet, { dcql: PROFILES.lite, aud: created.client_id!, nonce: payload.nonce as string });
    const r = await postResponse(created.response_uri!, { vp_token: JSON.stringify(made.vpToken), state: created.state! });
    expect(r).toMatchObject({ status: 400, body: { code: 'RESPONSE_ENCRYPTION_REQUIRED' } });
    expect(await verdictOf(created)).toMatchObject({ status: 'invalid', code: 'RESPONSE_ENCRYPTION_REQUIRED' });

    const declined = await createRequest(app.url, { profile: 'lite' });
    expect((await postResponse(declined.response_uri!, { error: 'access_denied', state: declined.state! })).status).toBe(200);
    expect(await verdictOf(declined)).toMatchObject({ status: 'invalid', code: 'WALLET_DECLINED' });
  });

  it('a direct_post request still takes a form, and refuses a JWE (it published no key)', async () => {
    const created = await createRequest(app.url, { profile: 'lite', response_mode: 'direct_post' });
    const { payload } = await fetchObject(created);
    expect(payload.response_mode).toBe('direct_post');
    expect((payload.client_metadata as Record<string, unknown>).jwks).toBeUndefined();
    const stranger = generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).publicKey;
    const jwe = await new CompactEncrypt(Buffer.from('{}')).setProtectedHeader({ alg: 'ECDH-ES', enc: 'A128GCM', kid: created.id! }).encrypt(stranger);
    expect(await postResponse(created.response_uri!, { response: jwe })).toMatchObject({ status: 400, body: { code: 'JWE_INVALID' } });
    const made = await createPresentation(holder.wallet, { dcql: PROFILES.lite, aud: created.client_id!, nonce: payload.nonce as string });
    expect((await postResponse(created.response_uri!, { vp_token: JSON.stringify(made.vpToken), state: created.state! })).status).toBe(200);
    expect(await verdictOf(created)).toMatchObject({ status: 'valid' });
  });

  it('refuses a configuration that would make wallets refuse it (VERIFIER_X509_INVALID), and direct_post.jwt on an unsigned request', async () => {
    const { leaf, chain, intermediate } = pki;
    const otherKey = generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey;
    expect(() => verifierX509({ chain, privateKey: otherKey, dnsName: 'localhost' })).toThrow(expect.objectContaining({ code: 'VERIFIER_X509_INVALID' }));
    expect(() => verifierX509({ chain, privateKey: leaf.privateKey, dnsName: 'kiosk.example' })).toThrow(
      expect.objectContaining({ code: 'VERIFIER_X509_INVALID' }),
    );
    expect(() => verifierX509({ chain: [intermediate.certificate, leaf.certificate], privateKey: leaf.privateKey })).toThrow(
      expect.objectContaining({ code: 'VERIFIER_X509_INVALID' }),
    );
    const pem = chain.map((c) => c.toString()).join('');
    const keyPem = leaf.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
    expect(loadVerifierX509({ certPem: pem, keyPem, clientId: 'x509_hash' }).clientId).toMatch(/^x509_hash:[A-Za-z0-9_-]{43}$/);
    expect(() => loadVerifierX509({ certPem: pem, keyPem, clientId: `x509_hash:${randomBytes(32).toString('base64url')}` })).toThrow(
      expect.objectContaining({ code: 'VERIFIER_X509_INVALID' }),
    );
    expect(() => loadVerifierX509({ certPem: pem, keyPem, clientId: 'redirect_uri:https://x' })).toThrow(
      expect.objectContaining({ code: 'VERIFIER_X509_INVALID' }),
    );
    // The public URL must be on the certified host, or every wallet would refuse the response_uri.
    await expect(
      createAuthorizationRequest({ profile: 'lite', baseUrl: 'https://kiosk.example', clientIdPrefix: 'x509_san_dns', x509: app.x509 }),
    ).rejects.toMatchObject({ code: 'VERIFIER_X509_INVALID' });
    await expect(
      createAuthorizationRequest({ profile: 'lite', baseUrl: 'https://kiosk.example', clientIdPrefix: 'redirect_uri', responseMode: 'direct_post.jwt' }),
    ).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    const res = await fetch(`${app.url}/oid4vp/requests`, {
      method: 'POST',
      headers: { authorization: `Bearer ${VERIFIER_ADMIN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ client_id_prefix: 'redirect_uri', response_mode: 'direct_post.jwt' }),
    });
    expect(res.status).toBe(400);
  });
});
