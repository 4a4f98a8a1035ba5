import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeQrTransport } from '../../core/index.js';
import { tempDir } from '../helpers/tmp.js';
import { NOW_S, present, world, type World } from './helpers/fixture.js';
import {
  freePort,
  getJson,
  postJson,
  requireRedis,
  startPrivateRedis,
  startServe,
  uniquePrefix,
  waitFor,
  type PrivateRedis,
  type ServeProcess,
} from './helpers/redis.js';

/**
 * Redis down under a running `netcred verifier serve --cache`: a private redis-server for this
 * test only, killed (and stopped) mid-test. The verifier answers CACHE_UNAVAILABLE (503 with
 * Retry-After) and never a verdict, without hanging, and serves again by itself once Redis is back.
 */

const redis = await requireRedis('test/verifier/redis-down.test.ts');

const KIOSK = 'kiosk:hall-down';
const ADMIN = 'redis-down-admin-token-0123456789';
const LITE = ['given_name', 'family_name', 'age_over_18'];
const fresh = () => Math.floor(Date.now() / 1000) - 1;

describe.runIf(redis.ok)('verifier serve --cache with its Redis down', () => {
  const tmp = tempDir('netcred-redis-down-');
  let w: World;
  let server: PrivateRedis | undefined;
  let kiosk: ServeProcess | undefined;
  let redisPort = 0;

  beforeAll(async () => {
    w = await world();
    const bundle = path.join(tmp.dir, 'bundle.json');
    writeFileSync(bundle, JSON.stringify(w.bundle));
    redisPort = await freePort();
    server = await startPrivateRedis(redisPort);
    const maxStatusAge = String(Math.abs(Math.floor(Date.now() / 1000) - NOW_S) + 86400 * 365);
    kiosk = await startServe(
      [
        '--data',
        path.join(tmp.dir, 'data'),
        'verifier',
        'serve',
        '--bundle',
        bundle,
        '--aud',
        KIOSK,
        '--max-status-age',
        maxStatusAge,
        '--cache',
        server.url,
        '--cache-prefix',
        uniquePrefix('down'),
      ],
      {
        port: await freePort(),
        env: { NETCRED_VERIFIER_ADMIN_TOKEN: ADMIN, NETCRED_CACHE_URL: undefined, NETCRED_CACHE_SECRET: undefined, NETCRED_VERIFIER_PUBLIC_URL: undefined },
      },
    );
  }, 120_000);

  afterAll(async () => {
    await kiosk?.stop();
    if (server) {
      server.process.kill('SIGCONT');
      await server.kill();
    }
    tmp.cleanup();
  });

  const verify = (presentation: string) => postJson(`${kiosk!.url}/verify`, { presentation, profile: 'lite' });
  const liteQr = async () =>
    encodeQrTransport(
      await present(await w.mintIdentity({ exp: fresh() + 86400, plain: { iat: fresh() - 60 } }), LITE, w.holder.priv, {
        aud: KIOSK,
        iat: fresh(),
        nonce: randomBytes(16).toString('base64url'),
      }),
    );
  const expectUnavailable = (r: { status: number; headers: Headers; body: Record<string, unknown> }) => {
    expect(r.status).toBe(503);
    expect(r.body).toMatchObject({ error: 'temporarily_unavailable', code: 'CACHE_UNAVAILABLE', error_description: expect.stringMatching(/shared cache/) });
    expect(r.body.valid).toBeUndefined();
    expect(Number(r.headers.get('retry-after'))).toBeGreaterThan(0);
  };

  it('killed: CACHE_UNAVAILABLE, never a verdict; back: it recovers by itself', async () => {
    const accepted = await liteQr();
    expect((await verify(accepted)).body).toMatchObject({ valid: true });
    expect((await getJson(`${kiosk!.url}/health`)).body).toMatchObject({ status: 'ok', cache: { backend: 'redis', status: 'ok' } });

    await server!.kill('SIGKILL');
    const pending = await liteQr();
    // Neither a new QR nor the one already accepted gets a verdict: nothing can be checked for replay.
    expectUnavailable(await verify(pending));
    expectUnavailable(await verify(accepted));
    expectUnavailable(await postJson(`${kiosk!.url}/nonce`, {}));
    expectUnavailable(await postJson(`${kiosk!.url}/oid4vp/requests`, { profile: 'lite' }, { authorization: `Bearer ${ADMIN}` }));
    const health = await getJson(`${kiosk!.url}/health`);
    expect(health).toMatchObject({
      status: 503,
      body: { status: 'unavailable', cache: { backend: 'redis', status: 'unavailable', since: expect.any(String) } },
    });

    server = await startPrivateRedis(redisPort);
    await waitFor(async () => (await getJson(`${kiosk!.url}/health`)).status === 200, 'the verifier to reconnect');
    // The QR refused with 503 was never accepted: it verifies now, once.
    expect((await verify(pending)).body).toMatchObject({ valid: true });
    expect((await verify(pending)).body).toMatchObject({ valid: false, code: 'KB_JWT_REPLAYED' });
    expect(kiosk!.output()).toMatch(/shared cache redis:\/\/127\.0\.0\.1:\d+ unavailable/);
  }, 120_000);

  it('a Redis that stops answering: each call gives up after its bound (503), then serves again', async () => {
    server!.process.kill('SIGSTOP');
    try {
      const qr = await liteQr();
      expectUnavailable(await verify(qr));
      expect((await getJson(`${kiosk!.url}/health`)).status).toBe(503);
    } finally {
      server!.process.kill('SIGCONT');
    }
    await waitFor(async () => (await getJson(`${kiosk!.url}/health`)).status === 200, 'the verifier to be served again');
    expect((await verify(await liteQr())).body).toMatchObject({ valid: true });
  }, 60_000);
});
