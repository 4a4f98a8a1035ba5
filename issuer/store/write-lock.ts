import type { DataSource, EntityManager } from 'typeorm';
import { processWriteGate } from './cluster-write-gate.js';
import { isPostgres } from './dialect.js';
import { storeTransaction } from './transaction.js';

/**
 * TypeORM's SQLite driver runs every query of a process on ONE connection, so two concurrent
 * `dataSource.transaction()` calls would interleave (the second becomes a savepoint inside the
 * first). Status writes and the reads that publish lists are therefore queued per DataSource.
 */
const queues = new WeakMap<DataSource, Promise<unknown>>();

export function runExclusive<T>(ds: DataSource, fn: () => Promise<T>): Promise<T> {
  const previous = queues.get(ds) ?? Promise.resolve();
  const turn = () => inWriteTurn(ds, fn);
  const run = previous.then(turn, turn);
  queues.set(
    ds,
    run.catch(() => undefined),
  );
  return run;
}

/**
 * On SQLite under `issuer serve --workers N`, the write turn the workers hand each other
 * (cluster-write-gate.ts) is held around each queued operation; elsewhere `fn` runs as is.
 */
async function inWriteTurn<T>(ds: DataSource, fn: () => Promise<T>): Promise<T> {
  const gate = isPostgres(ds) ? undefined : processWriteGate();
  if (!gate) return fn();
  const release = await gate.acquire();
  try {
    return await fn();
  } finally {
    release();
  }
}

/**
 * A queued write transaction that holds the write lock from its BEGIN (BEGIN IMMEDIATE on
 * SQLite, dialect.ts; the advisory lock on PostgreSQL, transaction.ts). Not reentrant:
 * inside `fn`, use the given `tx` (e.g. revokeSuperseded), never a function that queues again.
 */
export function writeTransaction<T>(ds: DataSource, fn: (tx: EntityManager) => Promise<T>): Promise<T> {
  return runExclusive(ds, () => storeTransaction(ds, fn));
}
