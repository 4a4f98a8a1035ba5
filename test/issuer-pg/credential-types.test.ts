import { generateKeyPairSync } from 'node:crypto';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeSdJwt, didKeyFromJwk, publicJwkOf } from '../../core/index.js';
import { initIssuer, issueCredential, listCredentialTypes, openIssuer, registerCredentialType } from '../../issuer/index.js';
import { repoRoot } from '../helpers/cli.js';
import { TEST_ISSUER_ADMIN_TOKEN, TEST_ISSUER_SECRET } from '../helpers/issuer.js';
import { tempDir } from '../helpers/tmp.js';
import { createTestDatabase, requirePostgres, type TestDatabase } from './helpers.js';

/** Registered credential types (issue 15) on a PostgreSQL store: the credential_type migration, registration, replacement and issuance. */

const FILE = 'test/issuer-pg/credential-types.test.ts';
const ok = await requirePostgres(FILE);
const EXAMPLE = path.join(repoRoot, 'docs/examples/library-card');
const VCT = 'https://library.example/vct/library-card/1';

describe.runIf(ok)('registered credential types on PostgreSQL', { timeout: 120_000 }, () => {
  let db: TestDatabase;
  const dir = tempDir('netcred-pg-types-');
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await db?.drop();
    dir.cleanup();
  });

  it('registers the library card, lists it after a reopen, replaces it, and issues it with its claims disclosable', async () => {
    const ctx = await initIssuer({ dataDir: dir.dir, secret: TEST_ISSUER_SECRET, adminToken: TEST_ISSUER_ADMIN_TOKEN, store: db.url });
    await registerCredentialType(ctx, EXAMPLE, { now: new Date('2026-12-01T00:00:00Z') });
    await ctx.close();
    const again = await openIssuer({ dataDir: dir.dir, secret: TEST_ISSUER_SECRET });
    try {
      expect((await listCredentialTypes(again)).find((t) => t.vct === VCT)).toMatchObject({ registeredAt: 1796083200, profiles: ['borrow'] });
      await expect(registerCredentialType(again, EXAMPLE)).rejects.toMatchObject({ code: 'INVALID_INPUT' });
      await registerCredentialType(again, EXAMPLE, { replace: true, now: new Date('2026-12-02T00:00:00Z') });
      expect((await listCredentialTypes(again)).find((t) => t.vct === VCT)?.registeredAt).toBe(1796169600);
      const holder = didKeyFromJwk(publicJwkOf(generateKeyPairSync('ed25519').privateKey));
      const claims = { member_name: 'Ada Lovelace', card_number: 'LB123456', valid_until: '2030-12-31' };
      const first = await issueCredential(again, { holderDid: holder, claims, vct: VCT });
      expect(
        decodeSdJwt(first.credential)
          .disclosures.map((d) => d.name)
          .sort(),
      ).toEqual(['card_number', 'member_name', 'sub', 'valid_until']);
      // subject_claim card_number: the same card issued again supersedes the first.
      await issueCredential(again, { holderDid: holder, claims, vct: VCT });
      const rows = await db.query<{ id: string; superseded_by: string | null }>(
        `SELECT "id", "superseded_by" FROM "issuance_record" WHERE "vct" = $1 ORDER BY "id"`,
        [VCT],
      );
      expect(rows).toHaveLength(2);
      expect(rows[0]!.superseded_by).toBe(rows[1]!.id);
    } finally {
      await again.close();
    }
  });
});
