import { randomBytes } from 'node:crypto';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { b64uDecode, decodeCompact } from '../../core/index.js';
import { PROFILES } from '../../schemas/index.js';
import { resolveRequest } from '../../holder/index.js';
import { createOid4vpRouter, type Oid4vpRouter } from '../../verifier/index.js';
import { listen, newDidKey } from './helpers.js';

const ADMIN = randomBytes(16).toString('hex');

describe('OpenID4VP request: verifier creates, wallet resolves over HTTP', () => {
  let oid4vp: Oid4vpRouter;
  let base = '';
  let close: () => Promise<void>;
  const didKey = newDidKey();

  beforeAll(async () => {
    const app = express();
    // The verify function is never reached here: these tests stop before any presentation.
    oid4vp = createOid4vpRouter({ baseUrl: () => base, adminToken: ADMIN, didKey, verify: async () => ({ valid: false, code: 'MALFORMED' }) });
    app.use(oid4vp.router);
    const s = await listen(app);
    base = s.url;
    close = s.close;
  });
  afterAll(() => close());

  const create = async (body: Record<string, unknown>, token = ADMIN) =>
    fetch(`${base}/oid4vp/requests`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify(body),
    });

  it('redirect_uri request: unsigned request object, client_id is the response_uri, fresh 256-bit nonce and state', async () => {
    const res = await create({ profile: 'lite', client_id_prefix: 'redirect_uri' });
    expect(res.status).toBe(201);
    const created = (await res.json()) as Record<string, string>;
    expect(created.client_id).toBe(`redirect_uri:${base}/oid4vp/responses`);
    const uri = new URL(created.uri!);
    expect(uri.protocol).toBe('openid4vp:');
    expect(uri.searchParams.get('client_id')).toBe(created.client_id);
    expect(uri.searchParams.get('request_uri')).toBe(`${base}/oid4vp/requests/${created.id}`);

    const obj = await fetch(created.request_uri!);
    expect(obj.headers.get('content-type')).toMatch(/^application\/oauth-authz-req\+jwt/);
    const jwt = decodeCompact(await obj.text());
    expect(jwt.header).toEqual({ alg: 'none', typ: 'oauth-authz-req+jwt' });
    expect(jwt.payload).toMatchObject({
      response_type: 'vp_token',
      response_mode: 'direct_post',
      response_uri: `${base}/oid4vp/responses`,
      dcql_query: PROFILES.lite,
    });

    const resolved = await resolveRequest(created.uri!);
    expect(resolved.clientIdPrefix).toBe('redirect_uri');
    expect(resolved.responseUri).toBe(`${base}/oid4vp/responses`);
    expect(resolved.dcql).toEqual(PROFILES.lite);
    expect(b64uDecode(resolved.nonce).length).toBeGreaterThanOrEqual(16);
    expect(resolved.state).toBe(created.state);

    const second = (await (await create({ profile: 'lite' })).json()) as Record<string, string>;
    const resolved2 = await resolveRequest(second.uri!);
    expect(resolved2.nonce).not.toBe(resolved.nonce);
    expect(second.state).not.toBe(created.state);
  });

  it('decentralized_identifier request: a JAR signed by the verifier DID, checked by the wallet', async () => {
    const created = (await (await create({ profile: 'upgraded' })).json()) as Record<string, string>;
    expect(created.client_id).toBe(`decentralized_identifier:${didKey.did}`);
    const jwt = decodeCompact(await (await fetch(created.request_uri!)).text());
    expect(jwt.header.typ).toBe('oauth-authz-req+jwt');
    expect(jwt.header.alg).toBe('EdDSA');
    expect(String(jwt.header.kid).startsWith(`${didKey.did}#`)).toBe(true);
    const resolved = await resolveRequest(created.uri!);
    expect(resolved.clientIdPrefix).toBe('decentralized_identifier');
    expect(resolved.verifier).toBe(didKey.did);
    expect(resolved.dcql).toEqual(PROFILES.upgraded);
  });

  it('the wallet refuses a request object whose signature or client does not check out', async () => {
    const created = (await (await create({ profile: 'lite' })).json()) as Record<string, string>;
    const jar = await (await fetch(created.request_uri!)).text();
    const [h, p, s] = jar.split('.') as [string, string, string];
    const other = newDidKey();
    const serve = async (body: string, clientId: string) => {
      const app = express();
      app.get('/r', (_req, res) => res.type('application/oauth-authz-req+jwt').send(body));
      const srv = await listen(app);
      try {
        return await resolveRequest(`openid4vp://?client_id=${encodeURIComponent(clientId)}&request_uri=${encodeURIComponent(`${srv.url}/r`)}`);
      } finally {
        await srv.close();
      }
    };
    // Payload altered after signing.
    const payload = JSON.parse(b64uDecode(p).toString()) as Record<string, unknown>;
    const tampered = `${h}.${Buffer.from(JSON.stringify({ ...payload, response_uri: 'https://evil.example/cb' })).toString('base64url')}.${s}`;
    await expect(serve(tampered, created.client_id!)).rejects.toMatchObject({ code: 'OID4VP_REQUEST_INVALID' });
    // Claims to be another DID than the signer.
    await expect(serve(jar, `decentralized_identifier:${other.did}`)).rejects.toMatchObject({ code: 'OID4VP_CLIENT_INVALID' });
    // alg none where a signature is required.
    const unsigned = `${Buffer.from(JSON.stringify({ alg: 'none', typ: 'oauth-authz-req+jwt' })).toString('base64url')}.${p}.`;
    await expect(serve(unsigned, created.client_id!)).rejects.toMatchObject({ code: 'OID4VP_REQUEST_INVALID' });
    // redirect_uri client whose response_uri is elsewhere.
    const rd = { ...payload, client_id: 'redirect_uri:https://kiosk.example/cb', response_uri: 'https://evil.example/cb' };
    const rdJwt = `${Buffer.from(JSON.stringify({ alg: 'none', typ: 'oauth-authz-req+jwt' })).toString('base64url')}.${Buffer.from(JSON.stringify(rd)).toString('base64url')}.`;
    await expect(serve(rdJwt, 'redirect_uri:https://kiosk.example/cb')).rejects.toMatchObject({ code: 'OID4VP_CLIENT_INVALID' });
    // client_id of the URI differs from the request object's.
    await expect(serve(rdJwt, 'redirect_uri:https://evil.example/cb')).rejects.toMatchObject({ code: 'OID4VP_CLIENT_INVALID' });
  });

  it('request objects are bounded: an oversized answer is refused', async () => {
    const app = express();
    app.get('/big', (_req, res) => res.type('application/oauth-authz-req+jwt').send('a'.repeat(200 * 1024)));
    const srv = await listen(app);
    try {
      await expect(
        resolveRequest(`openid4vp://?client_id=redirect_uri%3Ahttp%3A%2F%2F127.0.0.1%2Fx&request_uri=${encodeURIComponent(`${srv.url}/big`)}`),
      ).rejects.toMatchObject({
        code: 'OID4VP_REQUEST_FETCH_FAILED',
      });
    } finally {
      await srv.close();
    }
  });

  it('refuses non-loopback http, bad schemes and malformed URIs', async () => {
    await expect(resolveRequest('https://example.com/?client_id=x')).rejects.toMatchObject({ code: 'OID4VP_URI_INVALID' });
    await expect(resolveRequest('openid4vp://?request_uri=http%3A%2F%2F127.0.0.1%2Fr')).rejects.toMatchObject({ code: 'OID4VP_URI_INVALID' });
    await expect(resolveRequest('openid4vp://?client_id=a&client_id=b&request_uri=x')).rejects.toMatchObject({ code: 'OID4VP_URI_INVALID' });
    await expect(resolveRequest('openid4vp://?client_id=redirect_uri%3Ax&request_uri=http%3A%2F%2Fexample.com%2Fr')).rejects.toMatchObject({
      code: 'OID4VP_REQUEST_FETCH_FAILED',
    });
  });

  it('a kiosk may send its own DCQL query; a malformed one is refused', async () => {
    const dcql = {
      credentials: [
        {
          id: 'adult',
          format: 'dc+sd-jwt',
          meta: { vct_values: ['urn:netcred:vct:resident-identity:1'] },
          claims: [{ path: ['age_over_18'], values: [true] }],
        },
      ],
    };
    const res = await create({ dcql_query: dcql, client_id_prefix: 'redirect_uri' });
    expect(res.status).toBe(201);
    const created = (await res.json()) as Record<string, string>;
    expect(created.profile).toBeUndefined();
    expect((await resolveRequest(created.uri!)).dcql).toEqual(dcql);
    const bad = await create({ dcql_query: { credentials: [{ id: 'x', format: 'mso_mdoc' }] } });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error: 'invalid_request', code: 'INVALID_INPUT' });
  });

  it('admin calls need the bearer token; the verdict of a fresh request is pending; expired requests are gone', async () => {
    expect((await create({ profile: 'lite' }, 'wrong')).status).toBe(401);
    expect((await create({ profile: 'nope' })).status).toBe(400);
    const created = (await (await create({ profile: 'lite' })).json()) as Record<string, string>;
    expect((await fetch(created.verdict_uri!)).status).toBe(401);
    const v = await fetch(created.verdict_uri!, { headers: { authorization: `Bearer ${ADMIN}` } });
    expect(await v.json()).toMatchObject({ status: 'pending', state: created.state });
    const png = await fetch(created.qr_png_uri!);
    expect(png.headers.get('content-type')).toBe('image/png');
    expect(
      Buffer.from(await png.arrayBuffer())
        .subarray(1, 4)
        .toString(),
    ).toBe('PNG');

    // An expired request: created in-process with a 1 s lifetime and observed after it.
    const short = await createOid4vpRouter({ baseUrl: base, verify: async () => ({ valid: false }), ttlSeconds: 1 }).createRequest({ profile: 'lite' });
    expect(short.expiresAt - short.createdAt).toBe(1000);
    const entry = oid4vp.store.add({ ...short, expiresAt: Date.now() - 1 });
    expect(oid4vp.store.byId(entry.request.id)?.verdict.status).toBe('expired');
    const gone = await fetch(`${base}/oid4vp/requests/${short.id}`);
    expect(gone.status).toBe(410);
    await expect(resolveRequest(short.uri)).rejects.toMatchObject({ code: 'OID4VP_REQUEST_FETCH_FAILED' });
  });
});
