import type { MigrationInterface, QueryRunner } from 'typeorm';
import { ddl, isPostgres } from '../dialect.js';

/**
 * Status store. A list row holds its URI (stored: a credential keeps pointing at it even if the
 * public URL changes), size, bits, how many indexes were handed out and a `version` bumped in the
 * same transaction as every status change, so a publisher in any process can tell whether its
 * signed token is stale with one indexed read. A changed entry's `seq` is the list version of
 * its last change, so a publisher holding version v applies only the entries with seq > v. The
 * list bytes are always derived from the entries, so they can never disagree with the records.
 */
export class CreateStatusTables1795737600000 implements MigrationInterface {
  name = 'CreateStatusTables1795737600000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      ddl(
        q,
        `CREATE TABLE "status_list" (
      "id" INTEGER PRIMARY KEY NOT NULL,
      "uri" TEXT NOT NULL UNIQUE,
      "size" INTEGER NOT NULL CHECK ("size" > 0),
      "bits" INTEGER NOT NULL CHECK ("bits" IN (1, 2, 4, 8)),
      "allocated" INTEGER NOT NULL DEFAULT 0,
      "version" INTEGER NOT NULL DEFAULT 0,
      "created_at" TEXT NOT NULL
    )`,
      ),
    );
    await q.query(
      ddl(
        q,
        `CREATE TABLE "status_entry" (
      "credential_id" TEXT PRIMARY KEY NOT NULL,
      "list_id" INTEGER NOT NULL REFERENCES "status_list" ("id"),
      "idx" INTEGER NOT NULL CHECK ("idx" >= 0),
      "status" INTEGER NOT NULL DEFAULT 0 CHECK ("status" IN (0, 1, 2)),
      "reason" TEXT,
      "updated_at" TEXT NOT NULL,
      "seq" INTEGER NOT NULL DEFAULT 0,
      CONSTRAINT "status_entry_list_idx" UNIQUE ("list_id", "idx")
    )`,
      ),
    );
    // Building a list from scratch reads only its non-valid entries.
    await q.query(ddl(q, `CREATE INDEX "status_entry_set" ON "status_entry" ("list_id", "idx") WHERE "status" != 0`));
    // A publisher that already holds version v of a list reads only the entries changed after v.
    await q.query(ddl(q, `CREATE INDEX "status_entry_seq" ON "status_entry" ("list_id", "seq") WHERE "seq" > 0`));
    await q.query(
      ddl(
        q,
        `CREATE TABLE "status_audit" (
      "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
      "credential_id" TEXT NOT NULL,
      "from_status" INTEGER NOT NULL,
      "to_status" INTEGER NOT NULL,
      "reason" TEXT NOT NULL,
      "actor" TEXT NOT NULL,
      "at" TEXT NOT NULL
    )`,
      ),
    );
    await q.query(ddl(q, `CREATE INDEX "status_audit_credential" ON "status_audit" ("credential_id", "id")`));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(ddl(q, `DROP TABLE "status_audit"`));
    await q.query(ddl(q, `DROP TABLE "status_entry"`));
    await q.query(ddl(q, `DROP TABLE "status_list"`));
  }
}

/**
 * PostgreSQL only: the order in which entries were inserted (`added`, from a sequence). Every
 * insert runs under the store's write lock, so `added` grows in commit order, and an issuer
 * process learns the indexes other processes took since it last looked with one indexed read of
 * the new rows (issuer/status/reservations.ts syncTakenIndexes). On SQLite nothing changes: one
 * file, and a conflict there costs a retried statement, not the transaction.
 */
export class StatusEntryInsertOrder1797100000000 implements MigrationInterface {
  name = 'StatusEntryInsertOrder1797100000000';

  async up(q: QueryRunner): Promise<void> {
    if (!isPostgres(q.connection)) return;
    await q.query(`ALTER TABLE "status_entry" ADD COLUMN "added" BIGSERIAL`);
    await q.query(`CREATE INDEX "status_entry_added" ON "status_entry" ("list_id", "added")`);
  }

  async down(q: QueryRunner): Promise<void> {
    if (!isPostgres(q.connection)) return;
    await q.query(`ALTER TABLE "status_entry" DROP COLUMN "added"`);
  }
}

/** TypeORM migrations of the status tables; listed in issuer/store/data-source.ts. */
export const statusMigrations: Array<new () => MigrationInterface> = [CreateStatusTables1795737600000, StatusEntryInsertOrder1797100000000];
