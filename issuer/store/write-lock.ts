import type { DataSource, EntityManager } from 'typeorm';
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
 * A queued write transaction that holds the write lock from its BEGIN (BEGIN IMMEDIATE on
 * SQLite, dialect.ts; the advisory lock on PostgreSQL, transaction.ts). Not reentrant:
 * inside `fn`, use the given `tx` (e.g. revokeSuperseded), never a function that queues again.
 */
export function writeTransaction<T>(ds: DataSource, fn: (tx: EntityManager) => Promise<T>): Promise<T> {
  return runExclusive(ds, () => storeTransaction(ds, fn));
}
