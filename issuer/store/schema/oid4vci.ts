import type { MigrationInterface, QueryRunner } from 'typeorm';
import { ddl } from '../dialect.js';

/**
 * OpenID4VCI state in the issuer's SQLite file. Every secret (pre-authorized code, access
 * token, c_nonce) is stored only as its SHA-256; tx_codes as an HMAC under a derived key.
 * Claims (and the offer, for credential_offer_uri) wait encrypted (AES-256-GCM) and are
 * erased once redeemed/issued, burned or expired.
 */
export class Oid4vciTables1764230400000 implements MigrationInterface {
  name = 'Oid4vciTables1764230400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      ddl(
        q,
        `CREATE TABLE "oid4vci_offer" (
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
    )`,
      ),
    );
    await q.query(ddl(q, `CREATE INDEX "idx_oid4vci_offer_expiry" ON "oid4vci_offer" ("state", "expires_at")`));
    await q.query(
      ddl(
        q,
        `CREATE TABLE "oid4vci_access_token" (
      "token_hash" varchar PRIMARY KEY NOT NULL,
      "offer_id" varchar NOT NULL REFERENCES "oid4vci_offer" ("id") ON DELETE CASCADE,
      "created_at" integer NOT NULL,
      "expires_at" integer NOT NULL,
      "used_at" integer
    )`,
      ),
    );
    await q.query(
      ddl(
        q,
        `CREATE TABLE "oid4vci_nonce" (
      "nonce_hash" varchar PRIMARY KEY NOT NULL,
      "expires_at" integer NOT NULL
    )`,
      ),
    );
    await q.query(ddl(q, `CREATE INDEX "idx_oid4vci_nonce_expiry" ON "oid4vci_nonce" ("expires_at")`));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(ddl(q, `DROP TABLE "oid4vci_nonce"`));
    await q.query(ddl(q, `DROP TABLE "oid4vci_access_token"`));
    await q.query(ddl(q, `DROP TABLE "oid4vci_offer"`));
  }
}

/**
 * The authorization code flow (PAR, PKCE, DPoP, wallet attestation). `oid4vci_authorization`: one
 * row per pushed authorization request, from its `request_uri` (SHA-256) through the browser
 * session that used it, the admin approval that binds it to an enrollment (`offer_id`), the
 * authorization code (SHA-256, with its PKCE challenge and DPoP key) and its redemption.
 * Access tokens learn the DPoP key they are bound to (`dpop_jkt`, RFC 9449 `cnf.jkt`), the
 * authorization they came from and when they were revoked (a reused code revokes them).
 * `oid4vci_jti`: the DPoP proof and client attestation PoP ids seen, until they could no longer
 * be accepted anyway, so a replay fails even after a restart or in another process. Offers can
 * carry the authorization_code grant: `issuer_state_hash` (SHA-256 of its issuer_state).
 */
export class Oid4vciAuthorizationCode1796515200000 implements MigrationInterface {
  name = 'Oid4vciAuthorizationCode1796515200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      ddl(
        q,
        `CREATE TABLE "oid4vci_authorization" (
      "id" varchar PRIMARY KEY NOT NULL,
      "request_uri_hash" varchar NOT NULL UNIQUE,
      "client_id" varchar NOT NULL,
      "redirect_uri" text NOT NULL,
      "client_state" text,
      "code_challenge" varchar NOT NULL,
      "configuration_id" varchar,
      "issuer_state_hash" varchar,
      "dpop_jkt" varchar,
      "via_par" integer NOT NULL,
      "status" varchar NOT NULL,
      "session_hash" varchar,
      "offer_id" varchar REFERENCES "oid4vci_offer" ("id") ON DELETE SET NULL,
      "code_hash" varchar UNIQUE,
      "created_at" integer NOT NULL,
      "expires_at" integer NOT NULL,
      "decided_at" integer,
      "code_expires_at" integer,
      "redeemed_at" integer,
      "reused_at" integer
    )`,
      ),
    );
    await q.query(ddl(q, `CREATE INDEX "idx_oid4vci_authorization_expiry" ON "oid4vci_authorization" ("status", "expires_at")`));
    await q.query(ddl(q, `ALTER TABLE "oid4vci_access_token" ADD COLUMN "dpop_jkt" varchar`));
    await q.query(ddl(q, `ALTER TABLE "oid4vci_access_token" ADD COLUMN "authorization_id" varchar`));
    await q.query(ddl(q, `ALTER TABLE "oid4vci_access_token" ADD COLUMN "revoked_at" integer`));
    await q.query(
      ddl(q, `CREATE INDEX "idx_oid4vci_access_token_authorization" ON "oid4vci_access_token" ("authorization_id") WHERE "authorization_id" IS NOT NULL`),
    );
    await q.query(ddl(q, `ALTER TABLE "oid4vci_offer" ADD COLUMN "issuer_state_hash" varchar`));
    await q.query(
      ddl(q, `CREATE UNIQUE INDEX "idx_oid4vci_offer_issuer_state" ON "oid4vci_offer" ("issuer_state_hash") WHERE "issuer_state_hash" IS NOT NULL`),
    );
    await q.query(
      ddl(
        q,
        `CREATE TABLE "oid4vci_jti" (
      "jti_hash" varchar PRIMARY KEY NOT NULL,
      "expires_at" integer NOT NULL
    )`,
      ),
    );
    await q.query(ddl(q, `CREATE INDEX "idx_oid4vci_jti_expiry" ON "oid4vci_jti" ("expires_at")`));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(ddl(q, `DROP TABLE "oid4vci_jti"`));
    await q.query(ddl(q, `DROP INDEX "idx_oid4vci_offer_issuer_state"`));
    await q.query(ddl(q, `ALTER TABLE "oid4vci_offer" DROP COLUMN "issuer_state_hash"`));
    await q.query(ddl(q, `DROP INDEX "idx_oid4vci_access_token_authorization"`));
    await q.query(ddl(q, `ALTER TABLE "oid4vci_access_token" DROP COLUMN "revoked_at"`));
    await q.query(ddl(q, `ALTER TABLE "oid4vci_access_token" DROP COLUMN "authorization_id"`));
    await q.query(ddl(q, `ALTER TABLE "oid4vci_access_token" DROP COLUMN "dpop_jkt"`));
    await q.query(ddl(q, `DROP TABLE "oid4vci_authorization"`));
  }
}

/** TypeORM migrations of the OpenID4VCI tables; listed in issuer/store/data-source.ts. */
export const oid4vciMigrations: Array<new () => MigrationInterface> = [Oid4vciTables1764230400000, Oid4vciAuthorizationCode1796515200000];
