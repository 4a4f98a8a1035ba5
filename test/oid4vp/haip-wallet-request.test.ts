import { generateKeyPairSync, randomBytes, type KeyObject, type X509Certificate } from 'node:crypto';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { x509Hash } from '../../core/index.js';
import { resolveRequest, respondToRequest } from '../../holder/index.js';
import { PROFILES } from '../../schemas/index.js';
import { listen } from './helpers.js';
import { walletWithCredential, type TestWallet } from './fixture.js';
import { brokenChains, signRequestObject, verifierPki, type VerifierPki } from './x509-fixture.js';
import { startTestIssuer, type TestIssuer } from '../helpers/issuer.js';

/**
 * The wallet's checks of signed x509 requests (OpenID4VP 1.0 section 5.9.3, HAIP 1.0): the
 * request objects are made by the test (node:crypto signatures, certificates under test roots),
 * served from a small HTTP server on 127.0.0.1 (named `localhost`, the DNS name certified), and
 * resolved by the wallet over HTTP. Each refusal has its own code.
 */

type Served = { payload: Record<string, unknown>; key: KeyObject; chain: X509Certificate[]; header?: Record<string, unknown>; echoNonce?: boolean };

describe('wallet: signed x509 requests, direct_post.jwt, client_metadata', () => {
  let pki: VerifierPki;
  let broken: Awaited<ReturnType<typeof brokenChains>>;
  let base = '';
  let close: () => Promise<void>;
  const served = new Map<string, Served>();
  const posted: { id: string; body: Record<string, string> }[] = [];
  const walletPosts: Record<string, string>[] = [];
  const encKey = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const encJwk = { ...encKey.publicKey.export({ format: 'jwk' }), use: 'enc', alg: 'ECDH-ES', kid: 'enc-1' };
  let issuer: TestIssuer;
  let holder: TestWallet;

  beforeAll(async () => {
    pki = await verifierPki('localhost');
    broken = await brokenChains(pki, 'localhost');
    const app = express();
    const send = (id: string, res: express.Response, walletNonce?: string) => {
      const s = served.get(id);
      if (!s) return void res.status(404).json({ error: 'invalid_request' });
      const payload = walletNonce !== undefined && s.echoNonce !== false ? { ...s.payload, wallet_nonce: walletNonce } : s.payload;
      res.type('application/oauth-authz-req+jwt').send(signRequestObject(payload, s.key, s.chain, s.header));
    };
    app.get('/request/:id', (req, res) => send(req.params.id, res));
    app.post('/request/:id', express.urlencoded({ extended: false }), (req, res) => {
      walletPosts.push(req.body as Record<string, string>);
      send(req.params.id, res, (req.body as Record<string, string>).wallet_nonce);
    });
    app.post('/response/:id', express.urlencoded({ extended: false }), (req, res) => {
      posted.push({ id: req.params.id, body: req.body as Record<string, string> });
      res.json({});
    });
    const srv = await listen(app);
    base = srv.url.replace('127.0.0.1', 'localhost');
    close = srv.close;
    issuer = await startTestIssuer();
    holder = await walletWithCredential(issuer);
  });
  afterAll(async () => {
    await close?.();
    await holder?.close();
    await issuer?.close();
  });

  /** Registers a request object and returns its openid4vp:// URI. */
  function request(
    change: {
      payload?: Record<string, unknown>;
      key?: KeyObject;
      chain?: X509Certificate[];
      header?: Record<string, unknown>;
      method?: 'post';
      echoNonce?: boolean;
      clientId?: string;
    } = {},
  ): string {
    const id = randomBytes(8).toString('hex');
    const clientId = change.clientId ?? 'x509_san_dns:localhost';
    const payload = {
      response_type: 'vp_token',
      response_mode: 'direct_post.jwt',
      client_id: clientId,
      response_uri: `${base}/response/${id}`,
      nonce: randomBytes(16).toString('base64url'),
      state: randomBytes(16).toString('base64url'),
      dcql_query: PROFILES.lite,
      client_metadata: {
        vp_formats_supported: { 'dc+sd-jwt': { 'sd-jwt_alg_values': ['ES256', 'EdDSA'], 'kb-jwt_alg_values': ['ES256', 'EdDSA'] } },
        jwks: { keys: [encJwk] },
        encrypted_response_enc_values_supported: ['A256GCM'],
      },
      ...change.payload,
    };
    served.set(id, {
      payload,
      key: change.key ?? pki.leaf.privateKey,
      chain: change.chain ?? pki.chain,
      ...(change.header ? { header: change.header } : {}),
      ...(change.echoNonce === false ? { echoNonce: false } : {}),
    });
    const q = new URLSearchParams({ client_id: clientId, request_uri: `${base}/request/${id}` });
    if (change.method) q.set('request_uri_method', change.method);
    return `openid4vp://?${q.toString()}`;
  }

  const roots = () => [pki.root.certificate];
  const resolve = (uri: string, trustedRoots: X509Certificate[] = roots()) => resolveRequest(uri, { trustedRoots });

  it('accepts a good x509_san_dns request: the verifier named from its certificate, the answer to be encrypted as asked', async () => {
    const r = await resolve(request());
    expect(r).toMatchObject({
      clientId: 'x509_san_dns:localhost',
      clientIdPrefix: 'x509_san_dns',
      verifier: 'localhost',
      verifierName: 'Kiosk Verifier',
      certifiedBy: 'Test Verifier Root CA',
      responseMode: 'direct_post.jwt',
    });
    expect(r.encryption).toMatchObject({ kid: 'enc-1', alg: 'ECDH-ES', enc: 'A256GCM' });
    expect(r.vpFormats['dc+sd-jwt']).toEqual({ supported: true, sdJwt: ['ES256', 'EdDSA'], kbJwt: ['ES256', 'EdDSA'] });
  });

  it('refuses each broken chain with its X509 code', async () => {
    await expect(resolve(request({ key: broken.expired.leaf.privateKey, chain: broken.expired.chain }))).rejects.toMatchObject({ code: 'X509_CERT_EXPIRED' });
    await expect(resolve(request({ key: broken.untrusted.leaf.privateKey, chain: broken.untrusted.chain }))).rejects.toMatchObject({ code: 'X509_UNTRUSTED' });
    await expect(resolve(request({ key: broken.notCa.leaf.privateKey, chain: broken.notCa.chain }))).rejects.toMatchObject({ code: 'X509_NOT_CA' });
    await expect(resolve(request({ key: broken.otherName.leaf.privateKey, chain: broken.otherName.chain }))).rejects.toMatchObject({
      code: 'X509_SAN_MISMATCH',
    });
    await expect(resolve(request({ key: broken.forged.leaf.privateKey, chain: broken.forged.chain }))).rejects.toMatchObject({ code: 'X509_CHAIN_INVALID' });
    // A wallet that trusts no root yet says how to add one.
    await expect(resolve(request(), [])).rejects.toMatchObject({ code: 'X509_UNTRUSTED', message: expect.stringMatching(/wallet trust add-cert/) });
  });

  it('refuses a request object not signed by the key of its leaf (REQUEST_SIGNATURE_INVALID), and an unsigned or untyped one', async () => {
    const stranger = generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey;
    await expect(resolve(request({ key: stranger }))).rejects.toMatchObject({ code: 'REQUEST_SIGNATURE_INVALID' });
    await expect(resolve(request({ header: { typ: 'JWT' } }))).rejects.toMatchObject({ code: 'OID4VP_REQUEST_INVALID' });
    await expect(resolve(request({ header: { x5c: undefined } }))).rejects.toMatchObject({ code: 'OID4VP_REQUEST_INVALID' });
  });

  it('x509_san_dns: the response_uri must be on the certified host (RESPONSE_URI_MISMATCH)', async () => {
    const elsewhere = base.replace('localhost', '127.0.0.1');
    await expect(resolve(request({ payload: { response_uri: `${elsewhere}/response/x` } }))).rejects.toMatchObject({ code: 'RESPONSE_URI_MISMATCH' });
    // The client_id in the URI and in the request object are the same string, prefix included.
    await expect(resolve(request({ payload: { client_id: 'x509_san_dns:other.example' } }))).rejects.toMatchObject({ code: 'OID4VP_CLIENT_INVALID' });
  });

  it('x509_hash: the client id is the hash of the signing certificate (CLIENT_ID_MISMATCH otherwise)', async () => {
    const hash = x509Hash(pki.leaf.certificate);
    const good = await resolve(request({ clientId: `x509_hash:${hash}` }));
    expect(good).toMatchObject({ clientIdPrefix: 'x509_hash', verifier: hash, verifierName: 'Kiosk Verifier' });
    const other = x509Hash(pki.intermediate.certificate);
    await expect(resolve(request({ clientId: `x509_hash:${other}` }))).rejects.toMatchObject({ code: 'CLIENT_ID_MISMATCH' });
  });

  it('request_uri_method=post: the wallet sends its metadata and a nonce, and refuses a request object without that nonce', async () => {
    const before = walletPosts.length;
    await expect(resolve(request({ method: 'post' }))).resolves.toMatchObject({ clientIdPrefix: 'x509_san_dns' });
    const sent = walletPosts[before]!;
    expect(sent.wallet_nonce).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(JSON.parse(sent.wallet_metadata!)).toMatchObject({
      client_id_prefixes_supported: expect.arrayContaining(['x509_san_dns', 'x509_hash']),
      authorization_encryption_alg_values_supported: ['ECDH-ES'],
    });
    await expect(resolve(request({ method: 'post', echoNonce: false }))).rejects.toMatchObject({
      code: 'OID4VP_REQUEST_INVALID',
      message: expect.stringMatching(/wallet_nonce/),
    });
    await expect(resolve(request().replace('request_uri=', 'request_uri_method=POST&request_uri='))).rejects.toMatchObject({ code: 'OID4VP_URI_INVALID' });
  });

  it('direct_post.jwt needs a usable key in client_metadata.jwks and an enc it supports', async () => {
    const meta = (m: Record<string, unknown>) => ({ payload: { client_metadata: { vp_formats_supported: { 'dc+sd-jwt': {} }, ...m } } });
    await expect(resolve(request(meta({})))).rejects.toMatchObject({ code: 'OID4VP_REQUEST_INVALID' });
    await expect(resolve(request(meta({ jwks: { keys: [{ ...encJwk, alg: undefined }] } })))).rejects.toMatchObject({ code: 'OID4VP_REQUEST_INVALID' });
    await expect(resolve(request(meta({ jwks: { keys: [{ ...encJwk, kid: undefined }] } })))).rejects.toMatchObject({ code: 'OID4VP_REQUEST_INVALID' });
    await expect(resolve(request(meta({ jwks: { keys: [{ ...encJwk, use: 'sig' }] } })))).rejects.toMatchObject({ code: 'OID4VP_UNSUPPORTED' });
    await expect(resolve(request(meta({ jwks: { keys: [encJwk] }, encrypted_response_enc_values_supported: ['A128CBC-HS256'] })))).rejects.toMatchObject({
      code: 'OID4VP_UNSUPPORTED',
    });
    // Absent encs default to A128GCM (section 5.1).
    expect((await resolve(request(meta({ jwks: { keys: [encJwk] } })))).encryption?.enc).toBe('A128GCM');
  });

  it('never sends a credential whose algorithm the verifier does not list: an EdDSA credential to an ES256-only verifier (CREDENTIAL_ALG_UNSUPPORTED), nothing posted', async () => {
    const es256Only = { 'dc+sd-jwt': { 'sd-jwt_alg_values': ['ES256'], 'kb-jwt_alg_values': ['ES256'] } };
    const uri = request({ payload: { client_metadata: { vp_formats_supported: es256Only, jwks: { keys: [encJwk] } } } });
    const before = posted.length;
    let asked = false;
    await expect(respondToRequest(holder.wallet, uri, { trustedRoots: roots(), confirm: () => (asked = true) })).rejects.toMatchObject({
      code: 'CREDENTIAL_ALG_UNSUPPORTED',
      message: expect.stringMatching(/EdDSA.*ES256/),
    });
    expect(asked).toBe(false);
    expect(posted.length).toBe(before);
    // A verifier that lists no SD-JWT VC format at all gets nothing either.
    const noFormat = request({ payload: { client_metadata: { vp_formats_supported: { mso_mdoc: {} }, jwks: { keys: [encJwk] } } } });
    await expect(respondToRequest(holder.wallet, noFormat, { trustedRoots: roots() })).rejects.toMatchObject({ code: 'CREDENTIAL_ALG_UNSUPPORTED' });
    expect(posted.length).toBe(before);
  });
});
