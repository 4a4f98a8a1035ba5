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
