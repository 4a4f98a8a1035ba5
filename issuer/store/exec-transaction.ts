import type { Database } from 'sqlite3';
import type { DataSource } from 'typeorm';

/** node-sqlite3's connection under TypeORM's SQLite driver (the one connection of the process). */
function connectionOf(ds: DataSource): Database {
  const db = (ds.driver as unknown as { databaseConnection?: Database }).databaseConnection;
  if (!db || typeof db.exec !== 'function') throw new Error('execTransaction needs the sqlite driver');
  return db;
}

function exec(db: Database, sql: string): Promise<void> {
  return new Promise((resolve, reject) => db.exec(sql, (err) => (err ? reject(err) : resolve())));
}

/**
 * Runs `statements` as ONE write transaction in ONE call to SQLite's thread (`BEGIN IMMEDIATE;
 * ...; COMMIT`), instead of a round trip through the main thread per statement. node-sqlite3
 * schedules an exec exclusively, so no other statement of the process runs in between. Values
 * must be inlined (inline-sql.ts). On any error the transaction is rolled back and the error
 * rethrown; nothing of it is committed. Call inside runExclusive (write-lock.ts) like any write
 * transaction of the issuer.
 */
export async function execTransaction(ds: DataSource, statements: readonly string[]): Promise<void> {
  const db = connectionOf(ds);
  try {
    await exec(db, `BEGIN IMMEDIATE;\n${statements.join(';\n')};\nCOMMIT`);
  } catch (err) {
    // After a failed statement the transaction is still open; SQLite has already rolled back
    // after some errors (e.g. SQLITE_FULL), or BEGIN itself failed (SQLITE_BUSY).
    await exec(db, 'ROLLBACK').catch(() => undefined);
    throw err;
  }
}
