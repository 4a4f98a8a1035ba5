import { randomInt } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { NetcredError } from '../../core/errors.js';
import { BITSTRING_MIN_ENTRIES } from '../../core/status/bitstring.js';
import type { StatusBits } from '../../core/status/status-list.js';
import type { IssuerContext } from '../context.js';
import { insertList, latestList, type ListRow } from './store.js';

export const DEFAULT_STATUS_LIST_SIZE = 131072;
export const MIN_STATUS_LIST_SIZE = 16384;
/** Upper bound so a misconfiguration cannot create lists that verifiers refuse to decompress. */
export const MAX_STATUS_LIST_SIZE = 1 << 24;
export const STATUS_BITS: StatusBits = 2;
/**
 * A new list opens once this share of a list is handed out: random indexes then still hit a
 * free slot in a few tries, and the last entries of a list are never "the next ones".
 */
export const LIST_FILL_LIMIT = 0.75;
const MAX_TRIES = 64;

export type BitstringStatusEntry = {
  id: string;
  type: 'BitstringStatusListEntry';
  statusPurpose: 'revocation' | 'suspension';
  statusListIndex: string;
  statusListCredential: string;
};

export type StatusAssignment = {
  /** For dc+sd-jwt: the `status` claim. */
  tokenStatus: { status_list: { idx: number; uri: string } };
  /** For vc+sd-jwt: the `credentialStatus` entries (revocation and suspension). */
  bitstringEntries: BitstringStatusEntry[];
};

/** The configured list size, checked (16,384 .. 16,777,216) and rounded up to whole bytes of the W3C bitstring. */
export function statusListSizeOf(ctx: IssuerContext): number {
  const size = ctx.config.statusListSize ?? DEFAULT_STATUS_LIST_SIZE;
  if (!Number.isSafeInteger(size) || size < MIN_STATUS_LIST_SIZE || size > MAX_STATUS_LIST_SIZE) {
    throw new NetcredError('STATUS_CONFIG_INVALID', `statusListSize must be an integer from ${MIN_STATUS_LIST_SIZE} to ${MAX_STATUS_LIST_SIZE}, got ${String(size)}`);
  }
  return Math.ceil(size / 8) * 8;
}

export function listUri(ctx: IssuerContext, id: number): string {
  return `${ctx.config.publicUrl.replace(/\/+$/, '')}/status/lists/${id}`;
}

export function aggregationUri(ctx: IssuerContext): string {
  return `${ctx.config.publicUrl.replace(/\/+$/, '')}/status/aggregation`;
}

/** The W3C list credential URL of one purpose of an IETF list. */
export function bitstringCredentialUri(uri: string, purpose: 'revocation' | 'suspension'): string {
  return `${uri}/bitstring/${purpose}`;
}

/** The W3C bitstring has at least 131,072 entries even when the IETF list is smaller. */
export function bitstringSizeOf(listSize: number): number {
  return Math.max(BITSTRING_MIN_ENTRIES, Math.ceil(listSize / 8) * 8);
}

/** One status record rendered into both formats (same index in every list). */
export function renderAssignment(uri: string, idx: number): StatusAssignment {
  const bitstringEntries = (['revocation', 'suspension'] as const).map((purpose): BitstringStatusEntry => {
    const statusListCredential = bitstringCredentialUri(uri, purpose);
    return { id: `${statusListCredential}#${idx}`, type: 'BitstringStatusListEntry', statusPurpose: purpose, statusListIndex: String(idx), statusListCredential };
  });
  return { tokenStatus: { status_list: { idx, uri } }, bitstringEntries };
}

/** Rows changed by an INSERT/UPDATE (TypeORM reports it only in its structured result). */
async function changes(tx: EntityManager, sql: string, params: unknown[]): Promise<number> {
  const runner = tx.queryRunner ?? tx.connection.createQueryRunner();
  const result = await runner.query(sql, params, true);
  return result.affected ?? 0;
}

/**
 * Counts the allocation against the newest list if it still has room, else opens a new list.
 * The UPDATE comes first so the transaction holds SQLite's write lock from its first statement.
 */
async function claimList(ctx: IssuerContext, tx: EntityManager): Promise<ListRow> {
  const claimed = await changes(
    tx,
    'UPDATE "status_list" SET "allocated" = "allocated" + 1 WHERE "id" = (SELECT MAX("id") FROM "status_list") AND "allocated" < "size" * ?',
    [LIST_FILL_LIMIT],
  );
  if (claimed === 1) return (await latestList(tx))!;
  return insertList(tx, (id) => listUri(ctx, id), statusListSizeOf(ctx), STATUS_BITS, 1);
}

function isDuplicateCredential(err: unknown): boolean {
  const message = err instanceof Error ? err.message : '';
  return message.includes('UNIQUE constraint failed: status_entry.credential_id');
}

/**
 * Reserves a status entry for a new credential inside the issuance transaction: a uniformly
 * random free index of the current list (never reused: entries are never deleted and
 * (list, idx) is unique). Three statements in the common case.
 */
export async function allocateStatus(ctx: IssuerContext, tx: EntityManager, credentialId: string): Promise<StatusAssignment | undefined> {
  if (typeof credentialId !== 'string' || credentialId.length === 0 || credentialId.length > 200) throw new NetcredError('INVALID_INPUT', 'credential id must be a non-empty string of at most 200 characters');
  const list = await claimList(ctx, tx);
  const now = new Date().toISOString();
  for (let tries = 0; tries < MAX_TRIES; tries++) {
    const idx = randomInt(list.size);
    let inserted: number;
    try {
      inserted = await changes(
        tx,
        'INSERT INTO "status_entry" ("credential_id", "list_id", "idx", "status", "reason", "updated_at") SELECT ?, ?, ?, 0, NULL, ? WHERE NOT EXISTS (SELECT 1 FROM "status_entry" WHERE "list_id" = ? AND "idx" = ?)',
        [credentialId, list.id, idx, now, list.id, idx],
      );
    } catch (err) {
      if (isDuplicateCredential(err)) throw new NetcredError('STATUS_ALREADY_ALLOCATED', `credential ${credentialId} already has a status entry`);
      throw err;
    }
    if (inserted === 1) return renderAssignment(list.uri, idx);
  }
  throw new NetcredError('STATUS_ALLOCATION_FAILED', `no free status index found in list ${list.id} after ${MAX_TRIES} tries`);
}

/**
 * Indexes known to be taken, per list, in this process: batch allocation picks free indexes in
 * memory instead of probing the database once per credential. The database's
 * UNIQUE(list_id, idx) stays the guard against another process (a CLI next to the server):
 * on a conflict the set is reloaded from the table and the batch picks again.
 */
const takenByDataSource = new WeakMap<object, Map<number, Set<number>>>();

/** Drops the in-memory view (after a rolled-back transaction, or to re-read another process's writes). */
export function forgetAllocations(ds: object): void {
  takenByDataSource.delete(ds);
  currentByDataSource.delete(ds);
}

/** The list this process last allocated from (batch allocation), for reservations outside a transaction. */
const currentByDataSource = new WeakMap<object, { id: number; uri: string; size: number }>();

/** Up to MAX_TRIES random draws for a free index of `size`, marked taken. */
function pick(taken: Set<number>, size: number, listId: number): number {
  for (let tries = 0; tries < MAX_TRIES; tries++) {
    const candidate = randomInt(size);
    if (!taken.has(candidate)) {
      taken.add(candidate);
      return candidate;
    }
  }
  throw new NetcredError('STATUS_ALLOCATION_FAILED', `no free status index found in list ${listId} after ${MAX_TRIES} tries`);
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
  const indexes = Array.from({ length: count }, () => pick(taken, current.size, current.id));
  return { listId: current.id, indexes, assignments: indexes.map((idx) => renderAssignment(current.uri, idx)) };
}

/**
 * Writes reserved entries in the caller's transaction if their list is still the newest one
 * with room and no index was taken meanwhile (another process); false otherwise (nothing
 * inserted: allocate again with allocateStatuses).
 */
export async function commitReservation(tx: EntityManager, listId: number, credentialIds: string[], indexes: number[]): Promise<boolean> {
  const claimed = await changes(
    tx,
    'UPDATE "status_list" SET "allocated" = "allocated" + ? WHERE "id" = ? AND "id" = (SELECT MAX("id") FROM "status_list") AND "allocated" < "size" * ?',
    [credentialIds.length, listId, LIST_FILL_LIMIT],
  );
  if (claimed !== 1) {
    currentByDataSource.delete(tx.connection);
    return false;
  }
  const now = new Date().toISOString();
  try {
    await insertEntries(tx, listId, credentialIds, indexes, now);
    return true;
  } catch (err) {
    if (isDuplicateCredential(err)) throw new NetcredError('STATUS_ALREADY_ALLOCATED', 'a credential of this batch already has a status entry');
    if (!isTakenIndex(err)) throw err;
    // The failed INSERT is undone but the claim above stands (SQLite undoes one statement): give
    // it back, as the caller allocates these credentials again and counts them then.
    await tx.query('UPDATE "status_list" SET "allocated" = "allocated" - ? WHERE "id" = ?', [credentialIds.length, listId]);
    takenByDataSource.get(tx.connection)?.set(listId, await loadTaken(tx, listId));
    return false;
  }
}

function isTakenIndex(err: unknown): boolean {
  return (err instanceof Error ? err.message : '').includes('UNIQUE constraint failed: status_entry.list_id, status_entry.idx');
}

async function insertEntries(tx: EntityManager, listId: number, credentialIds: string[], indexes: number[], now: string): Promise<void> {
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

/**
 * commitReservation's claim as one statement that FAILS (NOT NULL constraint on `allocated`)
 * where commitReservation would change nothing: list no longer the newest, or full, or the
 * caller's extra condition false. For a batch sent in one exec, where no row count can be
 * looked at before the next statement runs.
 */
export function strictReservationClaimSql(listId: number, count: number, alsoRequire = '1'): string {
  if (!Number.isSafeInteger(listId) || !Number.isSafeInteger(count) || count < 1) throw new NetcredError('INTERNAL', 'bad reservation claim');
  return `UPDATE "status_list" SET "allocated" = CASE WHEN "id" = (SELECT MAX("id") FROM "status_list") AND "allocated" < "size" * ${LIST_FILL_LIMIT} AND (${alsoRequire}) THEN "allocated" + ${count} ELSE NULL END WHERE "id" = ${listId}`;
}

async function loadTaken(tx: EntityManager, listId: number): Promise<Set<number>> {
  const rows = (await tx.query('SELECT "idx" FROM "status_entry" WHERE "list_id" = ?', [listId])) as { idx: number }[];
  return new Set(rows.map((r) => Number(r.idx)));
}

/** Counts `count` allocations against the newest list if it still has room, else opens a new list with them. */
async function claimListFor(ctx: IssuerContext, tx: EntityManager, count: number): Promise<ListRow> {
  const claimed = await changes(
    tx,
    'UPDATE "status_list" SET "allocated" = "allocated" + ? WHERE "id" = (SELECT MAX("id") FROM "status_list") AND "allocated" < "size" * ?',
    [count, LIST_FILL_LIMIT],
  );
  if (claimed === 1) return (await latestList(tx))!;
  return insertList(tx, (id) => listUri(ctx, id), statusListSizeOf(ctx), STATUS_BITS, count);
}

/** At most this many credentials per call (one multi-row INSERT, far below SQLite's variable limit). */
export const MAX_ALLOCATION_BATCH = 512;

/**
 * allocateStatus for several credentials at once, inside the caller's transaction: one list
 * claim, uniformly random free indexes of that list (never reused), one multi-row INSERT.
 * The list may exceed its fill limit by at most one batch.
 */
export async function allocateStatuses(ctx: IssuerContext, tx: EntityManager, credentialIds: string[]): Promise<StatusAssignment[]> {
  if (credentialIds.length === 0) return [];
  if (credentialIds.length > MAX_ALLOCATION_BATCH) throw new NetcredError('INVALID_INPUT', `at most ${MAX_ALLOCATION_BATCH} status entries per batch`);
  for (const id of credentialIds) {
    if (typeof id !== 'string' || id.length === 0 || id.length > 200) throw new NetcredError('INVALID_INPUT', 'credential id must be a non-empty string of at most 200 characters');
  }
  const list = await claimListFor(ctx, tx, credentialIds.length);
  let lists = takenByDataSource.get(tx.connection);
  if (!lists) takenByDataSource.set(tx.connection, (lists = new Map()));
  let taken = lists.get(list.id);
  if (!taken) lists.set(list.id, (taken = await loadTaken(tx, list.id)));
  currentByDataSource.set(tx.connection, { id: list.id, uri: list.uri, size: list.size });
  const now = new Date().toISOString();
  for (let attempt = 0; ; attempt++) {
    const picked = credentialIds.map(() => pick(taken!, list.size, list.id));
    try {
      await insertEntries(tx, list.id, credentialIds, picked, now);
      return picked.map((idx) => renderAssignment(list.uri, idx));
    } catch (err) {
      if (isDuplicateCredential(err)) throw new NetcredError('STATUS_ALREADY_ALLOCATED', `a credential of this batch already has a status entry`);
      // Another process took one of these indexes: re-read what is taken (we hold the write lock) and pick again.
      if (!isTakenIndex(err) || attempt >= 3) throw err;
      lists.set(list.id, (taken = await loadTaken(tx, list.id)));
    }
  }
}
