import type { EntityManager } from 'typeorm';
import { NetcredError } from '../../core/errors.js';
import type { IssuerContext } from '../context.js';
import { renderAssignment, type StatusAssignment } from './assignment.js';
import { txIsPostgres } from '../store/dialect.js';
import { insertEntries, insertEntryIfFree, insertFreeEntries, isDuplicateCredential, isTakenIndex, MAX_ALLOCATION_BATCH } from './entry-sql.js';
import { claimNewestList, claimReservedList, releaseClaim } from './list-rollover.js';
import { MAX_INDEX_TRIES, noFreeIndex, pickFreeIndex, randomIndex } from './random-index.js';
import { forgetCurrentList, refreshTakenIndexes, rememberCurrentList, syncTakenIndexes, takenIndexes } from './reservations.js';

/** Status entries of new credentials, written inside the caller's issuance transaction. */

function assertCredentialId(id: unknown): void {
  if (typeof id !== 'string' || id.length === 0 || id.length > 200)
    throw new NetcredError('INVALID_INPUT', 'credential id must be a non-empty string of at most 200 characters');
}

/**
 * Reserves a status entry for a new credential inside the issuance transaction: a uniformly
 * random free index of the current list (never reused: entries are never deleted and
 * (list, idx) is unique). Three statements in the common case.
 */
export async function allocateStatus(ctx: IssuerContext, tx: EntityManager, credentialId: string): Promise<StatusAssignment | undefined> {
  assertCredentialId(credentialId);
  const list = await claimNewestList(ctx, tx, 1);
  const now = new Date().toISOString();
  for (let tries = 0; tries < MAX_INDEX_TRIES; tries++) {
    const idx = randomIndex(list.size);
    let inserted: number;
    try {
      inserted = await insertEntryIfFree(tx, credentialId, list.id, idx, now);
    } catch (err) {
      if (isDuplicateCredential(err)) throw new NetcredError('STATUS_ALREADY_ALLOCATED', `credential ${credentialId} already has a status entry`);
      throw err;
    }
    if (inserted === 1) return renderAssignment(list.uri, idx);
  }
  throw noFreeIndex(list.id);
}

/**
 * allocateStatus for several credentials at once, inside the caller's transaction: one list
 * claim, uniformly random free indexes of that list (never reused), one multi-row INSERT.
 * The list may exceed its fill limit by at most one batch.
 */
export async function allocateStatuses(ctx: IssuerContext, tx: EntityManager, credentialIds: string[]): Promise<StatusAssignment[]> {
  if (credentialIds.length === 0) return [];
  if (credentialIds.length > MAX_ALLOCATION_BATCH) throw new NetcredError('INVALID_INPUT', `at most ${MAX_ALLOCATION_BATCH} status entries per batch`);
  for (const id of credentialIds) assertCredentialId(id);
  const list = await claimNewestList(ctx, tx, credentialIds.length);
  let taken = await takenIndexes(tx, list.id);
  rememberCurrentList(tx.connection, list);
  const now = new Date().toISOString();
  if (txIsPostgres(tx)) {
    await syncTakenIndexes(tx, list.id);
    return allocateSkippingTaken(tx, list, credentialIds, taken, now);
  }
  for (let attempt = 0; ; attempt++) {
    const picked = credentialIds.map(() => pickFreeIndex(taken, list.size, list.id));
    try {
      await insertEntries(tx, list.id, credentialIds, picked, now);
      return picked.map((idx) => renderAssignment(list.uri, idx));
    } catch (err) {
      if (isDuplicateCredential(err)) throw new NetcredError('STATUS_ALREADY_ALLOCATED', `a credential of this batch already has a status entry`);
      // Another process took one of these indexes: re-read what is taken (we hold the write lock) and pick again.
      if (!isTakenIndex(err) || attempt >= 3) throw err;
      taken = await takenIndexes(tx, list.id, true);
    }
  }
}

/**
 * allocateStatuses' insert on PostgreSQL, where a failed statement aborts the transaction: the
 * rows whose index another process took (this one's in-memory view is older) are skipped by
 * ON CONFLICT and picked again from the re-read list. Inside the store's write lock no other
 * transaction inserts meanwhile, so the second round finds free indexes.
 */
async function allocateSkippingTaken(
  tx: EntityManager,
  list: { id: number; uri: string; size: number },
  credentialIds: string[],
  taken: Set<number>,
  now: string,
): Promise<StatusAssignment[]> {
  const placed = new Map<string, number>();
  let pending = credentialIds;
  for (let attempt = 0; pending.length; attempt++) {
    if (attempt > 3) throw noFreeIndex(list.id);
    const picked = pending.map(() => pickFreeIndex(taken, list.size, list.id));
    let inserted: Set<string>;
    try {
      inserted = await insertFreeEntries(tx, list.id, pending, picked, now);
    } catch (err) {
      if (isDuplicateCredential(err)) throw new NetcredError('STATUS_ALREADY_ALLOCATED', `a credential of this batch already has a status entry`);
      throw err;
    }
    pending.forEach((id, i) => {
      if (inserted.has(id)) placed.set(id, picked[i]!);
    });
    pending = pending.filter((id) => !inserted.has(id));
    if (pending.length) await syncTakenIndexes(tx, list.id);
  }
  return credentialIds.map((id) => renderAssignment(list.uri, placed.get(id)!));
}

/**
 * Writes reserved entries (reservations.ts) in the caller's transaction if their list is still
 * the newest one with room and no index was taken meanwhile (another process); false otherwise
 * (nothing inserted: allocate again with allocateStatuses).
 */
export async function commitReservation(tx: EntityManager, listId: number, credentialIds: string[], indexes: number[]): Promise<boolean> {
  if (!(await claimReservedList(tx, listId, credentialIds.length))) {
    forgetCurrentList(tx.connection);
    return false;
  }
  const now = new Date().toISOString();
  try {
    await insertEntries(tx, listId, credentialIds, indexes, now);
    return true;
  } catch (err) {
    if (isDuplicateCredential(err)) throw new NetcredError('STATUS_ALREADY_ALLOCATED', 'a credential of this batch already has a status entry');
    // On PostgreSQL the failed INSERT aborted the transaction: nothing more can run in it.
    if (!isTakenIndex(err) || txIsPostgres(tx)) throw err;
    // The caller allocates these credentials again and counts them then.
    await releaseClaim(tx, listId, credentialIds.length);
    await refreshTakenIndexes(tx, listId);
    return false;
  }
}
