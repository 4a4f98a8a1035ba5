import type { EntityManager } from 'typeorm';
import { NetcredError } from '../../core/errors.js';
import type { IssuerContext } from '../context.js';
import { affectedRows } from '../store/affected-rows.js';
import { listUri } from './list-uris.js';
import { STATUS_BITS, statusListSizeOf } from './list-size.js';
import { insertList, latestList, type ListRow } from './store.js';

/**
 * A new list opens once this share of a list is handed out: random indexes then still hit a
 * free slot in a few tries, and the last entries of a list are never "the next ones".
 */
export const LIST_FILL_LIMIT = 0.75;

/**
 * Counts `count` allocations against the newest list if it still has room, else opens a new list
 * with them. The UPDATE comes first so the transaction holds SQLite's write lock from its first
 * statement. A list may exceed its fill limit by at most one batch.
 */
export async function claimNewestList(ctx: IssuerContext, tx: EntityManager, count: number): Promise<ListRow> {
  const claimed = await affectedRows(
    tx,
    // The fill limit is inlined: PostgreSQL would type a parameter there as the column's BIGINT.
    `UPDATE "status_list" SET "allocated" = "allocated" + ? WHERE "id" = (SELECT MAX("id") FROM "status_list") AND "allocated" < "size" * ${LIST_FILL_LIMIT}`,
    [count],
  );
  if (claimed === 1) return (await latestList(tx))!;
  return insertList(tx, (id) => listUri(ctx, id), statusListSizeOf(ctx), STATUS_BITS, count);
}

/** Counts `count` reserved allocations against list `listId` if it is still the newest with room; false (nothing changed) if not. */
export async function claimReservedList(tx: EntityManager, listId: number, count: number): Promise<boolean> {
  const claimed = await affectedRows(
    tx,
    `UPDATE "status_list" SET "allocated" = "allocated" + ? WHERE "id" = ? AND "id" = (SELECT MAX("id") FROM "status_list") AND "allocated" < "size" * ${LIST_FILL_LIMIT}`,
    [count, listId],
  );
  return claimed === 1;
}

/** Gives back a claim whose entries were not inserted (SQLite undoes a failed statement, not the claim before it). */
export async function releaseClaim(tx: EntityManager, listId: number, count: number): Promise<void> {
  await tx.query('UPDATE "status_list" SET "allocated" = "allocated" - ? WHERE "id" = ?', [count, listId]);
}

/**
 * claimReservedList as one statement that FAILS (NOT NULL constraint on `allocated`) where
 * claimReservedList would change nothing: list no longer the newest, or full, or the caller's
 * extra condition false. For a batch sent in one exec, where no row count can be looked at
 * before the next statement runs.
 */
export function strictReservationClaimSql(listId: number, count: number, alsoRequire = '1'): string {
  if (!Number.isSafeInteger(listId) || !Number.isSafeInteger(count) || count < 1) throw new NetcredError('INTERNAL', 'bad reservation claim');
  return `UPDATE "status_list" SET "allocated" = CASE WHEN "id" = (SELECT MAX("id") FROM "status_list") AND "allocated" < "size" * ${LIST_FILL_LIMIT} AND (${alsoRequire}) THEN "allocated" + ${count} ELSE NULL END WHERE "id" = ${listId}`;
}
