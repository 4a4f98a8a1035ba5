import type { Database } from 'sqlite3';
import type { DataSource, EntityManager, QueryRunner } from 'typeorm';
import { NetcredError } from '../../core/errors.js';
import { storageErrorOf } from '../../core/storage-errors.js';
import { isPostgres, PG_WRITE_LOCK_KEY } from './dialect.js';
import { noteStoreFailure, noteStoreSuccess } from './health.js';

/** TypeORM's transaction bookkeeping on its query runner (not in its public types). */
type RunnerState = QueryRunner & { transactionDepth: number };

function isSqlite(ds: DataSource): boolean {
  return !isPostgres(ds);
}

/** node-sqlite3's connection under TypeORM's SQLite driver (the one connection of the process). */
export function sqliteConnectionOf(ds: DataSource): Database | undefined {
  const db = (ds.driver as unknown as { databaseConnection?: Database }).databaseConnection;
  return db && typeof db.exec === 'function' ? db : undefined;
}

function execRaw(db: Database, sql: string): Promise<void> {
  return new Promise((resolve, reject) => db.exec(sql, (err) => (err ? reject(err) : resolve())));
}

/**
 * Brings the connection back to "no transaction open", whatever TypeORM's bookkeeping says.
 * Needed because SQLite ends a transaction by itself on some failures (SQLITE_FULL or an I/O
 * error at COMMIT): TypeORM's ROLLBACK then fails, its runner stays marked "in a transaction",
 * and every later transaction would become a SAVEPOINT inside one that is never committed,
 * acknowledged but lost. Only called from inside the write queue, so the open transaction, if
 * any, is the failed one. A ROLLBACK with nothing open fails harmlessly.
 */
export async function resetConnection(ds: DataSource): Promise<void> {
  if (!isSqlite(ds)) return;
  const db = sqliteConnectionOf(ds);
  if (db) await execRaw(db, 'ROLLBACK').catch(() => undefined);
  const runner = ds.createQueryRunner() as RunnerState; // SQLite: the one shared runner
  (runner as { isTransactionActive: boolean }).isTransactionActive = false;
  runner.transactionDepth = 0;
}

/** The typed storage error for `err` (and the store marked degraded), else `err` itself. */
export function storeFailure(ds: DataSource, err: unknown): unknown {
  const typed = storageErrorOf(err, 'issuer store');
  if (typed) noteStoreFailure(ds, typed);
  return typed ?? err;
}

/**
 * The issuer's one way to run a write transaction (call it inside the write queue,
 * write-lock.ts): resolves only after COMMIT succeeded. On any failure (a statement, COMMIT
 * or BEGIN) the connection is reset (resetConnection), a storage fault comes back as a typed
 * StorageError and marks the store degraded; a success marks it healthy again.
 *
 * On SQLite its BEGIN is BEGIN IMMEDIATE (dialect.ts): the write lock from the start. On
 * PostgreSQL its first statement takes the store's write lock, a transaction-level
 * advisory lock held until COMMIT or ROLLBACK: the write transactions of every issuer process
 * on the database run one after the other, as they do on SQLite (docs/issuer-data.md,
 * PostgreSQL). Each statement after it (READ COMMITTED) sees every transaction committed
 * before, so a read-then-write (the newest list, a person's current credential) is exact.
 */
export async function storeTransaction<T>(ds: DataSource, fn: (tx: EntityManager) => Promise<T>): Promise<T> {
  // Ours would become a savepoint of a transaction open on the connection (and be lost with
  // it): refuse rather than roll back a transaction that is not ours.
  if (isSqlite(ds) && ds.createQueryRunner().isTransactionActive) {
    throw new NetcredError(
      'INTERNAL',
      'a write transaction is already open on the issuer connection; writes must go through the write queue (issuer/store/write-lock.ts)',
    );
  }
  let result: T;
  try {
    result = isPostgres(ds)
      ? await ds.transaction(async (tx) => {
          await tx.query(`SELECT pg_advisory_xact_lock(${PG_WRITE_LOCK_KEY})`);
          return fn(tx);
        })
      : await ds.transaction(fn);
  } catch (err) {
    await resetConnection(ds);
    throw storeFailure(ds, err);
  }
  noteStoreSuccess(ds);
  return result;
}
