import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IssuerContext } from '../../issuer/index.js';
// Internals on purpose: this file tests the issuer store's one-statement transactions and SQL inlining.
import { runExclusive } from '../../issuer/status/index.js';
import { execTransaction } from '../../issuer/store/exec-transaction.js';
import { inlineParams, sqlLiteral } from '../../issuer/store/inline-sql.js';
import { initTestIssuer } from '../helpers/issuer.js';

let ctx: IssuerContext;
let cleanup: () => Promise<void>;
beforeAll(async () => {
  ({ ctx, close: cleanup } = await initTestIssuer());
  await ctx.dataSource.query('CREATE TABLE "scratch" ("k" INTEGER PRIMARY KEY, "v" TEXT, "n" INTEGER)');
});
afterAll(async () => cleanup());

const rows = async () =>
  (await ctx.dataSource.query('SELECT "k", "v", "n" FROM "scratch" ORDER BY "k"')) as { k: number; v: string | null; n: number | null }[];
const insert = (k: number, v: unknown, n: unknown) => inlineParams('INSERT INTO "scratch" ("k", "v", "n") VALUES (?, ?, ?)', [k, v, n]);

describe('inline SQL literals (one-exec transactions)', () => {
  it('text, integers and NULL come back from SQLite exactly as given, whatever the text holds', async () => {
    const texts = ["it's", '\'); DROP TABLE "scratch"; --', '"quoted" ?', 'Zhāng 张三 🪪', '', "''''", 'back\\slash\nnew line'];
    const numbers = [0, -1, 42, Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER];
    await runExclusive(ctx.dataSource, () =>
      execTransaction(ctx.dataSource, [...texts.map((t, i) => insert(i, t, numbers[i % numbers.length])), insert(100, null, null)]),
    );
    const got = await rows();
    expect(got.map((r) => r.v)).toEqual([...texts, null]);
    expect(got.map((r) => r.n)).toEqual([...texts.map((_, i) => numbers[i % numbers.length]), null]);
  });

  it('refuses what it cannot quote exactly: NUL in text, non-integers, other types, a wrong number of values', () => {
    expect(() => sqlLiteral('a\0b')).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
    for (const bad of [1.5, Number.NaN, Infinity, 2 ** 53, true, {}, [], 1n])
      expect(() => sqlLiteral(bad)).toThrow(expect.objectContaining({ code: 'INTERNAL' }));
    expect(() => inlineParams('SELECT ?, ?', [1])).toThrow(expect.objectContaining({ code: 'INTERNAL' }));
    expect(() => inlineParams('SELECT ?', [1, 2])).toThrow(expect.objectContaining({ code: 'INTERNAL' }));
  });
});

describe('execTransaction', () => {
  it('a failing statement rolls back the statements before it, and the connection is usable afterwards', async () => {
    const before = await rows();
    await expect(
      runExclusive(ctx.dataSource, () => execTransaction(ctx.dataSource, [insert(200, 'first', 1), insert(201, 'second', 2), insert(200, 'duplicate key', 3)])),
    ).rejects.toThrow(/UNIQUE constraint failed/);
    expect(await rows()).toEqual(before);
    // No transaction was left open: a new one begins and commits.
    await runExclusive(ctx.dataSource, () => execTransaction(ctx.dataSource, [insert(300, 'after', 1)]));
    expect((await rows()).at(-1)).toEqual({ k: 300, v: 'after', n: 1 });
    // And TypeORM's own transactions still work on the same connection.
    await ctx.dataSource.transaction((tx) => tx.query('INSERT INTO "scratch" ("k", "v") VALUES (?, ?)', [301, 'typeorm']));
    expect((await rows()).at(-1)).toEqual({ k: 301, v: 'typeorm', n: null });
  });

  it('a transaction that cannot begin leaves a transaction already open on the connection alone', async () => {
    await runExclusive(ctx.dataSource, async () => {
      const runner = ctx.dataSource.createQueryRunner();
      await runner.startTransaction();
      try {
        await runner.query('INSERT INTO "scratch" ("k", "v") VALUES (?, ?)', [400, 'outer']);
        await expect(execTransaction(ctx.dataSource, [insert(401, 'inner', 1)])).rejects.toThrow(/within a transaction/);
        // Still open and still holding its row: a ROLLBACK by execTransaction would have ended it.
        await runner.query('INSERT INTO "scratch" ("k", "v") VALUES (?, ?)', [402, 'outer again']);
        await runner.commitTransaction();
      } finally {
        await runner.release();
      }
    });
    expect((await rows()).filter((r) => r.k >= 400).map((r) => r.v)).toEqual(['outer', 'outer again']);
  });
});
