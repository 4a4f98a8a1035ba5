import path from 'node:path';
import sqlite3 from 'sqlite3';
import type { DataSource } from 'typeorm';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { NetcredError, StorageError } from '../../core/errors.js';
import { lastStoreFailure, noteStoreFailure, noteStoreSuccess, storeHealth } from '../../issuer/store/health.js';
import { PROBE_INTERVAL_MS, probeStoreHealth } from '../../issuer/store/probe.js';
import { sqliteConnectionOf, storeFailure, storeTransaction } from '../../issuer/store/transaction.js';
import { initTestIssuer, type UnservedTestIssuer } from '../helpers/issuer.js';

/**
 * One test per rule of the issuer store's write health (issuer/store/health.ts), its probe
 * (issuer/store/probe.ts) and the typed failures of its write transactions
 * (issuer/store/transaction.ts: storeFailure, storeTransaction), called in this process against
 * one real issuer (SQLite in a temp dir): no HTTP server. A real storage fault is SQLite's own
 * SQLITE_READONLY, produced with `PRAGMA query_only = 1` on the issuer's connection (always set
 * back to 0). The HTTP view of the same faults is test/issuer-store/storage-faults.test.ts.
 */

let issuer: UnservedTestIssuer;
let ds: DataSource;

beforeAll(async () => {
  issuer = await initTestIssuer();
  ds = issuer.ctx.dataSource;
});
afterAll(async () => {
  await issuer?.close();
});
// Every test starts from a healthy store.
afterEach(() => {
  noteStoreSuccess(ds);
});

const READONLY = 'SQLITE_READONLY: attempt to write a readonly database';
const ADVICE_UNAVAILABLE =
  'check that the data directory is readable and writable and that no other process holds a long write lock (on PostgreSQL: that the server is up and reachable); then retry';
const ADVICE_FULL = 'free space on the volume of the data directory; writes resume by themselves';
/** The typed message of SQLITE_READONLY on a write transaction of the issuer store. */
const READONLY_MESSAGE = `the store is unavailable (issuer store: ${READONLY}); nothing of this operation was stored. What to do: ${ADVICE_UNAVAILABLE}`;

/** `fn` while SQLite refuses every write of the issuer's connection (SQLITE_READONLY). */
async function readOnly<T>(d: DataSource, fn: () => Promise<T>): Promise<T> {
  await d.query('PRAGMA query_only = 1');
  try {
    return await fn();
  } finally {
    await d.query('PRAGMA query_only = 0');
  }
}

/** What `p` rejects with; a promise that resolves fails the test. */
async function refusal(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (err) {
    return err;
  }
  throw new Error('expected a refusal, got none');
}

const insertProbeRow = (id: number, at: string) => (tx: { query(sql: string, params?: unknown[]): Promise<unknown> }) =>
  tx.query(`INSERT INTO "store_probe" ("id", "at") VALUES (?, ?)`, [id, at]);

/** A write transaction that SQLite refuses (SQLITE_READONLY); its rejection. */
function failedWrite(d: DataSource, id = 100): Promise<unknown> {
  return readOnly(d, () => refusal(storeTransaction(d, insertProbeRow(id, 'refused'))));
}

async function probeRows(d: DataSource): Promise<{ id: number; at: string }[]> {
  return (await d.query(`SELECT "id", "at" FROM "store_probe" ORDER BY "id"`)) as { id: number; at: string }[];
}

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

describe('store health (issuer/store/health.ts): degraded from a failed write until a write succeeds', () => {
  it('a store nothing failed on is ok, with no last failure', () => {
    expect(storeHealth(ds)).toEqual({ status: 'ok' });
    expect(lastStoreFailure(ds)).toBeUndefined();
  });

  it('a failure makes it degraded (code, message, since); a repeated failure keeps since and takes the newest error and time', () => {
    const T1 = Date.UTC(2031, 0, 2, 3, 4, 5, 678);
    const full = new StorageError('STORAGE_FULL', 'disk full');
    const unavailable = new StorageError('STORAGE_UNAVAILABLE', 'I/O error');
    // Only Date is faked: these calls are synchronous and do no I/O.
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      vi.setSystemTime(T1);
      noteStoreFailure(ds, full);
      expect(storeHealth(ds)).toEqual({ status: 'degraded', code: 'STORAGE_FULL', message: 'disk full', since: '2031-01-02T03:04:05.678Z' });
      expect(lastStoreFailure(ds)).toBe(T1);
      vi.setSystemTime(T1 + 5000);
      noteStoreFailure(ds, unavailable);
      expect(storeHealth(ds)).toEqual({ status: 'degraded', code: 'STORAGE_UNAVAILABLE', message: 'I/O error', since: '2031-01-02T03:04:05.678Z' });
      expect(lastStoreFailure(ds)).toBe(T1 + 5000);
      // A success ends it; the next failure starts a new degraded period with its own since.
      noteStoreSuccess(ds);
      expect(storeHealth(ds)).toEqual({ status: 'ok' });
      expect(lastStoreFailure(ds)).toBeUndefined();
      vi.setSystemTime(T1 + 9000);
      noteStoreFailure(ds, full);
      expect(storeHealth(ds)).toEqual({ status: 'degraded', code: 'STORAGE_FULL', message: 'disk full', since: '2031-01-02T03:04:14.678Z' });
      expect(lastStoreFailure(ds)).toBe(T1 + 9000);
    } finally {
      vi.useRealTimers();
    }
  });

  it('the health is per store: a failure of one issuer store leaves another one ok', async () => {
    const other = await initTestIssuer();
    try {
      noteStoreFailure(other.ctx.dataSource, new StorageError('STORAGE_FULL', 'disk full'));
      expect(storeHealth(ds)).toEqual({ status: 'ok' });
      expect(lastStoreFailure(ds)).toBeUndefined();
      expect(storeHealth(other.ctx.dataSource)).toMatchObject({ status: 'degraded', code: 'STORAGE_FULL' });
    } finally {
      await other.close();
    }
  });
});

describe('storeFailure (issuer/store/transaction.ts): the typed error of a failed write', () => {
  it('a storage fault comes back as a StorageError labelled "issuer store", and marks the store degraded with it', () => {
    const driver = { errno: 13, code: 'SQLITE_FULL', message: 'SQLITE_FULL: database or disk is full' };
    const e = storeFailure(ds, driver);
    expect(e).toBeInstanceOf(StorageError);
    expect((e as StorageError).code).toBe('STORAGE_FULL');
    expect((e as StorageError).message).toBe(
      `the store is full (issuer store: SQLITE_FULL: database or disk is full); nothing of this operation was stored. What to do: ${ADVICE_FULL}`,
    );
    expect((e as StorageError).cause).toBe(driver);
    expect(storeHealth(ds)).toMatchObject({ status: 'degraded', code: 'STORAGE_FULL', message: (e as StorageError).message });
    expect(lastStoreFailure(ds)).toBeTypeOf('number');
  });

  it('anything else (a constraint, a bug) comes back as itself and does not touch the health', () => {
    const constraint = { code: 'SQLITE_CONSTRAINT', message: 'UNIQUE constraint failed: store_probe.id' };
    expect(storeFailure(ds, constraint)).toBe(constraint);
    expect(storeHealth(ds)).toEqual({ status: 'ok' });
    // Neither marks a degraded store healthy nor changes its error.
    storeFailure(ds, { code: 'SQLITE_BUSY', message: 'database is locked' });
    const degraded = storeHealth(ds);
    const bug = new TypeError('x is not a function');
    expect(storeFailure(ds, bug)).toBe(bug);
    expect(storeHealth(ds)).toEqual(degraded);
    expect(degraded).toMatchObject({ status: 'degraded', code: 'STORAGE_UNAVAILABLE' });
  });
});

describe('storeTransaction (issuer/store/transaction.ts): a real SQLite issuer store', () => {
  it('a storage fault rejects with the typed StorageError, stores nothing, and marks the store degraded', async () => {
    const e = await failedWrite(ds, 101);
    expect(e).toBeInstanceOf(StorageError);
    expect((e as StorageError).code).toBe('STORAGE_UNAVAILABLE');
    expect((e as StorageError).message).toBe(READONLY_MESSAGE);
    expect(storeHealth(ds)).toMatchObject({ status: 'degraded', code: 'STORAGE_UNAVAILABLE', message: READONLY_MESSAGE });
    expect((await probeRows(ds)).map((r) => r.id)).not.toContain(101);
  });

  it('a repeated real failure keeps the store degraded since the first one', async () => {
    await failedWrite(ds, 102);
    const first = storeHealth(ds) as { since: string };
    const firstFailure = lastStoreFailure(ds)!;
    // Let the clock move on so that a new since would differ.
    while (Date.now() <= firstFailure) await sleep(2);
    await failedWrite(ds, 103);
    expect(storeHealth(ds)).toEqual({ status: 'degraded', code: 'STORAGE_UNAVAILABLE', message: READONLY_MESSAGE, since: first.since });
    expect(lastStoreFailure(ds)).toBeGreaterThan(firstFailure);
  });

  it('a transaction that commits returns what its function returned and marks a degraded store healthy', async () => {
    await failedWrite(ds, 104);
    expect(storeHealth(ds).status).toBe('degraded');
    const result = { written: true };
    const returned = await storeTransaction(ds, async (tx) => {
      await insertProbeRow(104, 'kept')(tx);
      return result;
    });
    expect(returned).toBe(result);
    expect(storeHealth(ds)).toEqual({ status: 'ok' });
    expect(lastStoreFailure(ds)).toBeUndefined();
    expect((await probeRows(ds)).find((r) => r.id === 104)).toEqual({ id: 104, at: 'kept' });
  });

  it('a failure that is not a storage fault rejects with the error itself and leaves the store ok', async () => {
    await storeTransaction(ds, insertProbeRow(105, 'first'));
    const e = await refusal(storeTransaction(ds, insertProbeRow(105, 'again')));
    expect(e).not.toBeInstanceOf(StorageError);
    expect((e as { driverError: { code: string } }).driverError.code).toBe('SQLITE_CONSTRAINT');
    expect((e as Error).message).toBe('SQLITE_CONSTRAINT: UNIQUE constraint failed: store_probe.id');
    expect(storeHealth(ds)).toEqual({ status: 'ok' });
  });

  it('refuses with INTERNAL to open a transaction while one is open on the connection (it would be a savepoint of it)', async () => {
    let innerRan = false;
    const e = await refusal(
      storeTransaction(ds, async (tx) => {
        await insertProbeRow(106, 'outer')(tx);
        await storeTransaction(ds, async (inner) => {
          innerRan = true;
          await insertProbeRow(107, 'inner')(inner);
        });
      }),
    );
    expect(e).toBeInstanceOf(NetcredError);
    expect(e).not.toBeInstanceOf(StorageError);
    expect((e as NetcredError).code).toBe('INTERNAL');
    expect((e as NetcredError).message).toBe(
      'a write transaction is already open on the issuer connection; writes must go through the write queue (issuer/store/write-lock.ts)',
    );
    expect(innerRan).toBe(false);
    // The refusal is not a storage fault, and the outer transaction was rolled back.
    expect(storeHealth(ds)).toEqual({ status: 'ok' });
    const ids = (await probeRows(ds)).map((r) => r.id);
    expect(ids).not.toContain(106);
    expect(ids).not.toContain(107);
  });

  it('after a transaction SQLite ended by itself (as on SQLITE_FULL at COMMIT), the connection is reset: the next transactions really commit', async () => {
    const db = sqliteConnectionOf(ds)!;
    const rollbackBehindTypeorm = () => new Promise<void>((done, fail) => db.exec('ROLLBACK', (err) => (err ? fail(err) : done())));
    const e = await refusal(
      storeTransaction(ds, async (tx) => {
        await insertProbeRow(110, 'lost')(tx);
        await rollbackBehindTypeorm();
      }),
    );
    // COMMIT found no transaction: the driver's own error (not a storage fault), the store stays ok.
    expect(e).not.toBeInstanceOf(StorageError);
    expect((e as Error).message).toBe('SQLITE_ERROR: cannot commit - no transaction is active');
    expect(storeHealth(ds)).toEqual({ status: 'ok' });
    expect(ds.createQueryRunner().isTransactionActive).toBe(false);
    // Two transactions in a row: neither is refused as nested, neither becomes a savepoint of a lost one.
    await storeTransaction(ds, insertProbeRow(111, 'kept'));
    await storeTransaction(ds, insertProbeRow(112, 'kept too'));
    expect(ds.createQueryRunner().isTransactionActive).toBe(false);
    // Read through an independent connection: only what was committed is visible there.
    const other = new sqlite3.Database(path.join(issuer.dataDir, 'issuer', 'issuer.sqlite'), sqlite3.OPEN_READONLY);
    try {
      const seen = await new Promise<{ id: number }[]>((done, fail) =>
        other.all(`SELECT "id" FROM "store_probe" WHERE "id" >= 110 ORDER BY "id"`, (err, rows: { id: number }[]) => (err ? fail(err) : done(rows))),
      );
      expect(seen.map((r) => r.id)).toEqual([111, 112]);
    } finally {
      await new Promise((done) => other.close(done));
    }
  });
});

describe(`the health probe (issuer/store/probe.ts): at most once every PROBE_INTERVAL_MS (${PROBE_INTERVAL_MS} ms)`, () => {
  // The probe remembers its last `now` per store: each test of the shared store takes times past
  // every one given before, so that no test depends on which others ran.
  let horizon = 0;
  const probe = (now: number) => {
    horizon = Math.max(horizon, now);
    return probeStoreHealth(ds, now);
  };
  /** A `now` well past the real clock and every probe time used so far. */
  const future = () => Math.max(Date.now(), horizon) + 10 * PROBE_INTERVAL_MS;

  it('PROBE_INTERVAL_MS is one second', () => {
    expect(PROBE_INTERVAL_MS).toBe(1000);
  });

  it('not within PROBE_INTERVAL_MS after the last failed write (the answer is known); at that interval it probes and recovers', async () => {
    const fresh = await initTestIssuer(); // a store never probed
    try {
      const d = fresh.ctx.dataSource;
      await failedWrite(d);
      const degraded = storeHealth(d);
      const failedAt = lastStoreFailure(d)!;
      // Writes work again (query_only is off), but right after the failure the probe does not write.
      expect(await probeStoreHealth(d, failedAt + PROBE_INTERVAL_MS - 1)).toEqual(degraded);
      expect(await probeRows(d)).toEqual([]);
      expect(await probeStoreHealth(d, failedAt + PROBE_INTERVAL_MS)).toEqual({ status: 'ok' });
      expect(storeHealth(d)).toEqual({ status: 'ok' });
      expect(await probeRows(d)).toEqual([{ id: 1, at: new Date(failedAt + PROBE_INTERVAL_MS).toISOString() }]);
    } finally {
      await fresh.close();
    }
  });

  it('a healthy SQLite store is not probed: ok, no write, and a later probe of a degraded store is not held back by it', async () => {
    const t = future();
    const before = await probeRows(ds);
    expect(await probe(t)).toEqual({ status: 'ok' });
    expect(await probeRows(ds)).toEqual(before);
    await failedWrite(ds);
    // Half an interval after that call: it was no probe, so this one runs.
    expect(await probe(t + PROBE_INTERVAL_MS / 2)).toEqual({ status: 'ok' });
    expect((await probeRows(ds)).find((r) => r.id === 1)).toEqual({ id: 1, at: new Date(t + PROBE_INTERVAL_MS / 2).toISOString() });
  });

  it('a failing probe keeps the store degraded (since kept, last failure renewed); the next probe waits PROBE_INTERVAL_MS after it', async () => {
    await failedWrite(ds);
    const degraded = storeHealth(ds);
    const firstFailure = lastStoreFailure(ds)!;
    while (Date.now() <= firstFailure) await sleep(2);
    const t = future();
    // Still read-only: the probe's write fails, the probe itself does not throw.
    expect(await readOnly(ds, () => probe(t))).toEqual(degraded);
    expect(lastStoreFailure(ds)).toBeGreaterThan(firstFailure);
    // Writes work again, but the last probe was less than PROBE_INTERVAL_MS ago.
    expect(await probe(t + PROBE_INTERVAL_MS - 1)).toEqual(degraded);
    expect(await probe(t + PROBE_INTERVAL_MS)).toEqual({ status: 'ok' });
    expect(lastStoreFailure(ds)).toBeUndefined();
  });

  it('the probe rewrites its one row (id 1) with the time of the probe', async () => {
    for (const step of [0, 1]) {
      await failedWrite(ds);
      const t = future();
      expect(await probe(t)).toEqual({ status: 'ok' });
      const rows = (await probeRows(ds)).filter((r) => r.id === 1);
      expect({ step, rows }).toEqual({ step, rows: [{ id: 1, at: new Date(t).toISOString() }] });
    }
  });
});
