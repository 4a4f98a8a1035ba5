import type { Database } from 'sqlite3';
import type { DataSource } from 'typeorm';
import { NetcredError } from '../../core/errors.js';

/** node-sqlite3's connection under TypeORM's SQLite driver (the one connection of the process). */
function connectionOf(ds: DataSource): Database {
  const db = (ds.driver as unknown as { databaseConnection?: Database }).databaseConnection;
  if (!db || typeof db.exec !== 'function') throw new NetcredError('INTERNAL', 'execTransaction needs TypeORM over node-sqlite3');
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
  await exec(db, 'BEGIN IMMEDIATE');
  try {
    await exec(db, `${statements.join(';\n')};\nCOMMIT`);
  } catch (err) {
    // After a failed statement the transaction is still open, unless SQLite already rolled it
    // back (e.g. SQLITE_FULL): then this ROLLBACK fails, which is fine.
    await exec(db, 'ROLLBACK').catch(() => undefined);
    throw err;
  }
}
