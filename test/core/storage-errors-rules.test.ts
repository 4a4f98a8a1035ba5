import { describe, expect, it } from 'vitest';
import { NetcredError, StorageError, type StorageErrorCode } from '../../core/errors.js';
import { storageError, storageErrorOf } from '../../core/storage-errors.js';

/**
 * One test per rule of core/storage-errors.ts: which driver faults (SQLite result codes,
 * PostgreSQL SQLSTATEs, errno names, node-postgres's code-less connection messages) are storage
 * faults of which kind, the message (what, where, the driver's words, the advice), and what is
 * not a storage fault. The inputs are plain objects shaped like the drivers' errors
 * (node-sqlite3: `{ errno, code, message }`; pg: `{ code, message }`; TypeORM's QueryFailedError
 * keeps the driver's error as `driverError`).
 */

// The advice and what each kind says, written out: operators and runbooks read these words.
const ADVICE: Record<StorageErrorCode, string> = {
  STORAGE_FULL: 'free space on the volume of the data directory; writes resume by themselves',
  STORAGE_UNAVAILABLE:
    'check that the data directory is readable and writable and that no other process holds a long write lock (on PostgreSQL: that the server is up and reachable); then retry',
  STORE_CORRUPT: 'restore the data directory from a backup (the secret is kept apart from it); the file was left as it is',
};
const WHAT: Record<StorageErrorCode, string> = {
  STORAGE_FULL: 'the store is full',
  STORAGE_UNAVAILABLE: 'the store is unavailable',
  STORE_CORRUPT: 'the store is damaged or not a netcred database',
};

/** The message storageErrorOf gives for a fault of `code` at `where` with the driver's `detail`. */
const messageOf = (code: StorageErrorCode, where: string, detail: string) =>
  `${WHAT[code]} (${where}: ${detail}); nothing of this operation was stored. What to do: ${ADVICE[code]}`;

/** storageErrorOf(err, where), asserted to be a StorageError (the test fails otherwise). */
function typed(err: unknown, where?: string): StorageError {
  const e = where === undefined ? storageErrorOf(err) : storageErrorOf(err, where);
  expect(e).toBeInstanceOf(StorageError);
  return e as StorageError;
}

const TABLE: [string, StorageErrorCode][] = [
  // SQLite result codes (node-sqlite3's `code`)
  ['SQLITE_FULL', 'STORAGE_FULL'],
  ['SQLITE_IOERR', 'STORAGE_UNAVAILABLE'],
  ['SQLITE_CANTOPEN', 'STORAGE_UNAVAILABLE'],
  ['SQLITE_BUSY', 'STORAGE_UNAVAILABLE'],
  ['SQLITE_LOCKED', 'STORAGE_UNAVAILABLE'],
  ['SQLITE_READONLY', 'STORAGE_UNAVAILABLE'],
  ['SQLITE_PROTOCOL', 'STORAGE_UNAVAILABLE'],
  ['SQLITE_NOTADB', 'STORE_CORRUPT'],
  ['SQLITE_CORRUPT', 'STORE_CORRUPT'],
  // errno names (node's fs and net errors)
  ['ENOSPC', 'STORAGE_FULL'],
  ['EDQUOT', 'STORAGE_FULL'],
  ['EIO', 'STORAGE_UNAVAILABLE'],
  ['EACCES', 'STORAGE_UNAVAILABLE'],
  ['EROFS', 'STORAGE_UNAVAILABLE'],
  ['ECONNREFUSED', 'STORAGE_UNAVAILABLE'],
  ['ECONNRESET', 'STORAGE_UNAVAILABLE'],
  ['ETIMEDOUT', 'STORAGE_UNAVAILABLE'],
  ['EPIPE', 'STORAGE_UNAVAILABLE'],
  ['EHOSTUNREACH', 'STORAGE_UNAVAILABLE'],
  ['ENETUNREACH', 'STORAGE_UNAVAILABLE'],
  ['ENOTFOUND', 'STORAGE_UNAVAILABLE'],
  ['EAI_AGAIN', 'STORAGE_UNAVAILABLE'],
  // PostgreSQL SQLSTATEs
  ['53100', 'STORAGE_FULL'], // disk_full
  ['57P01', 'STORAGE_UNAVAILABLE'], // admin_shutdown
  ['57P02', 'STORAGE_UNAVAILABLE'], // crash_shutdown
  ['57P03', 'STORAGE_UNAVAILABLE'], // cannot_connect_now
  ['57P04', 'STORAGE_UNAVAILABLE'], // database_dropped
  ['57P05', 'STORAGE_UNAVAILABLE'], // idle_session_timeout
  ['08000', 'STORAGE_UNAVAILABLE'], // connection_exception
  ['08001', 'STORAGE_UNAVAILABLE'], // sqlclient_unable_to_establish_sqlconnection
  ['08003', 'STORAGE_UNAVAILABLE'], // connection_does_not_exist
  ['08004', 'STORAGE_UNAVAILABLE'], // sqlserver_rejected_establishment_of_sqlconnection
  ['08006', 'STORAGE_UNAVAILABLE'], // connection_failure
  ['08P01', 'STORAGE_UNAVAILABLE'], // protocol_violation
  ['3D000', 'STORAGE_UNAVAILABLE'], // invalid_catalog_name
  ['53000', 'STORAGE_UNAVAILABLE'], // insufficient_resources
  ['53200', 'STORAGE_UNAVAILABLE'], // out_of_memory
  ['53300', 'STORAGE_UNAVAILABLE'], // too_many_connections
  ['25006', 'STORAGE_UNAVAILABLE'], // read_only_sql_transaction
];

describe('storageErrorOf: the driver codes that are storage faults, each of its kind', () => {
  it.each(TABLE)('code %s is %s, with the driver message and the advice of its kind', (code, kind) => {
    const err = { code, message: `driver says ${code}` };
    const e = typed(err);
    expect(e.code).toBe(kind);
    expect(e.message).toBe(messageOf(kind, 'the store', `driver says ${code}`));
    expect(e.cause).toBe(err);
  });

  it.each([
    ['SQLITE_IOERR_WRITE', 'STORAGE_UNAVAILABLE'],
    ['SQLITE_IOERR_FSYNC', 'STORAGE_UNAVAILABLE'],
    ['SQLITE_BUSY_SNAPSHOT', 'STORAGE_UNAVAILABLE'],
    ['SQLITE_READONLY_DBMOVED', 'STORAGE_UNAVAILABLE'],
    ['SQLITE_CANTOPEN_ISDIR', 'STORAGE_UNAVAILABLE'],
    ['SQLITE_CORRUPT_VTAB', 'STORE_CORRUPT'],
  ] as [string, StorageErrorCode][])('an extended SQLite code (%s) is of its primary code kind (%s)', (code, kind) => {
    const e = typed({ code, message: 'x' });
    expect(e.code).toBe(kind);
    expect(e.message).toBe(messageOf(kind, 'the store', 'x'));
  });

  it('only a code that starts with SQLITE_ is read as an extended SQLite code', () => {
    expect(storageErrorOf({ code: 'X_SQLITE_FULL', message: 'x' })).toBeUndefined();
    expect(storageErrorOf({ code: 'NOT_SQLITE_IOERR_WRITE', message: 'x' })).toBeUndefined();
    // A longer primary name is another code, not SQLITE_FULL.
    expect(storageErrorOf({ code: 'SQLITE_FULLNESS', message: 'x' })).toBeUndefined();
  });
});

describe('storageErrorOf: node-postgres connection faults that have no code', () => {
  it.each([
    'Connection terminated unexpectedly',
    'Connection terminated',
    'Connection terminated due to connection timeout',
    'timeout exceeded when trying to connect',
    'Timeout Exceeded When Trying To Connect',
    'Connection timeout',
    'connection TIMEOUT after 3000 ms',
    'Client has encountered a connection error and is not queryable',
  ])('"%s" without a code is STORAGE_UNAVAILABLE', (message) => {
    const e = typed(new Error(message));
    expect(e.code).toBe('STORAGE_UNAVAILABLE');
    expect(e.message).toBe(messageOf('STORAGE_UNAVAILABLE', 'the store', message));
  });

  it('the messages are anchored and case-sensitive where the driver is: other wordings are not faults', () => {
    expect(storageErrorOf(new Error('the Connection terminated'))).toBeUndefined();
    expect(storageErrorOf(new Error('connection terminated'))).toBeUndefined();
    expect(storageErrorOf(new Error('a Connection timeout'))).toBeUndefined();
    expect(storageErrorOf(new Error('Client is not Queryable'))).toBeUndefined();
  });

  it('an error with a code is judged by its code, not by a connection message', () => {
    expect(storageErrorOf({ code: '23505', message: 'Connection terminated unexpectedly' })).toBeUndefined();
    expect(storageErrorOf({ code: 'SQLITE_CONSTRAINT', message: 'Connection timeout' })).toBeUndefined();
  });

  it('only a string message is read (a String object that spells a connection message is not)', () => {
    expect(storageErrorOf({ message: new String('Connection terminated unexpectedly') })).toBeUndefined();
    expect(storageErrorOf({ message: ['Connection terminated'] })).toBeUndefined();
  });
});

describe('storageErrorOf: what is not a storage fault (undefined)', () => {
  it.each([
    ['a unique constraint (SQLite)', { code: 'SQLITE_CONSTRAINT', message: 'UNIQUE constraint failed: t.id' }],
    ['an extended constraint code', { code: 'SQLITE_CONSTRAINT_UNIQUE', message: 'UNIQUE constraint failed' }],
    ['an SQL error (SQLite)', { code: 'SQLITE_ERROR', message: 'no such table: x' }],
    ['a misuse (SQLite)', { code: 'SQLITE_MISUSE', message: 'Database is closed' }],
    ['a unique violation (PostgreSQL)', { code: '23505', message: 'duplicate key value' }],
    ['a serialization failure (PostgreSQL)', { code: '40001', message: 'could not serialize access' }],
    ['a missing file (errno)', { code: 'ENOENT', message: 'no such file or directory' }],
    ['a code in lower case', { code: 'sqlite_full', message: 'x' }],
    ['a plain Error', new Error('boom')],
    ['a TypeError', new TypeError('x is not a function')],
    ['one of our own errors', new NetcredError('INVALID_INPUT', 'bad input')],
    ['an object without code or message', {}],
    // The table's inherited names are no codes (an own-key lookup): no StorageError with a function as its code.
    ['a code naming an Object property (constructor)', { code: 'constructor', message: 'x' }],
    ['a code naming an Object property (__proto__)', { code: '__proto__', message: 'x' }],
    ['a code naming an Object property (toString)', { code: 'toString', message: 'x' }],
  ])('%s', (_, err) => {
    expect(storageErrorOf(err)).toBeUndefined();
  });

  it.each([
    ['undefined', undefined],
    ['null', null],
    ['a string naming a code', 'SQLITE_FULL'],
    ['a number', 28],
    ['false', false],
  ])('%s is not an error object: undefined', (_, err) => {
    expect(storageErrorOf(err)).toBeUndefined();
  });

  it('only an object is read: a function that carries a code is not a driver error', () => {
    expect(storageErrorOf(Object.assign(() => undefined, { code: 'SQLITE_FULL', message: 'x' }))).toBeUndefined();
  });

  it('only a string code is read (a numeric code or errno names no storage fault)', () => {
    // 53100 as a number would name disk_full if it were read as the SQLSTATE '53100'.
    expect(storageErrorOf({ code: 53100, message: 'x' })).toBeUndefined();
    // node-sqlite3's errno for SQLITE_FULL is 13: only its `code` is read.
    expect(storageErrorOf({ errno: 13, message: 'x' })).toBeUndefined();
    // A numeric code counts as no code: a connection message is then read as for any code-less error.
    expect(typed({ code: 57, message: 'Connection terminated unexpectedly' }).message).toBe(
      messageOf('STORAGE_UNAVAILABLE', 'the store', 'Connection terminated unexpectedly'),
    );
  });
});

describe('storageErrorOf: where the code is found, and the message', () => {
  it('TypeORM wrapper: the code and message of its driverError are read, the wrapper is the cause', () => {
    const wrapper = { code: 'WRAPPER', message: 'Query failed', driverError: { code: 'SQLITE_FULL', message: 'database or disk is full' } };
    const e = typed(wrapper);
    expect(e.code).toBe('STORAGE_FULL');
    expect(e.message).toBe(messageOf('STORAGE_FULL', 'the store', 'database or disk is full'));
    expect(e.cause).toBe(wrapper);
  });

  it('the driverError wins over the wrapper own code: a wrapper of a constraint is not a fault', () => {
    expect(storageErrorOf({ code: 'SQLITE_FULL', message: 'x', driverError: { code: 'SQLITE_CONSTRAINT', message: 'y' } })).toBeUndefined();
  });

  it.each([
    ['null', null],
    ['a string', 'SQLITE_CONSTRAINT'],
    ['a number', 0],
  ])('a driverError that is %s is ignored: the error itself is read', (_, driverError) => {
    const err = { code: 'SQLITE_FULL', message: 'database or disk is full', driverError };
    const e = typed(err);
    expect(e.code).toBe('STORAGE_FULL');
    expect(e.message).toBe(messageOf('STORAGE_FULL', 'the store', 'database or disk is full'));
  });

  it('the `where` label names the store in the message; the default is "the store"', () => {
    const err = { code: 'SQLITE_BUSY', message: 'database is locked' };
    expect(typed(err, 'issuer store').message).toBe(messageOf('STORAGE_UNAVAILABLE', 'issuer store', 'database is locked'));
    expect(typed(err).message).toBe(messageOf('STORAGE_UNAVAILABLE', 'the store', 'database is locked'));
    expect(typed(err).message).toContain('(the store: database is locked)');
  });

  it('without a string message the driver code itself is the detail', () => {
    expect(typed({ code: 'ENOSPC' }).message).toBe(messageOf('STORAGE_FULL', 'the store', 'ENOSPC'));
    expect(typed({ code: 'SQLITE_IOERR_WRITE', message: 42 }).message).toBe(messageOf('STORAGE_UNAVAILABLE', 'the store', 'SQLITE_IOERR_WRITE'));
  });

  it('the result is a StorageError (name StorageError, a NetcredError) with the original error as cause', () => {
    const err = Object.assign(new Error('SQLITE_CORRUPT: database disk image is malformed'), { code: 'SQLITE_CORRUPT', errno: 11 });
    const e = typed(err, 'issuer store');
    expect(e).toBeInstanceOf(NetcredError);
    expect(e.name).toBe('StorageError');
    expect(e.code).toBe('STORE_CORRUPT');
    expect(e.message).toBe(messageOf('STORE_CORRUPT', 'issuer store', 'SQLITE_CORRUPT: database disk image is malformed'));
    expect(e.cause).toBe(err);
  });

  it('a StorageError passes through unchanged (the same object, whatever `where` says)', () => {
    const original = new StorageError('STORAGE_FULL', 'already typed');
    expect(storageErrorOf(original)).toBe(original);
    expect(storageErrorOf(original, 'elsewhere')).toBe(original);
    expect(original.message).toBe('already typed');
  });
});

describe('storageError: a typed fault found without a driver error', () => {
  it.each(['STORAGE_FULL', 'STORAGE_UNAVAILABLE', 'STORE_CORRUPT'] as StorageErrorCode[])('%s: "<what>. What to do: <advice>", no cause', (code) => {
    const e = storageError(code, 'issuer.sqlite is not a SQLite database');
    expect(e).toBeInstanceOf(StorageError);
    expect(e.code).toBe(code);
    expect(e.message).toBe(`issuer.sqlite is not a SQLite database. What to do: ${ADVICE[code]}`);
    expect(e.cause).toBeUndefined();
  });
});
