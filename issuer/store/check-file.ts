import { closeSync, openSync, readSync, statSync } from 'node:fs';
import sqlite3 from 'sqlite3';
import { storageError, storageErrorOf } from '../../core/storage-errors.js';

/** The 16-byte header of every SQLite 3 database file. */
const SQLITE_MAGIC = Buffer.from('SQLite format 3\0', 'latin1');

/** Tables every netcred issuer store has once its first migrations ran. */
const OUR_TABLES = ['migrations', 'netcred_private_key', 'issuance_record'];

function readHeader(file: string): Buffer {
  const fd = openSync(file, 'r');
  try {
    const header = Buffer.alloc(100);
    const n = readSync(fd, header, 0, 100, 0);
    return header.subarray(0, n);
  } finally {
    closeSync(fd);
  }
}

/** Page size (bytes 16-17, 1 meaning 65536) times the in-header page count (bytes 28-31) when SQLite says it is valid. */
function declaredSize(header: Buffer): number | undefined {
  if (header.length < 100) return undefined;
  const raw = header.readUInt16BE(16);
  const pageSize = raw === 1 ? 65536 : raw;
  const pages = header.readUInt32BE(28);
  // The page count is valid only when the change counter (24) equals "version-valid-for" (92).
  if (pages === 0 || header.readUInt32BE(24) !== header.readUInt32BE(92)) return undefined;
  return pageSize * pages;
}

function tablesOf(file: string): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const db = new sqlite3.Database(file, sqlite3.OPEN_READONLY, (openErr) => {
      if (openErr) return reject(openErr);
      db.all(`SELECT "name" FROM "sqlite_master" WHERE "type" = 'table'`, (err, rows: { name: string }[]) => {
        db.close(() => (err ? reject(err) : resolve(rows.map((r) => r.name))));
      });
    });
  });
}

/**
 * Refuses, before anything opens it for writing, an existing file that is not a netcred issuer
 * store: empty, not SQLite, shorter than its header says (truncated), unreadable as SQLite, or
 * SQLite without our tables (someone else's database). TypeORM would otherwise write a fresh
 * schema (or switch the journal mode) into it. Reads only: the file is left exactly as it was.
 */
export async function assertIssuerStoreFile(file: string): Promise<void> {
  const size = statSync(file).size;
  const what = `the issuer database ${file}`;
  if (size === 0) throw storageError('STORE_CORRUPT', `${what} is empty (0 bytes), not a netcred issuer store`);
  const header = readHeader(file);
  if (header.length < SQLITE_MAGIC.length || !header.subarray(0, SQLITE_MAGIC.length).equals(SQLITE_MAGIC)) {
    throw storageError('STORE_CORRUPT', `${what} is not a SQLite database`);
  }
  const declared = declaredSize(header);
  if (declared !== undefined && size < declared) throw storageError('STORE_CORRUPT', `${what} is truncated (${size} bytes, its header says ${declared})`);
  let tables: string[];
  try {
    tables = await tablesOf(file);
  } catch (err) {
    throw storageErrorOf(err, what) ?? storageError('STORE_CORRUPT', `${what} cannot be read as SQLite (${err instanceof Error ? err.message : String(err)})`);
  }
  const missing = OUR_TABLES.filter((t) => !tables.includes(t));
  if (missing.length) throw storageError('STORE_CORRUPT', `${what} is a SQLite database but not a netcred issuer store (no ${missing.join(', ')} table)`);
}
