import { randomInt } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { NetcredError } from '../../core/errors.js';
import { BITSTRING_MIN_ENTRIES } from '../../core/status/bitstring.js';
import type { StatusBits } from '../../core/status/status-list.js';
import type { IssuerContext } from '../context.js';
import { entryOf, indexTaken, insertEntry, insertList, latestList, type ListRow } from './store.js';
import { lockForWrite } from './write-lock.js';

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

async function currentList(ctx: IssuerContext, tx: EntityManager): Promise<ListRow> {
  const latest = await latestList(tx);
  if (latest && latest.allocated < Math.floor(latest.size * LIST_FILL_LIMIT)) return latest;
  return insertList(tx, (id) => listUri(ctx, id), statusListSizeOf(ctx), STATUS_BITS);
}

/**
 * Reserves a status entry for a new credential inside the issuance transaction: a uniformly
 * random free index of the current list (never reused: entries are never deleted and
 * (list, idx) is unique).
 */
export async function allocateStatus(ctx: IssuerContext, tx: EntityManager, credentialId: string): Promise<StatusAssignment | undefined> {
  if (typeof credentialId !== 'string' || credentialId.length === 0) throw new NetcredError('INVALID_INPUT', 'credential id is required');
  await lockForWrite(tx);
  if (await entryOf(tx, credentialId)) throw new NetcredError('STATUS_ALREADY_ALLOCATED', `credential ${credentialId} already has a status entry`);
  const list = await currentList(ctx, tx);
  for (let tries = 0; tries < MAX_TRIES; tries++) {
    const idx = randomInt(list.size);
    if (await indexTaken(tx, list.id, idx)) continue;
    await insertEntry(tx, credentialId, list.id, idx);
    return renderAssignment(list.uri, idx);
  }
  throw new NetcredError('STATUS_ALLOCATION_FAILED', `no free status index found in list ${list.id} after ${MAX_TRIES} tries`);
}
