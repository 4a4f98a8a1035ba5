import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDidResolver, InvalidInputError, NetcredError, resolveDidDocument, resolvePublicKey, signCompact, verifyCompact } from '../../core/index.js';
import { initIssuer, serveIssuer, type IssuerContext, type RunningServer } from '../../issuer/index.js';
// Internals on purpose: the admin guard and the error handlers of the issuer's HTTP layer are tested on an app of their own.
import { requireAdmin } from '../../issuer/http/admin-auth.js';
import { errorHandler, notFound } from '../../issuer/http/errors.js';
import { RESIDENT_IDENTITY_VCT } from '../../schemas/index.js';
import { freePort } from '../helpers/issuer.js';
import { tempDir } from '../helpers/tmp.js';

const json = (res: Response): Promise<any> => res.json();

const tmp = tempDir('netcred-issuer-http-');
afterAll(() => tmp.cleanup());

describe('did:web issuer over HTTP', () => {
  let ctx: IssuerContext;
  let running: RunningServer;
  let base: string;
  beforeAll(async () => {
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    ctx = await initIssuer({
      dataDir: `${tmp.dir}/web`,
      didMethod: 'web',
      alg: 'ES256',
      publicUrl: `${base}/issuers/1`,
      secret: 'test-secret-0123456789abcdef',
    });
    running = await serveIssuer(ctx, { host: '127.0.0.1', port });
  });
  afterAll(async () => {
    await running?.close();
    await ctx?.close();
  });

  it('serves the DID document where did:web maps the DID, and it resolves over the network', async () => {
    expect(ctx.issuerDid).toBe(`did:web:127.0.0.1%3A${new URL(base).port}:issuers:1`);
    expect(running.url).toBe(base);
    const res = await fetch(`${base}/issuers/1/did.json`);
    expect(res.status).toBe(200);
    expect((await json(res)).id).toBe(ctx.issuerDid);

    const resolver = createDidResolver({ allowNetwork: true, insecureWeb: true });
    const doc = await resolveDidDocument(resolver, ctx.issuerDid);
    expect(doc.assertionMethod).toContain(ctx.signer.kid);
    const jws = await signCompact({ typ: 'JWT' }, { iss: ctx.issuerDid }, ctx.signer);
    const { key } = await resolvePublicKey(resolver, ctx.issuerDid, ctx.signer.kid);
    expect(verifyCompact(jws, key, { algorithms: ['ES256'] }).payload).toEqual({ iss: ctx.issuerDid });
  });

  it('answers health, discovery and type metadata under the public URL path', async () => {
    expect(await json(await fetch(`${base}/health`))).toEqual({ status: 'ok', did: ctx.issuerDid });
    const disco = await json(await fetch(`${base}/issuers/1/.well-known/netcred-issuer`));
    expect(disco.issuer).toBe(ctx.issuerDid);
    expect(disco.did_document.id).toBe(ctx.issuerDid);
    expect(disco.status_aggregation_uri).toBe(`${base}/issuers/1/status/aggregation`);
    const type = disco.credential_types.find((t: { vct: string }) => t.vct === RESIDENT_IDENTITY_VCT);
    expect(type.type_metadata_uri).toBe(`${base}/issuers/1/type-metadata/${encodeURIComponent(RESIDENT_IDENTITY_VCT)}`);
    const meta = await fetch(type.type_metadata_uri);
    expect(meta.status).toBe(200);
    expect((await json(meta)).vct).toBe(RESIDENT_IDENTITY_VCT);
    const unknown = await fetch(`${base}/issuers/1/type-metadata/urn%3Anope`);
    expect(unknown.status).toBe(404);
    expect((await json(unknown)).error).toBe('not_found');
  });

  it('answers JSON errors: 404, malformed JSON 400, oversized body 413, never a stack', async () => {
    const nf = await fetch(`${base}/nope`);
    expect(nf.status).toBe(404);
    expect(await json(nf)).toMatchObject({ error: 'not_found' });
    const bad = await fetch(`${base}/issuers/1/anything`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"a":' });
    expect(bad.status).toBe(400);
    const badBody = await json(bad);
    expect(badBody).toMatchObject({ error: 'invalid_request' });
    expect(JSON.stringify(badBody)).not.toMatch(/at .*\.(js|ts):\d+/);
    const big = await fetch(`${base}/issuers/1/anything`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ a: 'x'.repeat(70 * 1024) }),
    });
    expect(big.status).toBe(413);
    expect(await json(big)).toMatchObject({ error: 'invalid_request' });
  });
});

describe('did:key issuer and the admin middleware', () => {
  let ctx: IssuerContext;
  beforeAll(async () => {
    ctx = await initIssuer({ dataDir: `${tmp.dir}/key`, secret: 'test-secret-0123456789abcdef', adminToken: 'admin-token-for-tests-0123456789' });
  });
  afterAll(async () => ctx?.close());

  it('publishes the did:key document at /.well-known/did.json', async () => {
    const running = await serveIssuer(ctx, { port: 0 });
    try {
      const doc = await json(await fetch(`${running.url}/.well-known/did.json`));
      expect(doc.id).toBe(ctx.issuerDid);
      expect(doc.verificationMethod[0].id).toBe(ctx.signer.kid);
    } finally {
      await running.close();
    }
  });

  it('requireAdmin: 401 with WWW-Authenticate without or with a wrong token, passes the right one', async () => {
    const app = express();
    app.get('/admin/ping', requireAdmin(ctx), (_req, res) => {
      res.json({ ok: true });
    });
    const server = app.listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    const url = `http://127.0.0.1:${(server.address() as { port: number }).port}/admin/ping`;
    try {
      const none = await fetch(url);
      expect(none.status).toBe(401);
      expect(none.headers.get('www-authenticate')).toMatch(/^Bearer/);
      expect(await json(none)).toMatchObject({ error: 'invalid_token' });

      for (const auth of ['Bearer wrong-token', `Bearer ${ctx.config.adminToken}x`, `Basic ${ctx.config.adminToken}`, ctx.config.adminToken]) {
        const res = await fetch(url, { headers: { authorization: auth } });
        expect(res.status, auth).toBe(401);
        expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
        expect((await json(res)).error).toBe('invalid_token');
      }
      const ok = await fetch(url, { headers: { authorization: `Bearer ${ctx.config.adminToken}` } });
      expect(ok.status).toBe(200);
      expect(await json(ok)).toEqual({ ok: true });
    } finally {
      await new Promise((r) => server.close(r));
    }
  });
});

describe('errorHandler', () => {
  it('maps typed input errors to 400 and anything else to 500, with no stack or internal message', async () => {
    const app = express();
    app.get('/input', () => {
      throw new InvalidInputError('claims are missing', [{ path: 'given_name', message: 'required' }]);
    });
    app.get('/broken', async () => {
      throw new Error('SQLITE_CANTOPEN: /secret/path/issuer.sqlite');
    });
    app.get('/typed-server', () => {
      throw new NetcredError('ISSUER_CORRUPT', 'db is broken at /secret/path');
    });
    app.use(notFound());
    app.use(errorHandler());
    const server = app.listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    const base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    const saved = process.stderr.write;
    process.stderr.write = (() => true) as typeof process.stderr.write;
    try {
      const input = await fetch(`${base}/input`);
      expect(input.status).toBe(400);
      expect(await json(input)).toEqual({ error: 'invalid_request', error_description: 'claims are missing', code: 'INVALID_INPUT' });
      for (const route of ['/broken', '/typed-server']) {
        const res = await fetch(`${base}${route}`);
        expect(res.status).toBe(500);
        const text = await res.text();
        expect(JSON.parse(text).error).toBe('server_error');
        expect(text).not.toContain('/secret/path');
      }
    } finally {
      process.stderr.write = saved;
      await new Promise((r) => server.close(r));
    }
  });
});
