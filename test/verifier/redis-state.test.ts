import { createPublicKey } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decryptEcdhEs, encryptEcdhEs } from '../../core/index.js';
import { connectRedisState, createAuthorizationRequest, ephemeralVerifierDidKey, type RedisState } from '../../verifier/index.js';
import { freePort, REDIS_URL, requireRedis, uniquePrefix } from './helpers/redis.js';

/**
 * The Redis stores of verifier/state/redis.ts through the library, against the real Redis: two
 * connections stand for two verifier nodes (same prefix, same cache secret).
 */

const redis = await requireRedis('test/verifier/redis-state.test.ts');

const SECRET = 'redis-state-cache-secret-0123456789';
const silent = () => undefined;

describe.runIf(redis.ok)('verifier state on Redis (library)', () => {
  const prefix = uniquePrefix('state');
  let a: RedisState;
  let b: RedisState;
  let raw: Redis;
  const opened: RedisState[] = [];
  const open = async (options: Partial<Parameters<typeof connectRedisState>[0]> = {}) => {
    const s = await connectRedisState({ url: REDIS_URL, prefix, secret: SECRET, log: silent, ...options });
    opened.push(s);
    return s;
  };

  beforeAll(async () => {
    a = await open();
    b = await open();
    raw = new Redis(REDIS_URL, { lazyConnect: true });
    await raw.connect();
  });
  afterAll(async () => {
    await Promise.all(opened.map((s) => s.close()));
    const keys = await raw.keys(`${prefix}*`);
    if (keys.length) await raw.del(...keys);
    raw.disconnect();
  });

  it('a nonce issued on one node is consumed once across both, also when consumed concurrently; its key expires', async () => {
    const { nonce, expiresIn } = await a.nonces.issue();
    expect(expiresIn).toBe(300);
    const ttl = await raw.ttl(`${prefix}nonce:${nonce}`);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(300);
    const results = await Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 ? a : b).nonces.consume(nonce)));
    expect(results.filter(Boolean)).toHaveLength(1);
    expect(await a.nonces.consume('never-issued-nonce')).toBe(false);
    expect(await b.nonces.consume('not a token: spaces and *')).toBe(false);
  });

  it('a key-binding proof is remembered once (SET NX with an expiry), whatever node asks', async () => {
    const now = Math.floor(Date.now() / 1000);
    const results = await Promise.all(Array.from({ length: 8 }, (_, i) => (i % 2 ? a : b).replay.remember('proof-1', now + 360, now)));
    expect(results.filter(Boolean)).toHaveLength(1);
    expect(await a.replay.remember('proof-2', now + 360, now)).toBe(true);
    const keys = await raw.keys(`${prefix}kb:*`);
    expect(keys).toHaveLength(2);
    for (const k of keys) expect(await raw.ttl(k)).toBeGreaterThan(300);
    expect(await b.responseReplay.firstUse('kb-jwt-1')).toBe(true);
    expect(await a.responseReplay.firstUse('kb-jwt-1')).toBe(false);
  });

  it('an OpenID4VP request made on one node is claimed once, settled on the other, its verdict read on both', async () => {
    const req = await createAuthorizationRequest({
      profile: 'lite',
      baseUrl: 'https://kiosk.example',
      didKey: ephemeralVerifierDidKey(),
      responseMode: 'direct_post.jwt',
    });
    await a.requests.add(req);
    const onB = await b.requests.byState(req.state);
    expect(onB).toMatchObject({ request: { id: req.id, nonce: req.nonce, clientId: req.clientId, dcql: req.dcql }, verdict: { status: 'pending' } });
    const claims = await Promise.all([a, b, a, b].map((s) => s.requests.claim(req.state)));
    expect(claims.filter((c) => c.ok)).toHaveLength(1);
    expect(claims.filter((c) => !c.ok).map((c) => !c.ok && c.reason)).toEqual(['used', 'used', 'used']);
    const winner = claims.find((c) => c.ok)!;
    if (!winner.ok) throw new Error('unreachable');
    expect(winner.entry.verdict.respondedAt).toEqual(expect.any(Number));
    await b.requests.settle(winner.entry, { valid: true, credentials: [{ credentialQueryId: 'identity', claims: { given_name: '秀英' } }] });
    for (const s of [a, b]) {
      expect((await s.requests.byId(req.id))?.verdict).toMatchObject({ id: req.id, status: 'valid', credentials: [{ claims: { given_name: '秀英' } }] });
    }
    expect(await a.requests.claim(req.state)).toEqual({ ok: false, reason: 'used' });
    expect(await a.requests.claim('no-such-state')).toEqual({ ok: false, reason: 'unknown' });
    expect(await a.requests.byId('no/such id')).toBeUndefined();
    // Every key of the request expires.
    for (const k of await raw.keys(`${prefix}oid4vp:*`)) expect(await raw.pttl(k)).toBeGreaterThan(0);
  });

  it('the direct_post.jwt response key is stored sealed, opens on another node with the same secret, not with another', async () => {
    const req = await createAuthorizationRequest({
      profile: 'lite',
      baseUrl: 'https://kiosk.example',
      didKey: ephemeralVerifierDidKey(),
      responseMode: 'direct_post.jwt',
    });
    await a.requests.add(req);
    const stored = (await raw.get(`${prefix}oid4vp:req:${req.id}`))!;
    const d = (req.responseKey!.privateKey.export({ format: 'jwk' }) as { d: string }).d;
    expect(stored).not.toContain(d);
    expect(JSON.parse(stored).responseKey).toMatchObject({ kid: req.id, publicJwk: req.responseKey!.publicJwk, sealedPrivateJwk: expect.any(String) });

    const jwe = await encryptEcdhEs('{"state":"s"}', createPublicKey({ key: req.responseKey!.publicJwk, format: 'jwk' }), { enc: 'A128GCM', kid: req.id });
    const onB = (await b.requests.byId(req.id))!;
    expect(Buffer.from((await decryptEcdhEs(jwe, onB.request.responseKey!.privateKey, { encs: ['A128GCM'], kid: req.id })).plaintext).toString()).toBe(
      '{"state":"s"}',
    );

    const stranger = await open({ secret: 'another-cache-secret-0123456789' });
    const onStranger = (await stranger.requests.byId(req.id))!;
    expect(onStranger.verdict.status).toBe('pending');
    expect(() => onStranger.request.responseKey!.privateKey).toThrow(expect.objectContaining({ code: 'CACHE_SECRET_MISMATCH' }));
  });

  it('a request past its expiry is expired everywhere and cannot be claimed', async () => {
    const now = Date.now();
    const req = await createAuthorizationRequest({ profile: 'lite', baseUrl: 'https://kiosk.example', ttlSeconds: 1, now: now - 5_000 });
    await a.requests.add(req, now - 5_000);
    expect((await b.requests.byId(req.id, now))?.verdict.status).toBe('expired');
    expect(await b.requests.claim(req.state, now)).toEqual({ ok: false, reason: 'expired' });
  });

  it('open requests are capped across nodes (TOO_MANY_REQUESTS)', async () => {
    const capped = uniquePrefix('cap');
    const [x, y] = [await open({ prefix: capped, maxRequests: 2 }), await open({ prefix: capped, maxRequests: 2 })];
    const make = () => createAuthorizationRequest({ profile: 'lite', baseUrl: 'https://kiosk.example' });
    await x.requests.add(await make());
    await y.requests.add(await make());
    await expect(x.requests.add(await make())).rejects.toMatchObject({ code: 'TOO_MANY_REQUESTS' });
    const keys = await raw.keys(`${capped}*`);
    await raw.del(...keys);
  });

  it('a Redis that is not there: the state opens, every call is CACHE_UNAVAILABLE at once, health says so', async () => {
    const nobody = await open({ url: `redis://127.0.0.1:${await freePort()}` });
    expect(nobody.connected).toBe(false);
    await expect(nobody.nonces.issue()).rejects.toMatchObject({ code: 'CACHE_UNAVAILABLE', retryAfterSeconds: 2 });
    await expect(nobody.replay.remember('k', 100, 1)).rejects.toMatchObject({ code: 'CACHE_UNAVAILABLE' });
    await expect(nobody.requests.byId('abc')).rejects.toMatchObject({ code: 'CACHE_UNAVAILABLE' });
    expect(await nobody.health()).toMatchObject({ backend: 'redis', status: 'unavailable', since: expect.any(String) });
  });

  it('refuses a URL that is not redis:// and a prefix that is not visible ASCII (INVALID_INPUT)', async () => {
    await expect(connectRedisState({ url: 'http://127.0.0.1:6379', secret: SECRET })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(connectRedisState({ url: 'redis://127.0.0.1:6379/db', secret: SECRET })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(connectRedisState({ url: REDIS_URL, prefix: 'has space', secret: SECRET })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });
});
