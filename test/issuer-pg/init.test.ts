import { generateKeyPairSync } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { didKeyFromJwk, publicJwkOf } from '../../core/index.js';
import { credentialStatus, initIssuer, issueCredential, issuerPaths, openIssuer } from '../../issuer/index.js';
import { sampleIdentityClaims } from '../../schemas/index.js';
import { TEST_ISSUER_ADMIN_TOKEN, TEST_ISSUER_SECRET } from '../helpers/issuer.js';
import { runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';
import { createTestDatabase, requirePostgres, type TestDatabase } from './helpers.js';

/**
 * `issuer init --store`: the URL checked, recorded in config.json (no SQLite file made), a database
 * that already holds an issuer refused, the issuer opened again from its config, its keys sealed
 * in the database as on SQLite.
 */

const FILE = 'test/issuer-pg/init.test.ts';

describe('issuer init --store: the URL', () => {
  it('refuses what is not a postgres:// URL naming a database (INVALID_INPUT, exit 2), before creating anything', async () => {
    const tmp = tempDir('netcred-pg-url-');
    try {
      for (const bad of ['http://127.0.0.1:5432/db', 'postgres://127.0.0.1:5432', 'not a url']) {
        await expect(initIssuer({ dataDir: tmp.dir, secret: TEST_ISSUER_SECRET, store: bad })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
      }
      expect(existsSync(path.join(tmp.dir, 'issuer'))).toBe(false);
      const cli = await runCli(['issuer', 'init', '--data', tmp.dir, '--store', 'mysql://h/db'], { env: { NETCRED_SECRET: TEST_ISSUER_SECRET } });
      expect(cli.code).toBe(2);
      expect(cli.stderr).toContain('INVALID_INPUT');
    } finally {
      tmp.cleanup();
    }
  });
});

const ok = await requirePostgres(FILE);

describe.runIf(ok)('issuer init --store on PostgreSQL', { timeout: 120_000 }, () => {
  let db: TestDatabase;
  const first = tempDir('netcred-pg-init-');
  const second = tempDir('netcred-pg-init2-');

  beforeAll(async () => {
    db = await createTestDatabase();
  });

  afterAll(async () => {
    await db?.drop();
    first.cleanup();
    second.cleanup();
  });

  it('records the database in config.json, makes no SQLite file, opens again from the config and keeps the keys sealed in the database', async () => {
    const ctx = await initIssuer({ dataDir: first.dir, secret: TEST_ISSUER_SECRET, adminToken: TEST_ISSUER_ADMIN_TOKEN, store: db.url });
    const holder = didKeyFromJwk(publicJwkOf(generateKeyPairSync('ed25519').privateKey));
    const issued = await issueCredential(ctx, { holderDid: holder, claims: sampleIdentityClaims() });
    await ctx.close();
    const paths = issuerPaths(first.dir);
    expect(existsSync(paths.database)).toBe(false);
    expect(JSON.parse(readFileSync(paths.config, 'utf8')).store).toBe(db.url);
    const again = await openIssuer({ dataDir: first.dir, secret: TEST_ISSUER_SECRET });
    try {
      expect((await credentialStatus(again, issued.id)).status).toBe('valid');
    } finally {
      await again.close();
    }
    const keys = await db.query<{ sealed: string }>('SELECT "sealed" FROM "netcred_private_key"');
    expect(keys.length).toBeGreaterThan(0);
    // Sealed (AES-256-GCM): no JWK, no private key material in clear.
    for (const k of keys) expect(k.sealed).not.toMatch(/"d"\s*:|PRIVATE KEY/);
  });

  it('refuses a database that already holds an issuer (ISSUER_EXISTS) and leaves no issuer in the new data dir', async () => {
    await expect(initIssuer({ dataDir: second.dir, secret: TEST_ISSUER_SECRET, store: db.url })).rejects.toMatchObject({ code: 'ISSUER_EXISTS' });
    expect(existsSync(issuerPaths(second.dir).config)).toBe(false);
    const identifiers = await db.query<{ n: number }>('SELECT COUNT(*)::int AS "n" FROM "identifier"');
    expect(identifiers[0]!.n).toBe(1);
  });
});
