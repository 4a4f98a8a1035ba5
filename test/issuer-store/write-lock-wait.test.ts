import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sqlite3 from 'sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { initIssuer } from '../../issuer/index.js';
// Internals on purpose: this file tests how the issuer store's write transactions take SQLite's lock.
import { writeTransaction } from '../../issuer/store/write-lock.js';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const exec = (db: sqlite3.Database, sql: string) => new Promise<void>((done, fail) => db.exec(sql, (e) => (e ? fail(e) : done())));

describe('a write transaction while another process holds the write lock', () => {
  it('waits for the lock and commits, even when it reads before it writes (CI flake: SQLITE_BUSY at once, a 503)', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'netcred-lock-wait-'));
    dirs.push(dir);
    const ctx = await initIssuer({ dataDir: dir, secret: 'lock-wait-secret-0123456789abcdef', adminToken: 'lock-wait-admin-token-0123456789' });
    // Another connection stands for another issuer process (an --workers sibling, a CLI).
    const other = new sqlite3.Database(path.join(dir, 'issuer', 'issuer.sqlite'));
    try {
      await exec(other, 'PRAGMA busy_timeout = 30000');
      await exec(other, 'BEGIN IMMEDIATE');
      await exec(other, `INSERT INTO "store_probe" ("id", "at") VALUES (1, 'other process')`);
      let settled = false;
      const ours = writeTransaction(ctx.dataSource, async (tx) => {
        // A read first (as a request's read that lands on the process's one connection would).
        const before = (await tx.query(`SELECT COUNT(*) AS "n" FROM "store_probe"`)) as { n: number }[];
        await tx.query(`INSERT INTO "store_probe" ("id", "at") VALUES (2, ?)`, [`after ${before[0]!.n}`]);
      }).finally(() => {
        settled = true;
      });
      // Give ours time to reach SQLite: it must be waiting, not failed.
      await new Promise((r) => setTimeout(r, 300));
      expect(settled).toBe(false);
      await exec(other, 'COMMIT');
      await ours;
      const rows = (await ctx.dataSource.query(`SELECT "id", "at" FROM "store_probe" ORDER BY "id"`)) as { id: number; at: string }[];
      // Ours ran after the other commit, and saw it.
      expect(rows).toEqual([
        { id: 1, at: 'other process' },
        { id: 2, at: 'after 1' },
      ]);
    } finally {
      await new Promise((done) => other.close(done));
      await ctx.close();
    }
  });
});
