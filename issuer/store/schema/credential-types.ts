import type { MigrationInterface, QueryRunner } from 'typeorm';
import { ddl } from '../dialect.js';

/**
 * Credential types an operator registered (`netcred issuer type add DIR`,
 * issuer/credential-types/): one row per vct holding the checked definition (type.json members,
 * JSON Schema, type metadata, profiles) as JSON text. Plain SQL both SQLite and PostgreSQL take.
 */
export class CredentialTypeTable1797300000000 implements MigrationInterface {
  name = 'CredentialTypeTable1797300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      ddl(
        q,
        `CREATE TABLE "credential_type" (
      "vct" varchar PRIMARY KEY NOT NULL,
      "name" varchar NOT NULL,
      "definition" text NOT NULL,
      "registered_at" integer NOT NULL
    )`,
      ),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(ddl(q, `DROP TABLE "credential_type"`));
  }
}

/** TypeORM migrations of the credential type table; listed in issuer/store/data-source.ts. */
export const credentialTypeMigrations: Array<new () => MigrationInterface> = [CredentialTypeTable1797300000000];
