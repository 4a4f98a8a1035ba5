import type { DataSource, EntityManager } from 'typeorm';
import { txIsPostgres } from './dialect.js';
import { storeTransaction } from './transaction.js';

/**
 * TypeORM's SQLite driver runs every query of a process on ONE connection, so two concurrent
 * `dataSource.transaction()` calls would interleave (the second becomes a savepoint inside the
 * first). Status writes and the reads that publish lists are therefore queued per DataSource.
 */
const queues = new WeakMap<DataSource, Promise<unknown>>();

export function runExclusive<T>(ds: DataSource, fn: () => Promise<T>): Promise<T> {
  const previous = queues.get(ds) ?? Promise.resolve();
  const run = previous.then(fn, fn);
  queues.set(
    ds,
    run.catch(() => undefined),
  );
  return run;
}

/**
 * Takes SQLite's write lock at the start of a transaction. A deferred transaction that reads
 * first and writes later fails at once with SQLITE_BUSY when another process wrote in between
 * (the busy timeout does not apply to that case); starting with a write makes it wait instead.
 * On PostgreSQL storeTransaction took the store's advisory lock already: nothing to do.
 */
export async function lockForWrite(tx: EntityManager): Promise<void> {
  if (txIsPostgres(tx)) return;
  await tx.query('UPDATE "status_list" SET "version" = "version" WHERE 0');
}

/**
 * A write transaction that holds the write lock from its first statement, NOT queued: only for
 * code already running inside runExclusive (e.g. the issuance group commit).
 */
export function lockedTransaction<T>(ds: DataSource, fn: (tx: EntityManager) => Promise<T>): Promise<T> {
  return storeTransaction(ds, async (tx) => {
    await lockForWrite(tx);
    return fn(tx);
  });
}

/**
 * A queued write transaction that holds the write lock from its first statement. Not reentrant:
 * inside `fn`, use the given `tx` (e.g. revokeSuperseded), never a function that queues again.
 */
export function writeTransaction<T>(ds: DataSource, fn: (tx: EntityManager) => Promise<T>): Promise<T> {
  return runExclusive(ds, () => lockedTransaction(ds, fn));
}
