import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initIssuer, type IssuerContext } from '../../issuer/index.js';
// Internals on purpose: the one-message write transaction of the PostgreSQL store.
import { runExclusive } from '../../issuer/status/index.js';
import { execTransaction } from '../../issuer/store/exec-transaction.js';
import { inlineParams } from '../../issuer/store/inline-sql.js';
import { TEST_ISSUER_ADMIN_TOKEN, TEST_ISSUER_SECRET } from '../helpers/issuer.js';
import { tempDir } from '../helpers/tmp.js';
import { createTestDatabase, requirePostgres, type TestDatabase } from './helpers.js';

const FILE = 'test/issuer-pg/exec-transaction.test.ts';
const ok = await requirePostgres(FILE);

describe.runIf(ok)('execTransaction on PostgreSQL (one message: BEGIN, the write lock, the statements, COMMIT)', { timeout: 120_000 }, () => {
  let db: TestDatabase;
  let ctx: IssuerContext;
  const dir = tempDir('netcred-pg-exec-');
  beforeAll(async () => {
    db = await createTestDatabase();
    ctx = await initIssuer({ dataDir: dir.dir, secret: TEST_ISSUER_SECRET, adminToken: TEST_ISSUER_ADMIN_TOKEN, store: db.url });
    await ctx.dataSource.query('CREATE TABLE "scratch" ("k" BIGINT PRIMARY KEY, "v" TEXT)');
  });
  afterAll(async () => {
    await ctx?.close();
    await db?.drop();
    dir.cleanup();
  });

  const rows = async () => (await ctx.dataSource.query('SELECT "k", "v" FROM "scratch" ORDER BY "k"')) as { k: number; v: string }[];
  const insert = (k: number, v: string) => inlineParams('INSERT INTO "scratch" ("k", "v") VALUES (?, ?)', [k, v]);
  const exec = (statements: string[]) => runExclusive(ctx.dataSource, () => execTransaction(ctx.dataSource, statements));

  it('commits every statement, texts exactly as given (quotes, backslashes, question marks)', async () => {
    await exec([insert(1, "it's"), insert(2, 'back\\slash ? $1 "quoted"')]);
    expect(await rows()).toEqual([
      { k: 1, v: "it's" },
      { k: 2, v: 'back\\slash ? $1 "quoted"' },
    ]);
  });

  it('a failing statement rolls back the ones before it, and the pool hands out clean connections afterwards', async () => {
    const before = await rows();
    await expect(exec([insert(10, 'first'), insert(1, 'duplicate key')])).rejects.toThrow(/duplicate key/);
    expect(await rows()).toEqual(before);
    // Every pooled connection (the failed one included) is out of any transaction: each of
    // these runs on whichever connection the pool gives and commits for real.
    await Promise.all([20, 21, 22, 23, 24, 25].map((k) => exec([insert(k, 'after')])));
    const idle = (await ctx.dataSource.query(
      `SELECT COUNT(*)::int AS "n" FROM pg_stat_activity WHERE datname = current_database() AND state LIKE 'idle in transaction%'`,
    )) as { n: number }[];
    expect(idle[0]!.n).toBe(0);
    expect((await rows()).map((r) => r.k)).toEqual([...before.map((r) => r.k), 20, 21, 22, 23, 24, 25]);
  });
});
