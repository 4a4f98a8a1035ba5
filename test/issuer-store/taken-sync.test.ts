import { generateKeyPairSync } from 'node:crypto';
import path from 'node:path';
import sqlite3 from 'sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { didKeyFromJwk, publicJwkOf } from '../../core/index.js';
import { initIssuer, issueCredential } from '../../issuer/index.js';
import { sampleIdentityClaims } from '../../schemas/index.js';
// Internals on purpose: how a process learns which status indexes other processes took.
import { reservedIndexesTaken } from '../../issuer/status/index.js';
import { TEST_ISSUER_ADMIN_TOKEN, TEST_ISSUER_SECRET } from '../helpers/issuer.js';
import { tempDir } from '../helpers/tmp.js';

const tmp = tempDir('netcred-taken-sync-');
afterAll(() => tmp.cleanup());

const run = (db: sqlite3.Database, sql: string, params: unknown[] = []) =>
  new Promise<void>((done, fail) => db.run(sql, params, (e) => (e ? fail(e) : done())));

describe('indexes another process took, on SQLite (the rowid order, as "added" on PostgreSQL)', () => {
  it('are found among reserved ones by reading only the rows inserted since the last look', async () => {
    const ctx = await initIssuer({ dataDir: tmp.dir, secret: TEST_ISSUER_SECRET, adminToken: TEST_ISSUER_ADMIN_TOKEN });
    const other = new sqlite3.Database(path.join(tmp.dir, 'issuer', 'issuer.sqlite'));
    try {
      const holder = didKeyFromJwk(publicJwkOf(generateKeyPairSync('ed25519').privateKey));
      await issueCredential(ctx, { holderDid: holder, claims: sampleIdentityClaims() });
      const [{ id: listId }] = (await ctx.dataSource.query('SELECT MAX("id") AS "id" FROM "status_list"')) as [{ id: number }];
      const used = ((await ctx.dataSource.query('SELECT "idx" FROM "status_entry" WHERE "list_id" = ?', [listId])) as { idx: number }[]).map((r) => r.idx);
      const free = [0, 1, 2, 3, 4, 5].filter((i) => !used.includes(i)).slice(0, 4) as [number, number, number, number];
      // First look: everything stored so far.
      expect([...(await reservedIndexesTaken(ctx.dataSource.manager, listId, [...used, ...free]))].sort()).toEqual([...used].sort());
      // Another process takes two of the free indexes.
      await run(other, 'PRAGMA busy_timeout = 30000');
      for (const [n, idx] of [free[0], free[2]].entries())
        await run(other, `INSERT INTO "status_entry" ("credential_id", "list_id", "idx", "status", "reason", "updated_at") VALUES (?, ?, ?, 0, NULL, ?)`, [
          `urn:uuid:other-${n}`,
          listId,
          idx,
          new Date().toISOString(),
        ]);
      expect([...(await reservedIndexesTaken(ctx.dataSource.manager, listId, free))].sort()).toEqual([free[0], free[2]].sort());
    } finally {
      await new Promise((done) => other.close(done));
      await ctx.close();
    }
  });
});
