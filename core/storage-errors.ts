import { StorageError, type StorageErrorCode } from './errors.js';

/** What an operator can do about each kind of storage fault (appended to every message). */
const ADVICE: Record<StorageErrorCode, string> = {
  STORAGE_FULL: 'free space on the volume of the data directory; writes resume by themselves',
  STORAGE_UNAVAILABLE:
    'check that the data directory is readable and writable and that no other process holds a long write lock (on PostgreSQL: that the server is up and reachable); then retry',
  STORE_CORRUPT: 'restore the data directory from a backup (the secret is kept apart from it); the file was left as it is',
};

/** SQLite result codes (node-sqlite3's `code`), PostgreSQL SQLSTATEs and errno names, by kind. */
const KIND: Record<string, StorageErrorCode> = {
  SQLITE_FULL: 'STORAGE_FULL',
  ENOSPC: 'STORAGE_FULL',
  EDQUOT: 'STORAGE_FULL',
  '53100': 'STORAGE_FULL', // disk_full
  SQLITE_IOERR: 'STORAGE_UNAVAILABLE',
  SQLITE_CANTOPEN: 'STORAGE_UNAVAILABLE',
  SQLITE_BUSY: 'STORAGE_UNAVAILABLE',
  SQLITE_LOCKED: 'STORAGE_UNAVAILABLE',
  SQLITE_READONLY: 'STORAGE_UNAVAILABLE',
  SQLITE_PROTOCOL: 'STORAGE_UNAVAILABLE',
  EIO: 'STORAGE_UNAVAILABLE',
  EACCES: 'STORAGE_UNAVAILABLE',
  EROFS: 'STORAGE_UNAVAILABLE',
  ECONNREFUSED: 'STORAGE_UNAVAILABLE',
  ECONNRESET: 'STORAGE_UNAVAILABLE',
  ETIMEDOUT: 'STORAGE_UNAVAILABLE',
  EPIPE: 'STORAGE_UNAVAILABLE',
  EHOSTUNREACH: 'STORAGE_UNAVAILABLE',
  ENETUNREACH: 'STORAGE_UNAVAILABLE',
  ENOTFOUND: 'STORAGE_UNAVAILABLE',
  EAI_AGAIN: 'STORAGE_UNAVAILABLE',
  '57P01': 'STORAGE_UNAVAILABLE', // admin_shutdown (pg_terminate_backend, a fast shutdown)
  '57P02': 'STORAGE_UNAVAILABLE', // crash_shutdown
  '57P03': 'STORAGE_UNAVAILABLE', // cannot_connect_now (starting up, recovery)
  '57P04': 'STORAGE_UNAVAILABLE', // database_dropped
  '57P05': 'STORAGE_UNAVAILABLE', // idle_session_timeout: the server closed the session
  '08000': 'STORAGE_UNAVAILABLE', // connection_exception
  '08001': 'STORAGE_UNAVAILABLE', // sqlclient_unable_to_establish_sqlconnection
  '08003': 'STORAGE_UNAVAILABLE', // connection_does_not_exist
  '08004': 'STORAGE_UNAVAILABLE', // sqlserver_rejected_establishment_of_sqlconnection
  '08006': 'STORAGE_UNAVAILABLE', // connection_failure
  '08P01': 'STORAGE_UNAVAILABLE', // protocol_violation
  '3D000': 'STORAGE_UNAVAILABLE', // invalid_catalog_name: the database is gone
  '53000': 'STORAGE_UNAVAILABLE', // insufficient_resources
  '53200': 'STORAGE_UNAVAILABLE', // out_of_memory
  '53300': 'STORAGE_UNAVAILABLE', // too_many_connections
  '25006': 'STORAGE_UNAVAILABLE', // read_only_sql_transaction (a standby)
  SQLITE_NOTADB: 'STORE_CORRUPT',
  SQLITE_CORRUPT: 'STORE_CORRUPT',
};

/**
 * node-postgres reports a connection lost or never made without a code: by these messages
 * (`Connection terminated unexpectedly`, a connect timeout, a client left unusable).
 */
const PG_CONNECTION_MESSAGES = [/^Connection terminated/, /timeout exceeded when trying to connect/i, /^Connection timeout/i, /is not queryable/];

const WHAT: Record<StorageErrorCode, string> = {
  STORAGE_FULL: 'the store is full',
  STORAGE_UNAVAILABLE: 'the store is unavailable',
  STORE_CORRUPT: 'the store is damaged or not a netcred database',
};

/** The kind of a driver code: own entries only (a code `constructor` or `__proto__` is no storage fault). */
function kindOf(code: string): StorageErrorCode | undefined {
  return Object.hasOwn(KIND, code) ? KIND[code] : undefined;
}

/** The driver error under an ORM's wrapper (TypeORM's QueryFailedError keeps it as driverError). */
function driverErrorOf(err: unknown): { code?: unknown; message?: unknown } | undefined {
  if (!err || typeof err !== 'object') return undefined;
  const inner = (err as { driverError?: unknown }).driverError;
  return (inner && typeof inner === 'object' ? inner : err) as { code?: unknown; message?: unknown };
}

/**
 * The typed StorageError for an error thrown by a store driver, or undefined when it is not
 * a storage fault (a constraint, a bug). A StorageError passes through unchanged.
 */
export function storageErrorOf(err: unknown, where = 'the store'): StorageError | undefined {
  if (err instanceof StorageError) return err;
  const inner = driverErrorOf(err);
  if (!inner) return undefined;
  const raw = typeof inner.code === 'string' ? inner.code : '';
  // An extended SQLite code (SQLITE_IOERR_WRITE) is of its primary code's kind.
  const message = typeof inner.message === 'string' ? inner.message : '';
  const code =
    kindOf(raw) ??
    kindOf(/^SQLITE_[A-Z]+/.exec(raw)?.[0] ?? '') ??
    (!raw && PG_CONNECTION_MESSAGES.some((m) => m.test(message)) ? 'STORAGE_UNAVAILABLE' : undefined);
  if (!code) return undefined;
  const detail = typeof inner.message === 'string' ? inner.message : raw;
  return new StorageError(code, `${WHAT[code]} (${where}: ${detail}); nothing of this operation was stored. What to do: ${ADVICE[code]}`, { cause: err });
}

/** A StorageError of a given kind with its advice (for faults found without a driver error). */
export function storageError(code: StorageErrorCode, what: string): StorageError {
  return new StorageError(code, `${what}. What to do: ${ADVICE[code]}`);
}
