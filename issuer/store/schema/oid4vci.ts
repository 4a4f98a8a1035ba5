import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * OpenID4VCI state in the issuer's SQLite file. Every secret (pre-authorized code, access
 * token, c_nonce) is stored only as its SHA-256; tx_codes as an HMAC under a derived key.
 * Claims (and the offer, for credential_offer_uri) wait encrypted (AES-256-GCM) and are
 * erased once redeemed/issued, burned or expired.
 */
export class Oid4vciTables1764230400000 implements MigrationInterface {
  name = 'Oid4vciTables1764230400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "oid4vci_offer" (
      "id" varchar PRIMARY KEY NOT NULL,
      "code_hash" varchar NOT NULL UNIQUE,
      "tx_code_mac" varchar,
      "tx_failures" integer NOT NULL DEFAULT (0),
      "configuration_id" varchar NOT NULL,
      "claims_sealed" text,
      "offer_sealed" text,
      "evidence" text NOT NULL,
      "state" varchar NOT NULL,
      "created_at" integer NOT NULL,
      "expires_at" integer NOT NULL,
      "redeemed_at" integer,
      "issued_at" integer,
      "credential_ids" text
    )`);
    await q.query(`CREATE INDEX "idx_oid4vci_offer_expiry" ON "oid4vci_offer" ("state", "expires_at")`);
    await q.query(`CREATE TABLE "oid4vci_access_token" (
      "token_hash" varchar PRIMARY KEY NOT NULL,
      "offer_id" varchar NOT NULL REFERENCES "oid4vci_offer" ("id") ON DELETE CASCADE,
      "created_at" integer NOT NULL,
      "expires_at" integer NOT NULL,
      "used_at" integer
    )`);
    await q.query(`CREATE TABLE "oid4vci_nonce" (
      "nonce_hash" varchar PRIMARY KEY NOT NULL,
      "expires_at" integer NOT NULL
    )`);
    await q.query(`CREATE INDEX "idx_oid4vci_nonce_expiry" ON "oid4vci_nonce" ("expires_at")`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "oid4vci_nonce"`);
    await q.query(`DROP TABLE "oid4vci_access_token"`);
    await q.query(`DROP TABLE "oid4vci_offer"`);
  }
}

/** TypeORM migrations of the OpenID4VCI tables; listed in issuer/store/data-source.ts. */
export const oid4vciMigrations: Array<new () => MigrationInterface> = [Oid4vciTables1764230400000];
