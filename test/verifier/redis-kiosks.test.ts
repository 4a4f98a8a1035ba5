import { createPublicKey, randomBytes, type JsonWebKey } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeQrTransport, encryptEcdhEs } from '../../core/index.js';
import { PROFILES } from '../../schemas/index.js';
import { createVerifierDevChain } from '../../verifier/index.js';
import { tempDir } from '../helpers/tmp.js';
import { NOW_S, present, world, type World } from './helpers/fixture.js';
import { freePort, getJson, postJson, REDIS_URL, requireRedis, startServe, uniquePrefix, type ServeProcess } from './helpers/redis.js';

/**
 * Three kiosks (`netcred verifier serve` processes) sharing the real Redis with --cache: what one
 * accepted, every other refuses; an OpenID4VP request made on one is answered on another and read
 * on a third; a nonce is consumed once, anywhere. Each run has its own key prefix.
 */

const redis = await requireRedis('test/verifier/redis-kiosks.test.ts');

const KIOSK = 'kiosk:station-hall';
const ADMIN = 'redis-kiosks-admin-token-0123456789';
const LITE = ['given_name', 'family_name', 'age_over_18'];
const fresh = () => Math.floor(Date.now() / 1000) - 1;

describe.runIf(redis.ok)('three verifier processes sharing Redis (--cache)', () => {
  const tmp = tempDir('netcred-redis-kiosks-');
  const prefix = uniquePrefix('kiosks');
  let w: World;
  let args: (name: string, keyPrefix?: string) => string[];
  let env: Record<string, string | undefined>;
  const nodes: Record<'A' | 'B' | 'C', ServeProcess | undefined> = { A: undefined, B: undefined, C: undefined };
  const ports = { A: 0, B: 0, C: 0 };
  const node = (n: 'A' | 'B' | 'C') => nodes[n]!;
  const admin = { authorization: `Bearer ${ADMIN}` };

  beforeAll(async () => {
    w = await world();
    const bundle = path.join(tmp.dir, 'bundle.json');
    writeFileSync(bundle, JSON.stringify(w.bundle));
    // HAIP configuration on every node: the same x509 leaf for localhost, direct_post.jwt answers.
    const chain = await createVerifierDevChain({ dnsName: 'localhost', name: 'Station Kiosks' });
    writeFileSync(path.join(tmp.dir, 'chain.pem'), chain.chainPem);
    writeFileSync(path.join(tmp.dir, 'key.pem'), chain.keyPem, { mode: 0o600 });
    ports.A = await freePort();
    ports.B = await freePort();
    ports.C = await freePort();
    // One public URL for the three, as behind a load balancer: here it lands on node B.
    env = {
      NETCRED_VERIFIER_ADMIN_TOKEN: ADMIN,
      NETCRED_CACHE_SECRET: 'redis-kiosks-cache-secret-0123456789',
      NETCRED_VERIFIER_PUBLIC_URL: `http://localhost:${ports.B}`,
      NETCRED_CACHE_URL: undefined,
    };
    // The fixture's status list was fetched on its own date; the real clock is within this of it.
    const maxStatusAge = String(Math.abs(Math.floor(Date.now() / 1000) - NOW_S) + 86400 * 365);
    args = (name, keyPrefix = prefix) => {
      const data = path.join(tmp.dir, name);
      mkdirSync(data, { recursive: true });
      return [
        '--data',
        data,
        'verifier',
        'serve',
        '--bundle',
        bundle,
        '--aud',
        KIOSK,
        '--max-status-age',
        maxStatusAge,
        '--cache',
        REDIS_URL,
        '--cache-prefix',
        keyPrefix,
        '--x509-cert',
        path.join(tmp.dir, 'chain.pem'),
        '--x509-key',
        path.join(tmp.dir, 'key.pem'),
        '--client-id',
        'x509_san_dns:localhost',
      ];
    };
    [nodes.A, nodes.B, nodes.C] = await Promise.all((['A', 'B', 'C'] as const).map((n) => startServe(args(n), { port: ports[n], env })));
  }, 120_000);

  afterAll(async () => {
    await Promise.all(Object.values(nodes).map((n) => n?.stop()));
    tmp.cleanup();
  });

  const verifyAt = async (n: 'A' | 'B' | 'C', presentation: string, profile?: 'lite' | 'upgraded') =>
    (await postJson(`${node(n).url}/verify`, { presentation, ...(profile ? { profile } : {}) })).body;
  const liteQr = async () =>
    encodeQrTransport(
      await present(await w.mintIdentity({ exp: fresh() + 86400, plain: { iat: fresh() - 60 } }), LITE, w.holder.priv, {
        aud: KIOSK,
        iat: fresh(),
        nonce: randomBytes(16).toString('base64url'),
      }),
    );

  it('every node says it shares the cache; /health reports Redis', async () => {
    for (const n of ['A', 'B', 'C'] as const) {
      expect(node(n).output()).toContain(`shared cache ${REDIS_URL} (prefix ${prefix}`);
      const health = await getJson(`${node(n).url}/health`);
      expect(health).toMatchObject({ status: 200, body: { status: 'ok', cache: { backend: 'redis', status: 'ok', prefix } } });
    }
  });

  it('a lite QR accepted at kiosk A is KB_JWT_REPLAYED at B and C, and at A after a restart', async () => {
    const qr = await liteQr();
    expect(await verifyAt('A', qr, 'lite')).toMatchObject({ valid: true, profile: 'lite', claims: { given_name: '秀英' } });
    expect(await verifyAt('B', qr, 'lite')).toMatchObject({ valid: false, code: 'KB_JWT_REPLAYED' });
    expect(await verifyAt('C', qr)).toMatchObject({ valid: false, code: 'KB_JWT_REPLAYED' });

    await node('A').stop();
    nodes.A = await startServe(args('A'), { port: ports.A, env });
    expect(await verifyAt('A', qr, 'lite')).toMatchObject({ valid: false, code: 'KB_JWT_REPLAYED' });
    // Another QR of the same person is not caught up in it.
    expect(await verifyAt('A', await liteQr(), 'lite')).toMatchObject({ valid: true });
  }, 120_000);

  it('the same QR at the three kiosks at once: exactly one accepts it', async () => {
    const qr = await liteQr();
    const results = await Promise.all((['A', 'B', 'C'] as const).map((n) => verifyAt(n, qr, 'lite')));
    expect(results.filter((r) => r.valid === true)).toHaveLength(1);
    expect(results.filter((r) => r.code === 'KB_JWT_REPLAYED')).toHaveLength(2);
  });

  it('a nonce issued on A is consumed once, anywhere (also by concurrent presentations)', async () => {
    const cred = await w.mintIdentity({ exp: fresh() + 86400, plain: { iat: fresh() - 60 } });
    const all = Object.keys(cred.disclosures);
    const { body } = await postJson(`${node('A').url}/nonce`, {});
    expect(body).toMatchObject({ nonce: expect.any(String), expires_in: 300 });
    const nonce = body.nonce as string;
    // Two different proofs (iat differs) with the one nonce: the second is refused for its nonce, not as a replay.
    expect(await verifyAt('B', await present(cred, all, w.holder.priv, { aud: KIOSK, iat: fresh(), nonce }), 'upgraded')).toMatchObject({
      valid: true,
      profile: 'upgraded',
    });
    expect(await verifyAt('C', await present(cred, all, w.holder.priv, { aud: KIOSK, iat: fresh() + 1, nonce }), 'upgraded')).toMatchObject({
      valid: false,
      code: 'PROFILE_NOT_SATISFIED',
    });
    expect(await verifyAt('A', await present(cred, all, w.holder.priv, { aud: KIOSK, iat: fresh() + 2, nonce }), 'upgraded')).toMatchObject({
      valid: false,
      code: 'PROFILE_NOT_SATISFIED',
    });

    const second = (await postJson(`${node('C').url}/nonce`, {})).body.nonce as string;
    const proofs = await Promise.all([0, 1, 2].map((i) => present(cred, all, w.holder.priv, { aud: KIOSK, iat: fresh() + i, nonce: second })));
    const results = await Promise.all((['A', 'B', 'C'] as const).map((n, i) => verifyAt(n, proofs[i]!, 'upgraded')));
    expect(results.filter((r) => r.valid === true)).toHaveLength(1);
    expect(results.filter((r) => r.code === 'PROFILE_NOT_SATISFIED')).toHaveLength(2);
    // A nonce no node issued is refused everywhere.
    expect(
      await verifyAt('B', await present(cred, all, w.holder.priv, { aud: KIOSK, iat: fresh(), nonce: randomBytes(16).toString('base64url') }), 'upgraded'),
    ).toMatchObject({ valid: false, code: 'PROFILE_NOT_SATISFIED' });
  });

  it('an OpenID4VP request created on A is answered (encrypted) on B and its verdict read on C', async () => {
    const created = await postJson(`${node('A').url}/oid4vp/requests`, { profile: 'lite' }, admin);
    expect(created.status).toBe(201);
    const req = created.body as Record<string, string>;
    expect(req).toMatchObject({ client_id: 'x509_san_dns:localhost', response_mode: 'direct_post.jwt', request_uri_method: 'post' });
    // The URIs name the shared public URL (node B); this test reaches it on 127.0.0.1.
    const onB = (u: string) => u.replace(`http://localhost:${ports.B}`, node('B').url);
    expect(req.request_uri!.startsWith(`http://localhost:${ports.B}/`)).toBe(true);

    // The wallet fetches the request object from B by POST with its nonce: B signs it afresh.
    const walletNonce = randomBytes(12).toString('base64url');
    const fetched = await fetch(onB(req.request_uri!), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ wallet_nonce: walletNonce }).toString(),
    });
    expect(fetched.status).toBe(200);
    const payload = JSON.parse(Buffer.from((await fetched.text()).split('.')[1]!, 'base64url').toString('utf8')) as Record<string, any>;
    expect(payload).toMatchObject({ client_id: req.client_id, state: req.state, wallet_nonce: walletNonce, response_uri: req.response_uri });

    // The answer: the lite claims bound to this request (aud = client_id, its nonce), encrypted to its key.
    const cred = await w.mintIdentity({ exp: fresh() + 86400, plain: { iat: fresh() - 60 } });
    const presentation = await present(cred, LITE, w.holder.priv, { aud: req.client_id, nonce: payload.nonce, iat: fresh() });
    const jwk = payload.client_metadata.jwks.keys[0] as JsonWebKey & { kid: string };
    const jwe = await encryptEcdhEs(
      JSON.stringify({ state: payload.state, vp_token: { [PROFILES.lite.credentials[0]!.id]: [presentation] } }),
      createPublicKey({ key: jwk, format: 'jwk' }),
      { enc: 'A128GCM', kid: jwk.kid },
    );
    const form = (body: Record<string, string>) => ({
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(body).toString(),
    });
    const answered = await fetch(onB(req.response_uri!), form({ response: jwe }));
    expect(answered.status, await answered.clone().text()).toBe(200);

    const verdict = await getJson(`${node('C').url}/oid4vp/requests/${req.id}/verdict`, admin);
    expect(verdict).toMatchObject({
      status: 200,
      body: { id: req.id, status: 'valid', profile: 'lite', credentials: [{ issuer: w.issuer.did, claims: { given_name: '秀英', age_over_18: true } }] },
    });
    expect((await getJson(`${node('A').url}/oid4vp/states/${encodeURIComponent(req.state!)}/verdict`, admin)).body).toMatchObject({ status: 'valid' });

    // The same answer posted to another node: the state was used, the verdict stays valid.
    const again = await fetch(`${node('C').url}/oid4vp/responses`, form({ response: jwe }));
    expect(again.status).toBe(400);
    expect(await again.json()).toMatchObject({ error: 'invalid_request' });
    // The request is closed for every node.
    expect((await fetch(`${node('A').url}/oid4vp/requests/${req.id}`)).status).toBe(410);
    expect((await getJson(`${node('B').url}/oid4vp/requests/${req.id}/verdict`, admin)).body).toMatchObject({ status: 'valid' });
  });

  it('a request made on one node is unknown to a verifier with another prefix', async () => {
    const created = (await postJson(`${node('A').url}/oid4vp/requests`, { profile: 'lite' }, admin)).body as Record<string, string>;
    const port = await freePort();
    const other = await startServe(args('D', uniquePrefix('other')), { port, env });
    try {
      expect((await getJson(`${other.url}/oid4vp/requests/${created.id}/verdict`, admin)).status).toBe(404);
      expect((await getJson(`${node('C').url}/oid4vp/requests/${created.id}/verdict`, admin)).body).toMatchObject({ status: 'pending' });
    } finally {
      await other.stop();
    }
  }, 60_000);
});
