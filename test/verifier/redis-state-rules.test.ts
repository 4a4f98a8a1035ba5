import { createHash } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSealed } from '../../core/crypto/seal.js';
import {
  connectRedisState,
  createAuthorizationRequest,
  DEFAULT_CACHE_PREFIX,
  ephemeralVerifierDidKey,
  type RedisState,
  type RedisStateOptions,
} from '../../verifier/index.js';
import type { PendingRequest } from '../../verifier/oid4vp/types.js';
import { sealingKey } from '../../verifier/state/secret.js';
import { freePort, REDIS_URL, requireRedis, uniquePrefix } from './helpers/redis.js';

/**
 * One test per rule of the verifier's state in Redis (verifier/state/redis.ts): nonces, the
 * key-binding and response replay guards, the OpenID4VP requests (cap, expiry, single-use claim,
 * verdicts, the sealed response key) and connectRedisState (prefix, URL, health, defaults). In
 * this process against the real Redis; a second client reads the keys, values and TTLs it holds.
 */

const redis = await requireRedis('test/verifier/redis-state-rules.test.ts');

const SECRET = 'redis-state-rules-cache-secret-0123456789';
const OTHER_SECRET = 'another-cache-secret-of-another-fleet-0123';
const silent = () => undefined;
const sha = (s: string) => createHash('sha256').update(s).digest('base64url');
const MIN = 60_000;
// The wire values, written out: a mutant of the source's constants must not change the expectation too.
const UNAVAILABLE = 'the verifier cannot reach its shared cache (Redis) to check for replays; nothing was accepted, try again shortly';
const PREFIX_RULE = '--cache-prefix must be 1 to 64 visible ASCII characters';
const AAD = (id: string) => `netcred-verifier:oid4vp-response-key:${id}`;
/** What a call that must fail threw. */
async function failure(call: unknown): Promise<unknown> {
  try {
    await call;
  } catch (err) {
    return err;
  }
  throw new Error('expected a refusal, got none');
}
const SEAL_KEY_NAME = "this verifier's cache secret (NETCRED_CACHE_SECRET must be the same on every node)";

describe.runIf(redis.ok)('verifier state in Redis: the rules', () => {
  const prefixes: string[] = [];
  const opened: RedisState[] = [];
  let raw: Redis;
  let prefix: string;
  let s: RedisState;

  /** A state on the real Redis; its own prefix unless one is given (every prefix is cleaned up). */
  async function open(options: Partial<RedisStateOptions> = {}): Promise<RedisState & { connected: boolean }> {
    const p = options.prefix ?? uniquePrefix('state-rules');
    if (!prefixes.includes(p)) prefixes.push(p);
    const state = await connectRedisState({ url: REDIS_URL, secret: SECRET, log: silent, ...options, prefix: p });
    opened.push(state);
    return state;
  }
  const lite = (now: number, ttlSeconds = 300) => createAuthorizationRequest({ profile: 'lite', baseUrl: 'https://kiosk.example', now, ttlSeconds });
  const keyed = () =>
    createAuthorizationRequest({ profile: 'lite', baseUrl: 'https://kiosk.example', didKey: ephemeralVerifierDidKey(), responseMode: 'direct_post.jwt' });
  /** The PTTL of a key, and that it lies in (low, high]. */
  async function expectPttl(key: string, low: number, high: number): Promise<void> {
    const pttl = await raw.pttl(key);
    expect(pttl, key).toBeGreaterThan(low);
    expect(pttl, key).toBeLessThanOrEqual(high);
  }

  beforeAll(async () => {
    raw = new Redis(REDIS_URL, { lazyConnect: true });
    await raw.connect();
    s = await open();
    prefix = s.prefix;
  });
  afterAll(async () => {
    await Promise.all(opened.map((o) => o.close()));
    for (const p of prefixes) {
      const keys = await raw.keys(`${p}*`);
      if (keys.length) await raw.del(...keys);
    }
    raw.disconnect();
  });

  describe('nonces', () => {
    it('issue: 128 random bits base64url, stored as "1" under nonce:<nonce> for the default 300 s, and it says 300', async () => {
      const { nonce, expiresIn } = await s.nonces.issue();
      expect(nonce).toMatch(/^[A-Za-z0-9_-]{22}$/);
      expect(expiresIn).toBe(300);
      expect(await raw.get(`${prefix}nonce:${nonce}`)).toBe('1');
      await expectPttl(`${prefix}nonce:${nonce}`, 298_000, 300_000);
    });

    it('issue: nonceTtlSeconds of its own', async () => {
      const short = await open({ nonceTtlSeconds: 7 });
      const { nonce, expiresIn } = await short.nonces.issue();
      expect(expiresIn).toBe(7);
      await expectPttl(`${short.prefix}nonce:${nonce}`, 5_000, 7_000);
    });

    it('consume: true once (the key is taken), false after and for a nonce never issued', async () => {
      const { nonce } = await s.nonces.issue();
      expect(await s.nonces.consume(nonce)).toBe(true);
      expect(await raw.exists(`${prefix}nonce:${nonce}`)).toBe(0);
      expect(await s.nonces.consume(nonce)).toBe(false);
      expect(await s.nonces.consume('never-issued-nonce-0000')).toBe(false);
    });

    it('consume: only base64url of 1 to 128 characters reaches Redis; anything else is false, even if such a key exists', async () => {
      const longest = `${'A-z_9'.repeat(25)}abc`;
      expect(longest).toHaveLength(128);
      const refused = ['', 'bad nonce', 'a+b', 'a.b', 'nonce\n', `${longest}x`];
      for (const n of [longest, ...refused]) await raw.set(`${prefix}nonce:${n}`, '1', 'EX', 60);
      for (const n of refused) expect(await s.nonces.consume(n), JSON.stringify(n)).toBe(false);
      for (const n of refused) expect(await raw.exists(`${prefix}nonce:${n}`), JSON.stringify(n)).toBe(1);
      expect(await s.nonces.consume(longest)).toBe(true);
      expect(await s.nonces.consume('x')).toBe(false);
      await raw.set(`${prefix}nonce:x`, '1', 'EX', 60);
      expect(await s.nonces.consume('x')).toBe(true);
    });
  });

  describe('replay guards', () => {
    it('remember: "1" under kb:<sha256(key) base64url>, for ceil(until - now) seconds; true the first time only', async () => {
      expect(await s.replay.remember('proof-ceil', 1360.4, 1000)).toBe(true);
      const key = `${prefix}kb:${sha('proof-ceil')}`;
      expect(await raw.get(key)).toBe('1');
      await expectPttl(key, 360_000, 361_000);
      expect(await s.replay.remember('proof-ceil', 1360.4, 1000)).toBe(false);
      expect(await s.replay.remember('proof-ceil', 9999, 1000)).toBe(false);
      expect((await raw.keys(`${prefix}*`)).some((k) => k.includes('proof-ceil'))).toBe(false);
    });

    it('remember: relative to the verifier clock, not to Redis time: far-off epoch seconds give the same lifetime', async () => {
      expect(await s.replay.remember('proof-relative', 86_400 + 120, 86_400)).toBe(true);
      await expectPttl(`${prefix}kb:${sha('proof-relative')}`, 119_000, 120_000);
    });

    it('remember: at least 1 s, also when the proof lives less than a second or its time has passed', async () => {
      expect(await s.replay.remember('proof-now', 100, 100)).toBe(true);
      await expectPttl(`${prefix}kb:${sha('proof-now')}`, 0, 1000);
      expect(await s.replay.remember('proof-past', 50, 100)).toBe(true);
      await expectPttl(`${prefix}kb:${sha('proof-past')}`, 0, 1000);
      expect(await s.replay.remember('proof-fraction', 100.2, 100)).toBe(true);
      await expectPttl(`${prefix}kb:${sha('proof-fraction')}`, 0, 1000);
    });

    it('firstUse: "1" under vp:<sha256(token)>, for 15 min by default; true the first time only', async () => {
      expect(s.responseReplay).toBe(s.replay);
      expect(await s.responseReplay.firstUse('kb-jwt-default')).toBe(true);
      const key = `${prefix}vp:${sha('kb-jwt-default')}`;
      expect(await raw.get(key)).toBe('1');
      await expectPttl(key, 15 * MIN - 2000, 15 * MIN);
      expect(await s.responseReplay.firstUse('kb-jwt-default')).toBe(false);
    });

    it('firstUse: responseReplayTtlMs of its own', async () => {
      const short = await open({ responseReplayTtlMs: 5000 });
      expect(await short.responseReplay.firstUse('kb-jwt-short')).toBe(true);
      await expectPttl(`${short.prefix}vp:${sha('kb-jwt-short')}`, 3000, 5000);
    });
  });

  describe('requests: add', () => {
    it('stores the request under oid4vp:req:<id> and its id under oid4vp:state:<sha256(state)>, for expiresAt - now + 10 min; returns it pending', async () => {
      const now = Date.now();
      const req = await lite(now);
      expect(await s.requests.add(req, now)).toStrictEqual({
        request: req,
        verdict: { id: req.id, state: req.state, status: 'pending', expiresAt: now + 300_000, profile: 'lite' },
      });
      expect(JSON.parse((await raw.get(`${prefix}oid4vp:req:${req.id}`))!)).toStrictEqual(JSON.parse(JSON.stringify(req)));
      expect(await raw.get(`${prefix}oid4vp:state:${sha(req.state)}`)).toBe(req.id);
      for (const k of [`oid4vp:req:${req.id}`, `oid4vp:state:${sha(req.state)}`]) await expectPttl(`${prefix}${k}`, 15 * MIN - 2000, 15 * MIN);
      expect(await raw.zscore(`${prefix}oid4vp:open`, req.id)).toBe(String(req.expiresAt));
      expect((await raw.keys(`${prefix}*`)).some((k) => k.includes(req.state))).toBe(false);
    });

    it('retainMs of its own; a request already expired is kept retainMs, and at least 1 ms', async () => {
      const kept = await open({ retainMs: MIN });
      const now = Date.now();
      const live = await lite(now, 30);
      await kept.requests.add(live, now);
      await expectPttl(`${kept.prefix}oid4vp:req:${live.id}`, 89_000, 90_000);
      const past = await lite(now - 400_000);
      await kept.requests.add(past, now);
      await expectPttl(`${kept.prefix}oid4vp:req:${past.id}`, 59_000, MIN);
      await expectPttl(`${kept.prefix}oid4vp:state:${sha(past.state)}`, 59_000, MIN);

      const none = await open({ retainMs: 0 });
      await expect(none.requests.add(await lite(now - 400_000), now)).resolves.toMatchObject({ verdict: { status: 'pending' } });
    });

    it('the open set expires with its longest request: a shorter one never shortens it, a longer one extends it', async () => {
      const t = await open({ retainMs: MIN });
      const open$ = `${t.prefix}oid4vp:open`;
      const now = Date.now();
      await t.requests.add(await lite(now, 60), now);
      await expectPttl(open$, 119_000, 120_000);
      await t.requests.add(await lite(now, 1), now);
      await expectPttl(open$, 119_000, 120_000);
      await t.requests.add(await lite(now, 600), now);
      await expectPttl(open$, 659_000, 660_000);
    });

    it('caps the open requests: maxRequests are added, the next is TOO_MANY_REQUESTS naming the cap, and nothing of it is stored', async () => {
      const t = await open({ maxRequests: 2 });
      const now = Date.now();
      await t.requests.add(await lite(now), now);
      await t.requests.add(await lite(now), now);
      const third = await lite(now);
      await expect(t.requests.add(third, now)).rejects.toMatchObject({ code: 'TOO_MANY_REQUESTS', message: 'too many open OpenID4VP requests (2)' });
      expect(await raw.exists(`${t.prefix}oid4vp:req:${third.id}`, `${t.prefix}oid4vp:state:${sha(third.state)}`)).toBe(0);
      expect(await raw.zcard(`${t.prefix}oid4vp:open`)).toBe(2);
    });

    it('expired requests leave the open set when the next is added (expiresAt <= now), and no longer count', async () => {
      const t = await open({ maxRequests: 2 });
      const T = Date.now();
      const first = await lite(T - 299_000); // expires at T + 1 s
      const second = await lite(T - 298_000); // expires at T + 2 s
      await t.requests.add(first, T - 299_000);
      await t.requests.add(second, T - 298_000);
      await expect(t.requests.add(await lite(T), T + 999)).rejects.toMatchObject({ code: 'TOO_MANY_REQUESTS' });
      const third = await lite(T);
      await t.requests.add(third, T + 1000);
      expect((await raw.zrange(`${t.prefix}oid4vp:open`, 0, -1)).sort()).toEqual([second.id, third.id].sort());
      await expect(t.requests.add(await lite(T), T + 1000)).rejects.toMatchObject({ code: 'TOO_MANY_REQUESTS' });
    });

    it('the default cap is 10,000 open requests', async () => {
      const t = await open();
      const far = Date.now() + 3_600_000;
      const members: (string | number)[] = [];
      for (let i = 0; i < 9_999; i++) members.push(far, `filler-${i}`);
      await raw.zadd(`${t.prefix}oid4vp:open`, ...members);
      await t.requests.add(await lite(Date.now()));
      await expect(t.requests.add(await lite(Date.now()))).rejects.toMatchObject({
        code: 'TOO_MANY_REQUESTS',
        message: 'too many open OpenID4VP requests (10000)',
      });
    });
  });

  describe('requests: byId, byState, claim, settle', () => {
    let now: number;
    const added = async (ttlSeconds = 300): Promise<PendingRequest> => {
      const req = await lite(now, ttlSeconds);
      await s.requests.add(req, now);
      return req;
    };
    beforeAll(() => {
      now = Date.now();
    });

    it('byId: only base64url of 1 to 128 characters reaches Redis; an id never added is undefined', async () => {
      const req = await lite(now);
      const json = JSON.stringify(req);
      for (const id of ['bad id', 'a/b', 'x'.repeat(129), '']) {
        await raw.set(`${prefix}oid4vp:req:${id}`, json, 'EX', 60);
        expect(await s.requests.byId(id, now), JSON.stringify(id)).toBeUndefined();
      }
      expect(await s.requests.byId('never-added-request-id', now)).toBeUndefined();
      await raw.set(`${prefix}oid4vp:req:${'x'.repeat(128)}`, json, 'EX', 60);
      expect((await s.requests.byId('x'.repeat(128), now))?.request.id).toBe(req.id);
    });

    it('byId: pending until expiresAt, expired from expiresAt on', async () => {
      const req = await added();
      expect((await s.requests.byId(req.id, req.expiresAt - 1))?.verdict).toStrictEqual({
        id: req.id,
        state: req.state,
        status: 'pending',
        expiresAt: req.expiresAt,
        profile: 'lite',
      });
      expect((await s.requests.byId(req.id, req.expiresAt))?.verdict.status).toBe('expired');
    });

    it('byState: the request of a state (found by its hash), with the time passed on; an unknown state is undefined', async () => {
      const req = await added();
      expect((await s.requests.byState(req.state, req.expiresAt - 1))?.request.id).toBe(req.id);
      expect((await s.requests.byState(req.state, req.expiresAt))?.verdict.status).toBe('expired');
      expect(await s.requests.byState('no-such-state', now)).toBeUndefined();
    });

    it('claim: an unknown state is "unknown", a state from its expiry on is "expired"', async () => {
      const req = await added();
      expect(await s.requests.claim('no-such-state', now)).toEqual({ ok: false, reason: 'unknown' });
      expect(await s.requests.claim(req.state, req.expiresAt)).toEqual({ ok: false, reason: 'expired' });
      expect(await raw.exists(`${prefix}oid4vp:claim:${req.id}`)).toBe(0);
    });

    it('claim: takes the state once: String(now) under oid4vp:claim:<id>, expiring with the request; then "used"', async () => {
      const req = await added();
      const at = now + 5000;
      const claimed = await s.requests.claim(req.state, at);
      expect(claimed).toMatchObject({ ok: true, entry: { request: { id: req.id }, verdict: { status: 'pending', respondedAt: at } } });
      expect(await raw.get(`${prefix}oid4vp:claim:${req.id}`)).toBe(String(at));
      // max(expiresAt, now) - now + retainMs: 295 s + 10 min
      await expectPttl(`${prefix}oid4vp:claim:${req.id}`, 295_000 + 10 * MIN - 2000, 295_000 + 10 * MIN);
      expect(await s.requests.claim(req.state, at)).toEqual({ ok: false, reason: 'used' });
    });

    it('claim: a claimed request stays pending with respondedAt, also read past its expiry (not expired, not claimable)', async () => {
      const req = await added();
      await s.requests.claim(req.state, now + 1);
      const later = await s.requests.byId(req.id, req.expiresAt + 10_000);
      expect(later?.verdict).toMatchObject({ status: 'pending', respondedAt: now + 1 });
      expect(await s.requests.claim(req.state, req.expiresAt - 1)).toEqual({ ok: false, reason: 'used' });
    });

    it('claim: a request with a verdict is "used", even never claimed', async () => {
      const req = await added();
      const entry = (await s.requests.byId(req.id, now))!;
      await s.requests.settle(entry, { valid: false, code: 'KB_JWT_INVALID', message: 'no' });
      expect(await raw.exists(`${prefix}oid4vp:claim:${req.id}`)).toBe(0);
      expect(await s.requests.claim(req.state, now)).toEqual({ ok: false, reason: 'used' });
    });

    it('claim: of concurrent claims on two nodes exactly one wins (SET NX), the others are "used"', async () => {
      const other = await open({ prefix });
      const req = await added();
      const results = await Promise.all(Array.from({ length: 6 }, (_, i) => (i % 2 ? other : s).requests.claim(req.state, now)));
      expect(results.filter((r) => r.ok)).toHaveLength(1);
      expect(results.filter((r) => !r.ok)).toEqual(Array.from({ length: 5 }, () => ({ ok: false, reason: 'used' })));
    });

    it('settle: the verdict as JSON under oid4vp:verdict:<id>, expiring with the request; byId then reads it as stored', async () => {
      const req = await lite(Date.now());
      await s.requests.add(req);
      const claimed = await s.requests.claim(req.state);
      if (!claimed.ok) throw new Error('not claimed');
      const verdict = await s.requests.settle(claimed.entry, { valid: true, credentials: [{ credentialQueryId: 'identity', claims: { given_name: 'Ada' } }] });
      expect(verdict).toMatchObject({ id: req.id, status: 'valid', credentials: [{ claims: { given_name: 'Ada' } }], respondedAt: expect.any(Number) });
      const key = `${prefix}oid4vp:verdict:${req.id}`;
      expect(JSON.parse((await raw.get(key))!)).toStrictEqual(verdict);
      await expectPttl(key, 300_000 + 10 * MIN - 3000, 300_000 + 10 * MIN);
      expect((await s.requests.byId(req.id, req.expiresAt + 1))?.verdict).toStrictEqual(verdict);
    });
  });

  describe('the sealed response key of direct_post.jwt', () => {
    it('is stored sealed (AES-256-GCM, the key derived for oid4vp-response-keys, AAD naming the request id, tag last), never in the clear', async () => {
      const req = await keyed();
      await s.requests.add(req);
      const storedText = (await raw.get(`${prefix}oid4vp:req:${req.id}`))!;
      const jwk = req.responseKey!.privateKey.export({ format: 'jwk' }) as { d: string };
      expect(storedText).not.toContain(jwk.d);
      const stored = JSON.parse(storedText) as { responseKey: Record<string, unknown> };
      expect(Object.keys(stored.responseKey).sort()).toEqual(['encs', 'kid', 'publicJwk', 'sealedPrivateJwk']);
      expect(stored.responseKey).toMatchObject({ kid: req.id, publicJwk: req.responseKey!.publicJwk, encs: [...req.responseKey!.encs] });
      const opened = openSealed(
        sealingKey(SECRET, 'oid4vp-response-keys'),
        Buffer.from(stored.responseKey.sealedPrivateJwk as string, 'base64url'),
        AAD(req.id),
        {
          layout: 'tag-last',
          codes: { malformed: 'CACHE_SECRET_MISMATCH', wrongKey: 'CACHE_SECRET_MISMATCH' },
          names: { value: 'v', key: 'k' },
        },
      );
      expect(JSON.parse(opened.toString('utf8'))).toMatchObject({ kty: 'EC', crv: 'P-256', d: jwk.d });
    });

    it('opens on another node with the same secret, once and only when used; the key is not enumerable', async () => {
      const req = await keyed();
      await s.requests.add(req);
      const other = await open({ prefix });
      const entry = (await other.requests.byId(req.id))!;
      const key = entry.request.responseKey!;
      expect(Object.keys(key)).not.toContain('privateKey');
      expect(JSON.stringify(entry)).not.toContain((req.responseKey!.privateKey.export({ format: 'jwk' }) as { d: string }).d);
      expect(key.privateKey.export({ format: 'jwk' })).toEqual(req.responseKey!.privateKey.export({ format: 'jwk' }));
      expect(key.privateKey).toBe(key.privateKey);
    });

    it('with another secret the request and verdict read, and the key fails only when used: CACHE_SECRET_MISMATCH naming the secret', async () => {
      const req = await keyed();
      await s.requests.add(req);
      const stranger = await open({ prefix, secret: OTHER_SECRET });
      const entry = (await stranger.requests.byId(req.id))!;
      expect(entry.verdict.status).toBe('pending');
      expect(entry.request.responseKey!.publicJwk).toEqual(req.responseKey!.publicJwk);
      expect(() => entry.request.responseKey!.privateKey).toThrow(
        expect.objectContaining({
          code: 'CACHE_SECRET_MISMATCH',
          message: `the sealed response key of OpenID4VP request ${AAD(req.id)} does not open with ${SEAL_KEY_NAME}`,
        }),
      );
    });

    it('a sealed key moved to another request id does not open (the AAD names the id); a mangled one is malformed', async () => {
      const req = await keyed();
      await s.requests.add(req);
      const stored = JSON.parse((await raw.get(`${prefix}oid4vp:req:${req.id}`))!) as PendingRequest & { responseKey: { sealedPrivateJwk: string } };
      const movedId = 'moved-request-id';
      await raw.set(`${prefix}oid4vp:req:${movedId}`, JSON.stringify({ ...stored, id: movedId }), 'EX', 60);
      const moved = (await s.requests.byId(movedId))!;
      expect(() => moved.request.responseKey!.privateKey).toThrow(
        expect.objectContaining({
          code: 'CACHE_SECRET_MISMATCH',
          message: `the sealed response key of OpenID4VP request ${AAD(movedId)} does not open with ${SEAL_KEY_NAME}`,
        }),
      );
      const mangledId = 'mangled-request-id';
      const mangled = { ...stored, id: mangledId, responseKey: { ...stored.responseKey, sealedPrivateJwk: 'AQID' } };
      await raw.set(`${prefix}oid4vp:req:${mangledId}`, JSON.stringify(mangled), 'EX', 60);
      const entry = (await s.requests.byId(mangledId))!;
      expect(() => entry.request.responseKey!.privateKey).toThrow(
        expect.objectContaining({ code: 'CACHE_SECRET_MISMATCH', message: `the sealed response key of OpenID4VP request ${AAD(mangledId)} is malformed` }),
      );
    });

    it('a request without a response key is stored and read without one', async () => {
      const req = await lite(Date.now());
      await s.requests.add(req);
      expect(JSON.parse((await raw.get(`${prefix}oid4vp:req:${req.id}`))!)).not.toHaveProperty('responseKey');
      expect((await s.requests.byId(req.id))!.request).not.toHaveProperty('responseKey');
    });
  });

  describe('connectRedisState', () => {
    it('refuses a URL that is not redis:// or rediss:// (INVALID_INPUT, the rule), before it looks at the prefix', async () => {
      await expect(connectRedisState({ url: 'http://127.0.0.1:6379', secret: SECRET, log: silent })).rejects.toMatchObject({
        code: 'INVALID_INPUT',
        message: '--cache must be a redis:// or rediss:// URL, not http:',
      });
      await expect(connectRedisState({ url: 'redis://127.0.0.1:6379/db', prefix: 'has space', secret: SECRET, log: silent })).rejects.toMatchObject({
        code: 'INVALID_INPUT',
        message: '--cache: the path of the URL is the database number (/0 to /15)',
      });
    });

    it('a prefix is 1 to 64 visible ASCII characters (INVALID_INPUT, the rule)', async () => {
      for (const p of ['', ' ', 'has space', 'tab\t', '\x7f', 'é', 'p'.repeat(65)])
        await expect(connectRedisState({ url: REDIS_URL, prefix: p, secret: SECRET, log: silent }), JSON.stringify(p)).rejects.toMatchObject({
          code: 'INVALID_INPUT',
          message: PREFIX_RULE,
        });
      // accepted: connected under it (nothing is written, so nothing to clean up under these short prefixes)
      for (const p of ['!', '~', `${'p'.repeat(63)}:`]) {
        const ok = await connectRedisState({ url: REDIS_URL, prefix: p, secret: SECRET, log: silent });
        opened.push(ok);
        expect(ok.prefix).toBe(p);
      }
    });

    it('the default prefix is netcred:verifier:', async () => {
      const state = await connectRedisState({ url: REDIS_URL, secret: SECRET, log: silent });
      opened.push(state);
      expect(DEFAULT_CACHE_PREFIX).toBe('netcred:verifier:');
      expect(state.prefix).toBe('netcred:verifier:');
      const { nonce } = await state.nonces.issue();
      try {
        expect(await raw.get(`netcred:verifier:nonce:${nonce}`)).toBe('1');
      } finally {
        await raw.del(`netcred:verifier:nonce:${nonce}`);
      }
    });

    it('connected: health ok with its prefix and the PING latency', async () => {
      expect((await open({ prefix })).connected).toBe(true);
      const health = (await s.health()) as { latency_ms?: number };
      expect(health).toStrictEqual({ backend: 'redis', status: 'ok', prefix, latency_ms: expect.any(Number) });
      expect(health.latency_ms).toBeGreaterThanOrEqual(0);
      expect(health.latency_ms).toBeLessThan(60_000);
      expect(s.backend).toBe('redis');
      expect(s.url).toBe(REDIS_URL);
    });

    it('nobody listening: it opens all the same, not connected, its URL without the password, every call CACHE_UNAVAILABLE (Retry-After 2), health unavailable since then', async () => {
      const port = await freePort();
      const lines: string[] = [];
      const before = Date.now();
      const down = await open({ url: `redis://alice:hunter2@127.0.0.1:${port}/1`, log: (l) => lines.push(l) });
      expect(down.connected).toBe(false);
      expect(down.url).toBe(`redis://alice:***@127.0.0.1:${port}/1`);
      expect(lines).toEqual([
        `verifier: shared cache redis://alice:***@127.0.0.1:${port}/1 unavailable (connect ECONNREFUSED 127.0.0.1:${port}); answering 503 CACHE_UNAVAILABLE until it is back`,
      ]);
      const err = await failure(down.nonces.issue());
      expect(err).toMatchObject({ code: 'CACHE_UNAVAILABLE', message: UNAVAILABLE, retryAfterSeconds: 2 });
      expect((err as Error).cause).toBeUndefined();
      await expect(down.replay.remember('k', 100, 1)).rejects.toMatchObject({ code: 'CACHE_UNAVAILABLE' });
      await expect(down.responseReplay.firstUse('k')).rejects.toMatchObject({ code: 'CACHE_UNAVAILABLE' });
      await expect(down.requests.byId('abc')).rejects.toMatchObject({ code: 'CACHE_UNAVAILABLE' });
      const health = (await down.health()) as { since?: string };
      expect(health).toStrictEqual({ backend: 'redis', status: 'unavailable', prefix: down.prefix, since: expect.any(String) });
      const since = Date.parse(health.since!);
      expect(new Date(since).toISOString()).toBe(health.since);
      expect(since).toBeGreaterThanOrEqual(before);
      expect(since).toBeLessThanOrEqual(Date.now());
      // the time it went down, not the time of asking
      await new Promise((r) => setTimeout(r, 15));
      expect(await down.health()).toMatchObject({ since: health.since });
    });

    it('a Redis error during a call is CACHE_UNAVAILABLE with the error as its cause, and TOO_MANY_REQUESTS stays itself', async () => {
      const t = await open({ maxRequests: 1 });
      await raw.set(`${t.prefix}oid4vp:open`, 'not a sorted set', 'EX', 60);
      const err = await failure(t.requests.add(await lite(Date.now())));
      expect(err).toMatchObject({ code: 'CACHE_UNAVAILABLE', message: UNAVAILABLE, retryAfterSeconds: 2 });
      expect(((err as Error).cause as Error).message).toMatch(/WRONGTYPE/);
      await raw.del(`${t.prefix}oid4vp:open`);
      await t.requests.add(await lite(Date.now()));
      await expect(t.requests.add(await lite(Date.now()))).rejects.toMatchObject({ code: 'TOO_MANY_REQUESTS' });
    });

    it('close: every call after it is CACHE_UNAVAILABLE, health unavailable', async () => {
      const t = await open();
      await t.close();
      await expect(t.nonces.issue()).rejects.toMatchObject({ code: 'CACHE_UNAVAILABLE' });
      expect(await t.health()).toMatchObject({ status: 'unavailable', since: expect.any(String) });
    });
  });
});
