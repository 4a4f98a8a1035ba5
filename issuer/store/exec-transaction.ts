import type { Database } from 'sqlite3';
import type { DataSource } from 'typeorm';
import { NetcredError } from '../../core/errors.js';
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
 * inside runExclusive (write-lock.ts) like any write transaction of the issuer.
 */
export async function execTransaction(ds: DataSource, statements: readonly string[]): Promise<void> {
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
