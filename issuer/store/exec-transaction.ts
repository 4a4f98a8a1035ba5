import type { Database } from 'sqlite3';
import type { DataSource } from 'typeorm';
import { NetcredError } from '../../core/errors.js';
import { isPostgres, PG_WRITE_LOCK_KEY } from './dialect.js';
import { noteStoreSuccess } from './health.js';
import { resetConnection, sqliteConnectionOf, storeFailure } from './transaction.js';

function connectionOf(ds: DataSource): Database {
  const db = sqliteConnectionOf(ds);
  if (!db) throw new NetcredError('INTERNAL', 'execTransaction needs TypeORM over node-sqlite3');
  return db;
}

function exec(db: Database, sql: string): Promise<void> {
  return new Promise((resolve, reject) => db.exec(sql, (err) => (err ? reject(err) : resolve())));
}

/**
 * Runs `statements` as one write transaction in two calls to SQLite's thread (`BEGIN
 * IMMEDIATE`, then every statement and `COMMIT` in one exec) instead of a round trip through
 * the main thread per statement. node-sqlite3 schedules an exec exclusively, so no other
 * statement of the process runs inside it. BEGIN goes alone so that a failure to begin (the
 * lock held elsewhere past the busy timeout) is never followed by a ROLLBACK, which could end
 * a transaction that is not ours. Values must be inlined (inline-sql.ts). On an error after
 * BEGIN the transaction is rolled back and the error rethrown: nothing of it is committed. Call
 * inside runExclusive (write-lock.ts) like any write transaction of the issuer. On PostgreSQL,
 * the same in one message (execTransactionPg).
 */
export async function execTransaction(ds: DataSource, statements: readonly string[]): Promise<void> {
  if (isPostgres(ds)) return execTransactionPg(ds, statements);
  const db = connectionOf(ds);
  try {
    await exec(db, 'BEGIN IMMEDIATE');
  } catch (err) {
    throw storeFailure(ds, err);
  }
  try {
    await exec(db, `${statements.join(';\n')};\nCOMMIT`);
  } catch (err) {
    // After a failed statement the transaction is still open, unless SQLite already rolled it
    // back (e.g. SQLITE_FULL at COMMIT): then this ROLLBACK fails, which is fine.
    await resetConnection(ds);
    throw storeFailure(ds, err);
  }
  noteStoreSuccess(ds);
}

/**
 * execTransaction on PostgreSQL: BEGIN, the store's write lock (transaction.ts), every statement
 * and COMMIT in ONE simple-protocol message on one pooled connection, so the advisory lock is
 * held for the server's work on the batch and not for a network round trip per statement
 * (with several issuer processes, they wait for each other's lock). Under READ COMMITTED each
 * statement sees every transaction committed before it, the lock holder's included. After a
 * failed statement the server skips the rest of the message and the transaction stays open,
 * aborted: it is rolled back here, before the connection goes back to the pool.
 */
async function execTransactionPg(ds: DataSource, statements: readonly string[]): Promise<void> {
  const runner = ds.createQueryRunner();
  try {
    await runner.query(`BEGIN;\nSELECT pg_advisory_xact_lock(${PG_WRITE_LOCK_KEY});\n${statements.join(';\n')};\nCOMMIT`);
  } catch (err) {
    await runner.query('ROLLBACK').catch(() => undefined);
    throw storeFailure(ds, err);
  } finally {
    await runner.release();
  }
  noteStoreSuccess(ds);
}
