import type { MigrationInterface, QueryRunner } from 'typeorm';
import { ddl } from '../dialect.js';

/**
 * One row per issued credential, and nothing personal: no claim values. `subject_ref` is an
 * HMAC of the id_number under a key derived from the issuer secret, so a re-issue finds the
 * earlier credential (to revoke it) without the number being stored. Times are epoch seconds,
 * the same values as the credential's `iat` and `exp`. `superseded_by` is checked at commit, so
 * a transaction may supersede earlier records before inserting the new one. See docs/issuer-data.md.
 */
export class CreateIssuanceRecord1764100000000 implements MigrationInterface {
  name = 'CreateIssuanceRecord1764100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      ddl(
        q,
        `CREATE TABLE "issuance_record" (
      "id" TEXT PRIMARY KEY NOT NULL,
      "vct" TEXT NOT NULL,
      "format" TEXT NOT NULL CHECK ("format" IN ('dc+sd-jwt', 'vc+sd-jwt')),
      "subject_ref" TEXT NOT NULL,
      "holder_did" TEXT NOT NULL,
      "holder_thumbprint" TEXT NOT NULL,
      "issued_at" INTEGER NOT NULL,
      "expires_at" INTEGER NOT NULL,
      "superseded_by" TEXT REFERENCES "issuance_record" ("id") DEFERRABLE INITIALLY DEFERRED
    )`,
      ),
    );
    // Re-issue: the current credentials of one subject and type.
    await q.query(ddl(q, `CREATE INDEX "issuance_record_subject" ON "issuance_record" ("vct", "subject_ref") WHERE "superseded_by" IS NULL`));
    // Lost device: every credential bound to one holder key.
    await q.query(ddl(q, `CREATE INDEX "issuance_record_holder_key" ON "issuance_record" ("holder_thumbprint")`));
    await q.query(ddl(q, `CREATE INDEX "issuance_record_holder_did" ON "issuance_record" ("holder_did")`));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(ddl(q, `DROP TABLE "issuance_record"`));
  }
}

/** TypeORM migrations of the issuance record tables; listed in issuer/store/data-source.ts. */
export const issuanceMigrations: Array<new () => MigrationInterface> = [CreateIssuanceRecord1764100000000];
