import { createHash, generateKeyPairSync } from 'node:crypto';
import { copyFileSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import sqlite3 from 'sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initIssuer, issueCredential, openIssuer } from '../../issuer/index.js';
import { sampleIdentityClaims } from '../../schemas/index.js';
import { runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';

const SECRET = 'test-secret-for-store-corrupt-0123456789';
let dir: string;
let cleanup: () => void;
let good: string;
const database = () => path.join(dir, 'issuer', 'issuer.sqlite');
const sha256 = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

beforeAll(async () => {
  ({ dir, cleanup } = tempDir('netcred-store-corrupt-'));
  const ctx = await initIssuer({ dataDir: dir, secret: SECRET, adminToken: 'store-corrupt-admin-token-0123456789' });
  for (let i = 0; i < 40; i++) {
    const { publicKey } = generateKeyPairSync('ed25519');
    const did = `did:jwk:${Buffer.from(JSON.stringify({ kty: 'OKP', crv: 'Ed25519', x: publicKey.export({ format: 'jwk' }).x })).toString('base64url')}`;
    await issueCredential(ctx, { holderDid: did, claims: sampleIdentityClaims({ birthdate: `19${50 + i}-02-03` }) });
  }
  await ctx.close(); // checkpoints the WAL into the file
  good = `${database()}.good`;
  copyFileSync(database(), good);
});
afterAll(() => cleanup?.());

function foreignSqlite(file: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const db = new sqlite3.Database(file, (err) => {
      if (err) return reject(err);
      db.exec(`CREATE TABLE "orders" ("id" INTEGER PRIMARY KEY, "item" TEXT); INSERT INTO "orders" VALUES (1, 'tea');`, (e) =>
        db.close(() => (e ? reject(e) : resolve())),
      );
    });
  });
}

const cases: [string, () => Promise<void> | void, RegExp][] = [
  ['a 0-byte file', () => writeFileSync(database(), ''), /empty \(0 bytes\)/],
  [
    'a truncated file',
    () => {
      copyFileSync(good, database());
      truncateSync(database(), Math.floor(readFileSync(good).length / 2));
    },
    /truncated/,
  ],
  ['a file that is not SQLite', () => writeFileSync(database(), Buffer.alloc(8192, 0x42)), /not a SQLite database/],
  [
    'a SQLite database of someone else',
    async () => {
      rmSync(database());
      await foreignSqlite(database());
    },
    /not a netcred issuer store/,
  ],
];

describe('a database file that is not a healthy netcred store: STORE_CORRUPT, the file untouched', () => {
  for (const [name, make, message] of cases) {
    it(name, async () => {
      await make();
      const before = sha256(database());
      await expect(openIssuer({ dataDir: dir, secret: SECRET })).rejects.toMatchObject({ code: 'STORE_CORRUPT', message: expect.stringMatching(message) });
      // The CLI: exit 2, the code, and what to do.
      const shown = await runCli(['issuer', 'show', '--data', dir], { env: { NETCRED_SECRET: SECRET } });
      expect(shown.code).toBe(2);
      expect(shown.stderr).toMatch(/^error STORE_CORRUPT: .*restore the data directory from a backup/m);
      expect(sha256(database()), 'the file is left exactly as it was').toBe(before);
    });
  }

  it('the healthy file opens as before', async () => {
    copyFileSync(good, database());
    const ctx = await openIssuer({ dataDir: dir, secret: SECRET });
    const n = ((await ctx.dataSource.query(`SELECT COUNT(*) AS n FROM "issuance_record"`)) as { n: number }[])[0]!.n;
    expect(Number(n)).toBe(40);
    await ctx.close();
  });
});
