import type { MigrationInterface, QueryRunner } from 'typeorm';
import { ddl } from '../dialect.js';

/**
 * Our KMS's table: private keys sealed with AES-256-GCM (issuer/secrets/seal.ts). Veramo's own
 * `private-key` table stays empty: Veramo's kms-local is not used.
 */
export class CreateNetcredPrivateKeys1764000000001 implements MigrationInterface {
  name = 'CreateNetcredPrivateKeys1764000000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      ddl(
        q,
        `CREATE TABLE "netcred_private_key" (
        "kid" varchar PRIMARY KEY NOT NULL,
        "type" varchar NOT NULL,
        "public_key_hex" varchar NOT NULL,
        "sealed" text NOT NULL,
        "created_at" varchar NOT NULL
      )`,
      ),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(ddl(q, `DROP TABLE "netcred_private_key"`));
  }
}

/** TypeORM migrations of our KMS table; listed in issuer/store/data-source.ts. */
export const keyMigrations = [CreateNetcredPrivateKeys1764000000001];
