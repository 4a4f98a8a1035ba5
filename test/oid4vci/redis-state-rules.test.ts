import { createHash, randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_ISSUER_CACHE_PREFIX, RedisOid4vciState } from '../../issuer/oid4vci/state/redis.js';
import { freePort, REDIS_URL, requireRedis, uniquePrefix } from '../verifier/helpers/redis.js';

/**
 * One test per rule of the issuer's OpenID4VCI state in Redis (issuer/oid4vci/state/redis.ts):
 * the key of each single-use fact (`<prefix><kind>:<hash>`), its value and how long Redis keeps
 * it, the tx_code attempt counter, the access token and its used flag, unspend, health and the
 * unavailable error. In this process against the real Redis; a second client reads what it holds.
 */

const redis = await requireRedis('test/oid4vci/redis-state-rules.test.ts');

const silent = () => undefined;
// The wire values, written out: a mutant of the source's constants must not change the expectation too.
const UNAVAILABLE = 'the issuer cannot reach its shared cache (Redis) to check single-use codes, tokens and nonces; nothing was accepted, try again shortly';
/** A fresh hash, as the issuer's callers pass them (base64url SHA-256 of a secret). */
const hash = () => createHash('sha256').update(randomBytes(16)).digest('base64url');
const inSeconds = (s: number) => Math.floor(Date.now() / 1000) + s;

describe.runIf(redis.ok)('issuer OpenID4VCI state in Redis: the rules', () => {
  const prefixes: string[] = [];
  const opened: RedisOid4vciState[] = [];
  let raw: Redis;
  let state: RedisOid4vciState;
  let prefix: string;

  async function open(options: { url?: string; prefix?: string; log?: (line: string) => void } = {}) {
    const p = options.prefix ?? uniquePrefix('issuer-state-rules');
    prefixes.push(p);
    const r = await RedisOid4vciState.connect({ url: REDIS_URL, log: silent, ...options, prefix: p });
    opened.push(r.state);
    return r;
  }
  /** The PTTL of a key lies in (expected - 2 s, expected], expected being the ms until `epochSeconds` (read before the call). */
  async function expectExpiresAt(key: string, epochSeconds: number, readBefore: number): Promise<void> {
    const expected = epochSeconds * 1000 - readBefore;
    const pttl = await raw.pttl(key);
    expect(pttl, key).toBeGreaterThan(expected - 2000);
    expect(pttl, key).toBeLessThanOrEqual(expected);
  }

  beforeAll(async () => {
    raw = new Redis(REDIS_URL, { lazyConnect: true });
    await raw.connect();
    ({ state } = await open());
    prefix = state.prefix;
  });
  afterAll(async () => {
    await Promise.all(opened.map((s) => s.close()));
    for (const p of prefixes) {
      const keys = await raw.keys(`${p}*`);
      if (keys.length) await raw.del(...keys);
    }
    raw.disconnect();
  });

  it('connect: connected, its URL, the backend; the default prefix is netcred:issuer: and keys are <prefix><kind>:<hash>', async () => {
    const r = await RedisOid4vciState.connect({ url: REDIS_URL, log: silent });
    opened.push(r.state);
    expect(r.connected).toBe(true);
    expect(r.url).toBe(REDIS_URL);
    expect(r.state.backend).toBe('redis');
    expect(DEFAULT_ISSUER_CACHE_PREFIX).toBe('netcred:issuer:');
    expect(r.state.prefix).toBe('netcred:issuer:');
    const h = hash();
    try {
      expect(await r.state.recordJti(h, inSeconds(60))).toBe(true);
      expect(await raw.get(`netcred:issuer:jti:${h}`)).toBe('1');
    } finally {
      await raw.del(`netcred:issuer:jti:${h}`);
    }
  });

  it('recordJti: "1" under jti:<hash> until expiresAt; true the first time only', async () => {
    const h = hash();
    const exp = inSeconds(120);
    const t = Date.now();
    expect(await state.recordJti(h, exp)).toBe(true);
    expect(await raw.get(`${prefix}jti:${h}`)).toBe('1');
    await expectExpiresAt(`${prefix}jti:${h}`, exp, t);
    expect(await state.recordJti(h, exp)).toBe(false);
    expect(await state.recordJti(hash(), exp)).toBe(true);
  });

  it('a time already past is kept 1 ms (at least 1), not refused by Redis', async () => {
    const past = inSeconds(-30);
    expect(await state.recordJti(hash(), past)).toBe(true);
    expect(await state.redeemCode(hash(), past)).toBe(true);
    expect(await state.spendNonce(hash(), past)).toBe(true);
    expect(await state.consumeAccessToken(hash(), past)).toBe(true);
    expect(await state.countTxAttempt(hash(), past)).toBe(1);
    const h = hash();
    await state.saveAccessToken(h, { offerId: 'o', expiresAt: past, dpopJkt: null });
    expect(await raw.pttl(`${prefix}at:${h}`)).toBeLessThanOrEqual(1);
  });

  it('countTxAttempt: 1, 2, 3 under tx:<hash>, which expires with the offer from the first attempt on (later ones do not move it)', async () => {
    const h = hash();
    const exp = inSeconds(600);
    const t = Date.now();
    expect(await state.countTxAttempt(h, exp)).toBe(1);
    await expectExpiresAt(`${prefix}tx:${h}`, exp, t);
    expect(await state.countTxAttempt(h, inSeconds(30))).toBe(2);
    expect(await state.countTxAttempt(h, inSeconds(9000))).toBe(3);
    expect(await raw.get(`${prefix}tx:${h}`)).toBe('3');
    await expectExpiresAt(`${prefix}tx:${h}`, exp, t);
  });

  it('countTxAttempt: 0 once the code is redeemed, counting nothing', async () => {
    const h = hash();
    expect(await state.countTxAttempt(h, inSeconds(600))).toBe(1);
    expect(await state.countTxAttempt(h, inSeconds(600))).toBe(2);
    expect(await state.redeemCode(h, inSeconds(600))).toBe(true);
    expect(await state.countTxAttempt(h, inSeconds(600))).toBe(0);
    expect(await raw.get(`${prefix}tx:${h}`)).toBe('2');

    const redeemedFirst = hash();
    expect(await state.redeemCode(redeemedFirst, inSeconds(600))).toBe(true);
    expect(await state.countTxAttempt(redeemedFirst, inSeconds(600))).toBe(0);
    expect(await raw.exists(`${prefix}tx:${redeemedFirst}`)).toBe(0);
  });

  it('redeemCode: "1" under code:<hash> until the offer expires; true the first time only', async () => {
    const h = hash();
    const exp = inSeconds(300);
    const t = Date.now();
    expect(await state.redeemCode(h, exp)).toBe(true);
    expect(await raw.get(`${prefix}code:${h}`)).toBe('1');
    await expectExpiresAt(`${prefix}code:${h}`, exp, t);
    expect(await state.redeemCode(h, exp)).toBe(false);
  });

  it('saveAccessToken: the token as JSON under at:<hash> until it expires; findAccessToken: it, not used', async () => {
    const h = hash();
    const token = { offerId: 'offer-1', expiresAt: inSeconds(90), dpopJkt: 'NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs' };
    const t = Date.now();
    await state.saveAccessToken(h, token);
    expect(JSON.parse((await raw.get(`${prefix}at:${h}`))!)).toStrictEqual(token);
    await expectExpiresAt(`${prefix}at:${h}`, token.expiresAt, t);
    expect(await state.findAccessToken(h)).toStrictEqual({ ...token, used: false });
    const unbound = hash();
    await state.saveAccessToken(unbound, { offerId: 'offer-2', expiresAt: inSeconds(90), dpopJkt: null });
    expect(await state.findAccessToken(unbound)).toMatchObject({ offerId: 'offer-2', dpopJkt: null, used: false });
  });

  it('findAccessToken: undefined for a token never saved; only its offer, expiry and DPoP key of what is stored', async () => {
    expect(await state.findAccessToken(hash())).toBeUndefined();
    const h = hash();
    await raw.set(`${prefix}at:${h}`, JSON.stringify({ offerId: 'o', expiresAt: 5, dpopJkt: null, claims: { given_name: 'Ada' } }), 'EX', 60);
    expect(await state.findAccessToken(h)).toStrictEqual({ offerId: 'o', expiresAt: 5, dpopJkt: null, used: false });
  });

  it('consumeAccessToken: "1" under at-used:<hash> until the token expires; true the first time only; findAccessToken says used', async () => {
    const h = hash();
    const exp = inSeconds(90);
    await state.saveAccessToken(h, { offerId: 'offer-3', expiresAt: exp, dpopJkt: null });
    const t = Date.now();
    expect(await state.consumeAccessToken(h, exp)).toBe(true);
    expect(await raw.get(`${prefix}at-used:${h}`)).toBe('1');
    await expectExpiresAt(`${prefix}at-used:${h}`, exp, t);
    expect(await state.consumeAccessToken(h, exp)).toBe(false);
    expect(await state.findAccessToken(h)).toMatchObject({ offerId: 'offer-3', used: true });
  });

  it('spendNonce: "1" under nonce:<hash> until the c_nonce expires; true the first time only', async () => {
    const h = hash();
    const exp = inSeconds(300);
    const t = Date.now();
    expect(await state.spendNonce(h, exp)).toBe(true);
    expect(await raw.get(`${prefix}nonce:${h}`)).toBe('1');
    await expectExpiresAt(`${prefix}nonce:${h}`, exp, t);
    expect(await state.spendNonce(h, exp)).toBe(false);
  });

  it('unspend: the token and its nonces may be spent again; nothing else is touched', async () => {
    const [token, n1, n2, kept] = [hash(), hash(), hash(), hash()];
    const exp = inSeconds(300);
    await state.consumeAccessToken(token, exp);
    for (const n of [n1, n2, kept]) await state.spendNonce(n, exp);
    await state.unspend({ tokenHash: token, nonceHashes: [n1, n2] });
    expect(await raw.exists(`${prefix}at-used:${token}`, `${prefix}nonce:${n1}`, `${prefix}nonce:${n2}`)).toBe(0);
    expect(await state.consumeAccessToken(token, exp)).toBe(true);
    expect(await state.spendNonce(n1, exp)).toBe(true);
    expect(await state.spendNonce(n2, exp)).toBe(true);
    expect(await state.spendNonce(kept, exp)).toBe(false);
  });

  it('unspend: the nonces alone leave every token spent; the token alone leaves the nonces spent', async () => {
    const [token, n] = [hash(), hash()];
    const exp = inSeconds(300);
    await state.consumeAccessToken(token, exp);
    await state.spendNonce(n, exp);
    await raw.set(`${prefix}at-used:undefined`, '1', 'EX', 60);
    await state.unspend({ nonceHashes: [n] });
    expect(await raw.exists(`${prefix}at-used:${token}`, `${prefix}at-used:undefined`)).toBe(2);
    expect(await raw.exists(`${prefix}nonce:${n}`)).toBe(0);
    await state.spendNonce(n, exp);
    await state.unspend({ tokenHash: token, nonceHashes: [] });
    expect(await raw.exists(`${prefix}at-used:${token}`)).toBe(0);
    expect(await raw.exists(`${prefix}nonce:${n}`)).toBe(1);
  });

  it('unspend with nothing to undo sends nothing: it resolves even while Redis is down', async () => {
    await expect(state.unspend({ nonceHashes: [] })).resolves.toBeUndefined();
    const { state: down } = await open({ url: `redis://127.0.0.1:${await freePort()}` });
    await expect(down.unspend({ nonceHashes: [] })).resolves.toBeUndefined();
    await expect(down.unspend({ nonceHashes: [hash()] })).rejects.toMatchObject({ code: 'CACHE_UNAVAILABLE' });
  });

  it('health: ok with its prefix while connected', async () => {
    expect(await state.health()).toStrictEqual({ backend: 'redis', status: 'ok', prefix });
  });

  it('nobody listening: not connected, its URL without the password, the refusal logged for the issuer, every call CACHE_UNAVAILABLE (Retry-After 2), health unavailable since then', async () => {
    const port = await freePort();
    const lines: string[] = [];
    const before = Date.now();
    const { state: down, connected, url } = await open({ url: `redis://carol:hunter2@127.0.0.1:${port}`, log: (l) => lines.push(l) });
    expect(connected).toBe(false);
    expect(url).toBe(`redis://carol:***@127.0.0.1:${port}`);
    expect(lines).toEqual([
      `issuer: shared cache redis://carol:***@127.0.0.1:${port} unavailable (connect ECONNREFUSED 127.0.0.1:${port}); OpenID4VCI answers 503 CACHE_UNAVAILABLE until it is back`,
    ]);
    const err = await down.redeemCode(hash(), inSeconds(60)).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'CACHE_UNAVAILABLE', message: UNAVAILABLE, retryAfterSeconds: 2 });
    expect((err as Error).cause).toBeUndefined();
    for (const call of [
      () => down.recordJti(hash(), inSeconds(60)),
      () => down.countTxAttempt(hash(), inSeconds(60)),
      () => down.saveAccessToken(hash(), { offerId: 'o', expiresAt: inSeconds(60), dpopJkt: null }),
      () => down.findAccessToken(hash()),
      () => down.consumeAccessToken(hash(), inSeconds(60)),
      () => down.spendNonce(hash(), inSeconds(60)),
    ])
      await expect(call()).rejects.toMatchObject({ code: 'CACHE_UNAVAILABLE' });
    const health = await down.health();
    expect(health).toStrictEqual({ backend: 'redis', status: 'unavailable', prefix: down.prefix, since: expect.any(String) });
    const since = Date.parse((health as { since: string }).since);
    expect(new Date(since).toISOString()).toBe((health as { since: string }).since);
    expect(since).toBeGreaterThanOrEqual(before);
    expect(since).toBeLessThanOrEqual(Date.now());
    // the time it went down, not the time of asking
    await new Promise((r) => setTimeout(r, 15));
    expect(await down.health()).toMatchObject({ since: (health as { since: string }).since });
  });

  it('a Redis error during a call is CACHE_UNAVAILABLE with the error as its cause', async () => {
    const h = hash();
    await raw.set(`${prefix}tx:${h}`, 'not a number', 'EX', 60);
    const err = await state.countTxAttempt(h, inSeconds(60)).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'CACHE_UNAVAILABLE', message: UNAVAILABLE, retryAfterSeconds: 2 });
    expect(((err as Error).cause as Error).message).toMatch(/not an integer/);
    expect(await state.countTxAttempt(hash(), inSeconds(60))).toBe(1);
  });

  it('close: every call after it is CACHE_UNAVAILABLE, health unavailable', async () => {
    const { state: closing } = await open();
    await closing.close();
    await expect(closing.spendNonce(hash(), inSeconds(60))).rejects.toMatchObject({ code: 'CACHE_UNAVAILABLE' });
    expect(await closing.health()).toMatchObject({ status: 'unavailable', since: expect.any(String) });
  });
});
