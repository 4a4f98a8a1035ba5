import type { EntityManager } from 'typeorm';
import { txIsPostgres } from '../store/dialect.js';
import { renderAssignment, type StatusAssignment } from './assignment.js';
import { MAX_ALLOCATION_BATCH, takenIndexesOf } from './entry-sql.js';
import { LIST_FILL_LIMIT } from './list-rollover.js';
import { pickFreeIndex } from './random-index.js';

/**
 * Indexes known to be taken, per list, in this process: batch allocation picks free indexes in
 * memory instead of probing the database once per credential. The database's
 * UNIQUE(list_id, idx) stays the guard against another process (a CLI next to the server):
 * on a conflict the set is reloaded from the table and the batch picks again.
 */
const takenByDataSource = new WeakMap<object, Map<number, Set<number>>>();

/** The list this process last allocated from (batch allocation), for reservations outside a transaction. */
const currentByDataSource = new WeakMap<object, { id: number; uri: string; size: number }>();

/** Drops the in-memory view (after a rolled-back transaction, or to re-read another process's writes). */
export function forgetAllocations(ds: object): void {
  takenByDataSource.delete(ds);
  currentByDataSource.delete(ds);
  seenByDataSource.delete(ds);
  storedByDataSource.delete(ds);
}

/** The indexes of a list this process knows to be taken: read from the table the first time, or again with `reload`. */
export async function takenIndexes(tx: EntityManager, listId: number, reload = false): Promise<Set<number>> {
  let lists = takenByDataSource.get(tx.connection);
  if (!lists) takenByDataSource.set(tx.connection, (lists = new Map()));
  let taken = reload ? undefined : lists.get(listId);
  if (!taken) lists.set(listId, (taken = await takenIndexesOf(tx, listId)));
  return taken;
}

/**
 * After another process took one of a list's indexes: re-reads them into the set this process
 * keeps (kept, not replaced: indexes reserved here for issuances still queued stay taken;
 * entries are never deleted, so the union is never wrong). Returns the set.
 */
export async function refreshTakenIndexes(tx: EntityManager, listId: number): Promise<Set<number>> {
  let lists = takenByDataSource.get(tx.connection);
  if (!lists) takenByDataSource.set(tx.connection, (lists = new Map()));
  const fresh = await takenIndexesOf(tx, listId);
  const kept = lists.get(listId);
  if (!kept) {
    lists.set(listId, fresh);
    return fresh;
  }
  for (const idx of fresh) kept.add(idx);
  return kept;
}

/** Per list, the largest insertion order (`added` on PostgreSQL, the rowid on SQLite) this process has read. */
const seenByDataSource = new WeakMap<object, Map<number, number>>();
/** Per list, every index this process has read as stored (the taken sets also hold its reservations). */
const storedByDataSource = new WeakMap<object, Map<number, Set<number>>>();

/**
 * Brings this process's view of a list up to the entries every process inserted since it last
 * looked: one read of the new rows only, by insertion order (`added` on PostgreSQL; the rowid
 * on SQLite, which grows with each insert as entries are never deleted); they join the taken
 * set (no reservation picks them) and the stored set (reservedIndexesTaken). Under the store's
 * write lock the read is exact; outside it, a hint. Should a VACUUM renumber SQLite's rowids,
 * rows are missed until the UNIQUE (list, idx) constraint refuses one, which the callers handle
 * (refreshTakenIndexes): a speed device, never the guard. Returns the stored set.
 */
export async function syncTakenIndexes(tx: EntityManager, listId: number): Promise<Set<number>> {
  const ds = tx.connection;
  let lists = takenByDataSource.get(ds);
  if (!lists) takenByDataSource.set(ds, (lists = new Map()));
  let seen = seenByDataSource.get(ds);
  if (!seen) seenByDataSource.set(ds, (seen = new Map()));
  let storedLists = storedByDataSource.get(ds);
  if (!storedLists) storedByDataSource.set(ds, (storedLists = new Map()));
  const since = seen.get(listId) ?? -1;
  const order = txIsPostgres(tx) ? '"added"' : 'rowid';
  const rows = (await tx.query(`SELECT "idx", ${order} AS "added" FROM "status_entry" WHERE "list_id" = ? AND ${order} > ?`, [listId, since])) as {
    idx: number;
    added: number;
  }[];
  let taken = lists.get(listId);
  if (!taken) lists.set(listId, (taken = new Set()));
  let stored = storedLists.get(listId);
  if (!stored) storedLists.set(listId, (stored = new Set()));
  let max = since;
  for (const r of rows) {
    const idx = Number(r.idx);
    stored.add(idx);
    taken.add(idx);
    if (Number(r.added) > max) max = Number(r.added);
  }
  seen.set(listId, max);
  return stored;
}

/**
 * The reserved indexes of a list that are stored already: another process took them after this
 * one reserved them, whenever that was. Under the store's write lock, before this transaction
 * inserts (exact: on PostgreSQL a failing INSERT would abort the transaction, on SQLite it
 * would send the whole batch to be minted again); before a one-exec commit, a hint.
 */
export async function reservedIndexesTaken(tx: EntityManager, listId: number, indexes: readonly number[]): Promise<Set<number>> {
  const stored = await syncTakenIndexes(tx, listId);
  return new Set(indexes.filter((idx) => stored.has(idx)));
}

/** The list later reservations pick from (the one a batch allocation just claimed). */
export function rememberCurrentList(ds: object, list: { id: number; uri: string; size: number }): void {
  currentByDataSource.set(ds, { id: list.id, uri: list.uri, size: list.size });
}

/** No reservations until the next batch allocation (the list is no longer the newest with room). */
export function forgetCurrentList(ds: object): void {
  currentByDataSource.delete(ds);
}

export type StatusReservation = { listId: number; indexes: number[]; assignments: StatusAssignment[] };

/**
 * Picks free indexes of the list this process last allocated from, in memory and without a
 * transaction, so credentials can be minted while another transaction commits. Nothing is
 * written: commitReservation does that in the issuance transaction, or reports that the
 * caller must allocate again. Undefined until a batch allocation ran in this process.
 */
export function reserveStatuses(ds: object, count: number): StatusReservation | undefined {
  const current = currentByDataSource.get(ds);
  const taken = current && takenByDataSource.get(ds)?.get(current.id);
  if (!current || !taken || count < 1 || count > MAX_ALLOCATION_BATCH) return undefined;
  // Near the fill limit the transaction decides (it may open the next list).
  if (taken.size + count > current.size * LIST_FILL_LIMIT) return undefined;
  const indexes = Array.from({ length: count }, () => pickFreeIndex(taken, current.size, current.id));
  return { listId: current.id, indexes, assignments: indexes.map((idx) => renderAssignment(current.uri, idx)) };
}
