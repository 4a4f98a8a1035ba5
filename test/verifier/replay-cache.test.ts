import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ReplayCache, ReplayGuard } from '../../verifier/index.js';
// An internal on purpose: entries are made with the cache's own key.
import { replayKey } from '../../verifier/replay/replay-cache.js';
import { tempDir } from '../helpers/tmp.js';

const T0 = 1_700_000_000;
const LIFE = 360;
const key = (i: number) => replayKey('holder', `nonce-${i}`, T0);

describe('ReplayCache: O(1) amortized inserts, counted', () => {
  it('100,000 live proofs: each further insert examines a bounded number of entries, and replays are still caught', () => {
    const cache = new ReplayCache();
    for (let i = 0; i < 100_000; i++) expect(cache.remember(key(i), T0 + LIFE, T0)).toBe(true);
    const before = cache.stats.examined;
    for (let i = 100_000; i < 101_000; i++) cache.remember(key(i), T0 + LIFE, T0);
    // has() and the live head: 2 per insert, plus at most one full scan (one per 25,000 inserts at this size)
    expect(cache.stats.examined - before).toBeLessThanOrEqual(2 * 1000 + 101_000);
    expect(cache.stats.examined).toBeLessThanOrEqual(6 * 101_000);
    expect(cache.remember(key(7), T0 + LIFE, T0 + 1)).toBe(false);
    expect(cache.has(key(100_500), T0 + 1)).toBe(true);
  });

  it('full of live proofs: every insert drops the oldest, without scanning the whole cache each time', () => {
    const max = 20_000;
    const cache = new ReplayCache({ maxEntries: max });
    for (let i = 0; i < max; i++) cache.remember(key(i), T0 + LIFE, T0);
    const before = cache.stats.examined;
    for (let i = max; i < max + 5_000; i++) cache.remember(key(i), T0 + LIFE, T0);
    expect(cache.size).toBeLessThanOrEqual(max);
    expect(cache.stats.evicted).toBe(5_000);
    // the old code scanned all 20,000 entries on each of these 5,000 inserts (1e8 entries)
    expect(cache.stats.examined - before).toBeLessThanOrEqual(3 * 5_000 + 2 * max);
    expect(cache.has(key(max + 4_999), T0)).toBe(true);
  });

  it('expired proofs go: from the head on every insert, out-of-order ones in the periodic scan', () => {
    const cache = new ReplayCache();
    // 500 long-lived proofs first, then 2,000 short-lived ones behind them
    for (let i = 0; i < 500; i++) cache.remember(key(i), T0 + 10 * LIFE, T0);
    for (let i = 500; i < 2_500; i++) cache.remember(key(i), T0 + LIFE, T0);
    const now = T0 + LIFE + 1;
    // the short-lived ones are not at the head: the head stays, and the scan (after 1024 inserts) drops them
    let scans = cache.stats.scans;
    for (let i = 2_500; i < 2_500 + 1_100 && cache.stats.scans === scans; i++) cache.remember(key(i), now + LIFE, now);
    expect(cache.stats.scans).toBe(scans + 1);
    expect(cache.has(key(600), now)).toBe(false);
    expect(cache.size).toBeLessThan(500 + 1_100 + 1);
    expect(cache.has(key(10), now)).toBe(true);
    // a later time: everything before is expired and sits at the head, reclaimed by one insert
    scans = cache.stats.scans;
    const later = T0 + 20 * LIFE;
    cache.remember(key(1_000_000), later + LIFE, later);
    expect(cache.stats.scans).toBe(scans);
    expect(cache.size).toBe(1);
  });

  const tmp = tempDir('netcred-replay-cache-');
  afterAll(() => tmp.cleanup());

  it('the file a kiosk keeps between runs holds live proofs only, and a new cache reads it', () => {
    const file = path.join(tmp.dir, 'replay.json');
    const a = new ReplayCache({ file });
    a.remember(key(1), T0 + 10, T0);
    a.remember(key(2), T0 + LIFE, T0 + 11);
    expect(existsSync(file)).toBe(true);
    expect(Object.keys(JSON.parse(readFileSync(file, 'utf8')) as object)).toEqual([key(2)]);
    const b = new ReplayCache({ file });
    expect(b.remember(key(2), T0 + LIFE, T0 + 12)).toBe(false);
    expect(b.remember(key(1), T0 + LIFE, T0 + 12)).toBe(true);
  });
});

describe('ReplayCache statistics (read by npm run bench): every counter, step by step', () => {
  const tmp = tempDir('netcred-replay-stats-');
  afterAll(() => tmp.cleanup());

  it('examined counts each lookup and each entry looked at; expired, evicted at the head and at the cap', () => {
    const cache = new ReplayCache({ maxEntries: 2 });
    const stats = () => ({ ...cache.stats });
    cache.remember(key(1), T0 + 10, T0); // the lookup; an empty head
    expect(stats()).toEqual({ examined: 1, expired: 0, evicted: 0, scans: 0 });
    cache.remember(key(2), T0 + 100, T0); // the lookup; key 1 live at the head
    expect(stats()).toEqual({ examined: 3, expired: 0, evicted: 0, scans: 0 });
    cache.remember(key(3), T0 + 100, T0 + 20); // the lookup; key 1 expired and dropped, key 2 live
    expect(stats()).toEqual({ examined: 6, expired: 1, evicted: 0, scans: 0 });
    cache.remember(key(4), T0 + 100, T0 + 20); // the lookup; key 2 live; full: key 2 evicted
    expect(stats()).toEqual({ examined: 9, expired: 1, evicted: 1, scans: 0 });
    expect(cache.has(key(2), T0 + 20)).toBe(false);
    expect(cache.remember(key(3), T0 + 100, T0 + 20)).toBe(false);
    expect(stats()).toEqual({ examined: 11, expired: 1, evicted: 1, scans: 0 });
  });

  it('the scan (here on every save of the file) counts each entry it looks at and each expired one it drops', () => {
    const file = path.join(tmp.dir, 'stats.json');
    const cache = new ReplayCache({ file });
    const stats = () => ({ ...cache.stats });
    cache.remember(key(1), T0 + 100, T0); // the lookup; the scan: key 1
    expect(stats()).toEqual({ examined: 2, expired: 0, evicted: 0, scans: 1 });
    cache.remember(key(2), T0 + 20, T0 + 5); // the lookup; key 1 live at the head; the scan: keys 1, 2
    expect(stats()).toEqual({ examined: 6, expired: 0, evicted: 0, scans: 2 });
    // Key 2 expires behind the live key 1: the head stops at key 1, the scan drops key 2.
    cache.remember(key(3), T0 + 200, T0 + 30);
    expect(stats()).toEqual({ examined: 11, expired: 1, evicted: 0, scans: 3 });
    expect(Object.keys(JSON.parse(readFileSync(file, 'utf8')) as object)).toEqual([key(1), key(3)]);
  });
});

describe('ReplayGuard (OpenID4VP vp_tokens): O(1) amortized, also when full', () => {
  it('a full guard drops its oldest entry per insert without scanning; expired entries go from the head', () => {
    const max = 20_000;
    const guard = new ReplayGuard({ ttlMs: 60_000, max });
    const t0 = 1_700_000_000_000;
    for (let i = 0; i < max; i++) expect(guard.firstUse(`kb-${i}`, t0)).toBe(true);
    let before = guard.stats.examined;
    for (let i = max; i < max + 1_000; i++) expect(guard.firstUse(`kb-${i}`, t0)).toBe(true);
    // lookup, the live head, the eviction: 3 per insert (the old code swept all 20,000 each time)
    expect(guard.stats.examined - before).toBe(3 * 1_000);
    expect(guard.size).toBe(max);
    expect(guard.firstUse(`kb-${max + 999}`, t0 + 1)).toBe(false);
    // all expired: one insert reclaims them, each examined once
    before = guard.stats.examined;
    expect(guard.firstUse('kb-late', t0 + 60_000)).toBe(true);
    expect(guard.size).toBe(1);
    expect(guard.stats.examined - before).toBe(1 + max);
    // an expired token is accepted again, then refused as a replay
    expect(guard.firstUse(`kb-${max + 5}`, t0 + 60_001)).toBe(true);
    expect(guard.firstUse(`kb-${max + 5}`, t0 + 60_002)).toBe(false);
  });
});
