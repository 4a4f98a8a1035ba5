import type { DataSource, MigrationInterface, QueryRunner } from 'typeorm';
import { ddl } from './dialect.js';
import { lastStoreFailure, noteStoreSuccess, storeHealth, type StoreHealth } from './health.js';
import { isPostgres } from './dialect.js';
import { storeFailure, storeTransaction } from './transaction.js';
import { runExclusive } from './write-lock.js';

/** One row that a degraded store rewrites to find out whether writes work again. */
export class CreateStoreProbe1765000000001 implements MigrationInterface {
  name = 'CreateStoreProbe1765000000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(ddl(q, `CREATE TABLE "store_probe" ("id" integer PRIMARY KEY NOT NULL, "at" varchar NOT NULL)`));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(ddl(q, `DROP TABLE "store_probe"`));
  }
}

export const probeMigrations = [CreateStoreProbe1765000000001];

/**
 * A probe waits this long after the last failed write and after the last probe: a health check
 * polled often must not hammer a failing disk, and right after a failure the answer is known.
 */
export const PROBE_INTERVAL_MS = 1000;
const lastProbe = new WeakMap<DataSource, number>();

/**
 * The store's health for /health. While degraded, a small write transaction (queued like any
 * write) checks whether writes work again, so a store recovers by itself once space is freed,
 * even when no client writes.
 */
export async function probeStoreHealth(ds: DataSource, now = Date.now()): Promise<StoreHealth> {
  if (storeHealth(ds).status === 'ok') {
    // A server that went away shows at once on PostgreSQL, before any write fails: one SELECT
    // at most every PROBE_INTERVAL_MS (not queued: it needs no write lock).
    if (isPostgres(ds) && now - (lastProbe.get(ds) ?? 0) >= PROBE_INTERVAL_MS) {
      lastProbe.set(ds, now);
      await ds.query('SELECT 1').catch((err: unknown) => storeFailure(ds, err));
    }
    return storeHealth(ds);
  }
  if (now - (lastStoreFailure(ds) ?? 0) >= PROBE_INTERVAL_MS && now - (lastProbe.get(ds) ?? 0) >= PROBE_INTERVAL_MS) {
    lastProbe.set(ds, now);
    try {
      await runExclusive(ds, () =>
        storeTransaction(ds, (tx) =>
          tx.query(`INSERT INTO "store_probe" ("id", "at") VALUES (1, ?) ON CONFLICT ("id") DO UPDATE SET "at" = excluded."at"`, [new Date(now).toISOString()]),
        ),
      );
      noteStoreSuccess(ds);
    } catch {
      // Still failing: storeTransaction kept the store marked degraded.
    }
  }
  return storeHealth(ds);
}
