import type { EntityManager } from 'typeorm';
import { affectedRows } from '../store/affected-rows.js';

/** SQL writing new (valid) status entries; callers hold the transaction. */

/** At most this many credentials per call (one multi-row INSERT, far below SQLite's variable limit). */
export const MAX_ALLOCATION_BATCH = 512;

/**
 * Inserts one entry at (listId, idx) unless that index is taken: 1 if inserted, 0 if taken. A
 * credential that already has an entry still fails (its primary key is not the conflict target).
 */
export async function insertEntryIfFree(tx: EntityManager, credentialId: string, listId: number, idx: number, now: string): Promise<number> {
  return affectedRows(
    tx,
    'INSERT INTO "status_entry" ("credential_id", "list_id", "idx", "status", "reason", "updated_at") VALUES (?, ?, ?, 0, NULL, ?) ON CONFLICT ("list_id", "idx") DO NOTHING',
    [credentialId, listId, idx, now],
  );
}

/**
 * insertEntries that skips the rows whose index is taken instead of failing (PostgreSQL, where
 * a failed statement aborts the whole transaction): the ids of the credentials it inserted.
 */
export async function insertFreeEntries(tx: EntityManager, listId: number, credentialIds: string[], indexes: number[], now: string): Promise<Set<string>> {
  const sql = `${insertEntriesSql(indexes.length)} ON CONFLICT ("list_id", "idx") DO NOTHING RETURNING "credential_id"`;
  const rows = (await tx.query(sql, insertEntriesParams(listId, credentialIds, indexes, now))) as { credential_id: string }[];
  return new Set(rows.map((r) => r.credential_id));
}

export async function insertEntries(tx: EntityManager, listId: number, credentialIds: string[], indexes: number[], now: string): Promise<void> {
  await tx.query(insertEntriesSql(indexes.length), insertEntriesParams(listId, credentialIds, indexes, now));
}

/** The parameters of insertEntriesSql(indexes.length): one flat array filled in place (no array per entry). */
export function insertEntriesParams(listId: number, credentialIds: readonly string[], indexes: readonly number[], now: string): unknown[] {
  const params: unknown[] = new Array(indexes.length * 4);
  for (let i = 0, j = 0; i < indexes.length; i++) {
    params[j++] = credentialIds[i];
    params[j++] = listId;
    params[j++] = indexes[i];
    params[j++] = now;
  }
  return params;
}

const insertEntriesSqlByCount = new Map<number, string>();

/** The multi-row INSERT of new (valid) entries: `n` rows of (credential_id, list_id, idx, updated_at). */
export function insertEntriesSql(n: number): string {
  let sql = insertEntriesSqlByCount.get(n);
  if (sql === undefined) {
    const values = Array.from({ length: n }, () => '(?, ?, ?, 0, NULL, ?)').join(', ');
    sql = `INSERT INTO "status_entry" ("credential_id", "list_id", "idx", "status", "reason", "updated_at") VALUES ${values}`;
    if (n <= MAX_ALLOCATION_BATCH) insertEntriesSqlByCount.set(n, sql);
  }
  return sql;
}

/** Every index of a list that has an entry. */
export async function takenIndexesOf(tx: EntityManager, listId: number): Promise<Set<number>> {
  const rows = (await tx.query('SELECT "idx" FROM "status_entry" WHERE "list_id" = ?', [listId])) as { idx: number }[];
  return new Set(rows.map((r) => Number(r.idx)));
}

/** PostgreSQL's unique_violation (SQLSTATE 23505) on constraint `name`. */
function pgUniqueViolation(err: unknown, name: string): boolean {
  const driver = (err as { driverError?: { code?: unknown; constraint?: unknown } } | null)?.driverError;
  return driver?.code === '23505' && driver.constraint === name;
}

/** The INSERT failed because a credential already has an entry. */
export function isDuplicateCredential(err: unknown): boolean {
  return (
    (err instanceof Error ? err.message : '').includes('UNIQUE constraint failed: status_entry.credential_id') || pgUniqueViolation(err, 'status_entry_pkey')
  );
}

/** The INSERT failed because an index was taken meanwhile (another process). */
export function isTakenIndex(err: unknown): boolean {
  return (
    (err instanceof Error ? err.message : '').includes('UNIQUE constraint failed: status_entry.list_id, status_entry.idx') ||
    pgUniqueViolation(err, 'status_entry_list_idx')
  );
}
