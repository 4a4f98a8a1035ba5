import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// Internals on purpose: this file tests status allocation inside the store (issuer/status).
import { allocateStatus, LIST_FILL_LIMIT, writeTransaction } from '../../issuer/status/index.js';
import { allocate, startStatusIssuer, type StatusTestIssuer } from './helpers.js';

let issuer: StatusTestIssuer;
beforeAll(async () => {
  issuer = await startStatusIssuer();
});
afterAll(async () => {
  await issuer?.close();
});

/** Spearman rank correlation of a sequence with its position. */
function spearman(values: number[]): number {
  const n = values.length;
  const rank = new Array<number>(n);
  values
    .map((v, i) => [v, i] as const)
    .sort((a, b) => a[0] - b[0])
    .forEach(([, i], r) => {
      rank[i] = r;
    });
  let d2 = 0;
  for (let i = 0; i < n; i++) d2 += (rank[i]! - i) ** 2;
  return 1 - (6 * d2) / (n * (n * n - 1));
}

describe('random index allocation', () => {
  it('the indexes of 1,000 consecutive mints are not in issuance order', async () => {
    // allocateStatus is what each mint runs; one transaction here so the test does not wait for 1,000 fsyncs.
    const idx = await writeTransaction(issuer.ctx.dataSource, async (tx) => {
      const out: number[] = [];
      for (let i = 0; i < 1000; i++) out.push((await allocateStatus(issuer.ctx, tx, `alloc-${i}`))!.tokenStatus.status_list.idx);
      return out;
    });
    expect(new Set(idx).size).toBe(1000);
    // For a random order, ascents between neighbours ~ N(499.5, 9.1^2) and Spearman's rho ~ N(0, 0.032^2).
    // Sequential or block allocation gives 999 ascents and rho ~ 1. The bounds are > 4.5 standard deviations.
    let ascents = 0;
    for (let i = 1; i < idx.length; i++) if (idx[i]! > idx[i - 1]!) ascents++;
    expect(ascents).toBeGreaterThan(430);
    expect(ascents).toBeLessThan(570);
    expect(Math.abs(spearman(idx))).toBeLessThan(0.15);
    // Spread over the whole list, not a window near the start.
    expect(Math.max(...idx) - Math.min(...idx)).toBeGreaterThan(0.9 * 131072);
  });

  it('opens a new list before one is full and never hands out an index twice', async () => {
    const small = await startStatusIssuer({ statusListSize: 16384 });
    try {
      const perList = Math.floor(16384 * LIST_FILL_LIMIT);
      expect(perList).toBeLessThan(16384);
      // Stand-in for perList - 8 earlier mints (one SQL statement instead of 12,280 issuances):
      // distinct indexes spread over the list, counted in `allocated` as allocateStatus does.
      await allocate(small.ctx, 'seed-first');
      const seeded = perList - 8;
      await writeTransaction(small.ctx.dataSource, async (tx) => {
        await tx.query(
          `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?)
           INSERT INTO "status_entry" ("credential_id", "list_id", "idx", "status", "updated_at")
           SELECT 'seed-' || i, 1, (i * 7919) % 16384, 0, '2026-01-01T00:00:00Z' FROM n WHERE (i * 7919) % 16384 NOT IN (SELECT "idx" FROM "status_entry")`,
          [seeded - 1],
        );
        await tx.query('UPDATE "status_list" SET "allocated" = (SELECT COUNT(*) FROM "status_entry" WHERE "list_id" = 1) WHERE "id" = 1');
      });
      const taken = new Set<number>(((await small.ctx.dataSource.query('SELECT "idx" FROM "status_entry"')) as Array<{ idx: number }>).map((r) => r.idx));
      const room = perList - taken.size;
      expect(room).toBeGreaterThanOrEqual(8);
      expect(room).toBeLessThanOrEqual(9);

      const fresh = [];
      for (let i = 0; i < room + 10; i++) fresh.push((await allocate(small.ctx, `fill-${i}`)).tokenStatus.status_list);
      const inFirst = fresh.filter((a) => a.uri === 'https://issuer.test/status/lists/1');
      const inSecond = fresh.filter((a) => a.uri === 'https://issuer.test/status/lists/2');
      expect(inFirst).toHaveLength(room);
      expect(inSecond).toHaveLength(10);
      // Only free slots of the 75 %-full list were handed out.
      for (const a of inFirst) expect(taken.has(a.idx)).toBe(false);
      expect(new Set(inFirst.map((a) => a.idx)).size).toBe(room);
      expect(new Set(inSecond.map((a) => a.idx)).size).toBe(10);
      expect(await (await small.get('/status/aggregation')).json()).toEqual({
        status_lists: ['https://issuer.test/status/lists/1', 'https://issuer.test/status/lists/2'],
      });
      const t = await small.token('https://issuer.test/status/lists/2');
      expect(t.list.size).toBe(16384);
      await expect(allocate(small.ctx, 'fill-0')).rejects.toMatchObject({ code: 'STATUS_ALREADY_ALLOCATED' });
    } finally {
      await small.close();
    }
  });

  it('refuses a list size below 16,384', async () => {
    const fresh = await startStatusIssuer({ statusListSize: 1000 });
    try {
      await expect(allocate(fresh.ctx, 'too-small')).rejects.toMatchObject({ code: 'STATUS_CONFIG_INVALID' });
    } finally {
      await fresh.close();
    }
  });
});
