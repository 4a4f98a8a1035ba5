import type { EntityManager } from 'typeorm';
import { InvalidInputError, NetcredError } from '../../core/errors.js';
import { storageErrorOf } from '../../core/storage-errors.js';
import { STATUS_INVALID, STATUS_SUSPENDED, STATUS_VALID } from '../../core/status/status-list.js';
import type { IssuerContext } from '../context.js';
import { auditRows, changeEntry, entryOf, STATUS_NAMES, type EntryWithUri, type StatusCode, type StatusName } from './store.js';
import { notifyStatusChanged } from './publish.js';
import { runExclusive, writeTransaction } from '../store/write-lock.js';
import { entryNamed } from './credential-ref.js';

/** The reasons a credential's status may change for, recorded in the audit log. */
export const STATUS_REASONS = ['superseded', 'device_lost', 'deceased', 'fraud', 'holder_request', 'admin'] as const;
/** A reason of STATUS_REASONS. */
export type StatusReason = (typeof STATUS_REASONS)[number];

/** A credential's status entry: its list, index and URI, its status and the reason of the last change. */
export type CredentialStatusRecord = {
  credentialId: string;
  listId: number;
  idx: number;
  /** The IETF list URI (`status.status_list.uri`). */
  uri: string;
  status: StatusName;
  reason: string | null;
  updatedAt: string;
};

/** A credential's status after revoke, suspend or reinstate, and whether the call changed it. */
export type StatusChangeResult = CredentialStatusRecord & {
  /** False when the credential already had the requested status (nothing written). */
  changed: boolean;
};

/** One status change of the audit log: which credential, from and to which status, why, who and when. */
export type AuditEntry = { id: number; credentialId: string; from: StatusName; to: StatusName; reason: string; actor: string; at: string };

export function assertReason(reason: unknown): asserts reason is StatusReason {
  if (typeof reason !== 'string' || !(STATUS_REASONS as readonly string[]).includes(reason)) {
    throw new NetcredError('STATUS_REASON_INVALID', `reason must be one of ${STATUS_REASONS.join(', ')}; got ${JSON.stringify(reason)}`);
  }
}

function assertActor(actor: unknown): asserts actor is string {
  if (typeof actor !== 'string' || actor.length === 0 || actor.length > 200)
    throw new InvalidInputError('actor must be a non-empty string of at most 200 characters');
}

function assertCredentialId(id: unknown): asserts id is string {
  if (typeof id !== 'string' || id.length === 0 || id.length > 200)
    throw new InvalidInputError('credential id must be a non-empty string of at most 200 characters');
}

function record(e: EntryWithUri): CredentialStatusRecord {
  return {
    credentialId: e.credential_id,
    listId: e.list_id,
    idx: e.idx,
    uri: e.uri,
    status: STATUS_NAMES[e.status],
    reason: e.reason,
    updatedAt: e.updated_at,
  };
}

/** Applies one transition inside `tx`; throws a typed error for a transition that is not allowed. */
async function transition(tx: EntityManager, ref: string, to: StatusCode, reason: StatusReason, actor: string): Promise<StatusChangeResult> {
  const entry = await entryNamed(tx, ref);
  const credentialId = entry.credential_id;
  // Revoking a revoked or suspending a suspended credential is a harmless retry; reinstating
  // anything but a suspended credential is refused.
  if (entry.status === to && to !== STATUS_VALID) return { ...record(entry), changed: false };
  if (entry.status === STATUS_INVALID) throw new NetcredError('STATUS_REVOKED_FINAL', `credential ${credentialId} is revoked; revocation is final`);
  if (to === STATUS_VALID && entry.status !== STATUS_SUSPENDED) {
    throw new NetcredError(
      'STATUS_NOT_SUSPENDED',
      `credential ${credentialId} is ${STATUS_NAMES[entry.status]}; only a suspended credential can be reinstated`,
    );
  }
  const at = await changeEntry(tx, entry, to, reason, actor);
  return { ...record(entry), status: STATUS_NAMES[to], reason, updatedAt: at, changed: true };
}

async function change(ctx: IssuerContext, credentialId: string, to: StatusCode, reason: unknown, actor: string): Promise<StatusChangeResult> {
  assertCredentialId(credentialId);
  assertReason(reason);
  assertActor(actor);
  // Committed before the promise resolves: the caller's acknowledgement means durable.
  const result = await writeTransaction(ctx.dataSource, (tx) => transition(tx, credentialId, to, reason, actor));
  if (result.changed) notifyStatusChanged(ctx);
  return result;
}

/** Revokes a credential (final), named by its id or an unambiguous start of it (8 characters or more). Revoking a revoked credential changes nothing (`changed: false`). */
export function revokeCredential(ctx: IssuerContext, credentialId: string, reason: StatusReason, actor: string): Promise<StatusChangeResult> {
  return change(ctx, credentialId, STATUS_INVALID, reason, actor);
}

/** Suspends a valid credential; a revoked one cannot be suspended. */
export function suspendCredential(ctx: IssuerContext, credentialId: string, reason: StatusReason, actor: string): Promise<StatusChangeResult> {
  return change(ctx, credentialId, STATUS_SUSPENDED, reason, actor);
}

/** Returns a suspended credential to valid. Refused (typed error) for revoked or valid credentials. */
export function reinstateCredential(ctx: IssuerContext, credentialId: string, reason: StatusReason, actor: string): Promise<StatusChangeResult> {
  return change(ctx, credentialId, STATUS_VALID, reason, actor);
}

/** Revokes earlier credentials with reason `superseded`, in the issuance transaction. */
export async function revokeSuperseded(ctx: IssuerContext, tx: EntityManager, credentialIds: string[], actor: string): Promise<void> {
  void ctx;
  assertActor(actor);
  for (const id of credentialIds) {
    const entry = await entryOf(tx, id);
    // A credential minted without a status entry cannot be published as revoked; skip it.
    if (!entry || entry.status === STATUS_INVALID) continue;
    await changeEntry(tx, entry, STATUS_INVALID, 'superseded', actor);
  }
}

/** Which device was lost: a holder DID or a holder key thumbprint. */
export type DeviceLostSelector = { holderDid: string } | { thumbprint: string };

/** The credentials of a lost device (by holder DID or key thumbprint) and those this call revoked. */
export type DeviceLostResult = {
  /** Every credential bound to the holder key. */
  credentialIds: string[];
  /** Those this call revoked (the rest were already revoked or have no status entry). */
  revoked: string[];
};

/** Revokes every credential bound to a holder DID or holder key thumbprint, in one transaction. */
export async function reportDeviceLost(ctx: IssuerContext, selector: DeviceLostSelector, actor: string): Promise<DeviceLostResult> {
  assertActor(actor);
  const holderDid = (selector as { holderDid?: unknown }).holderDid;
  const thumbprint = (selector as { thumbprint?: unknown }).thumbprint;
  if ((holderDid === undefined) === (thumbprint === undefined)) throw new InvalidInputError('give exactly one of holderDid or thumbprint');
  const value = holderDid ?? thumbprint;
  if (typeof value !== 'string' || value.length === 0 || value.length > 4096)
    throw new InvalidInputError(`${holderDid !== undefined ? 'holderDid' : 'thumbprint'} must be a non-empty string`);
  if (holderDid !== undefined && (!value.startsWith('did:') || value.includes('#')))
    throw new InvalidInputError('holderDid must be a DID (without a fragment)');
  // Records hold the bare DID even for a credential issued to a DID URL (did#key: splitHolder
  // in issuance/prepare.ts), so the DID covers all of its keys by equality.
  const where = holderDid !== undefined ? '"holder_did" = ?' : '"holder_thumbprint" = ?';
  const params = [value];
  const result = await writeTransaction(ctx.dataSource, async (tx): Promise<DeviceLostResult> => {
    let rows: Array<{ id: string }>;
    try {
      rows = (await tx.query(`SELECT "id" FROM "issuance_record" WHERE ${where} ORDER BY "issued_at", "id"`, params)) as Array<{ id: string }>;
    } catch (cause) {
      // A store that cannot be reached (PostgreSQL gone) is STORAGE_UNAVAILABLE, like any other write.
      throw storageErrorOf(cause, 'issuer store') ?? new NetcredError('ISSUANCE_RECORDS_UNAVAILABLE', 'issuance records cannot be read', { cause });
    }
    const revoked: string[] = [];
    for (const { id } of rows) {
      const entry = await entryOf(tx, id);
      if (!entry || entry.status === STATUS_INVALID) continue;
      await changeEntry(tx, entry, STATUS_INVALID, 'device_lost', actor);
      revoked.push(id);
    }
    return { credentialIds: rows.map((r) => r.id), revoked };
  });
  if (result.revoked.length) notifyStatusChanged(ctx);
  return result;
}

/** The status record of one credential, named by its id or an unambiguous start of it. */
export async function credentialStatus(ctx: IssuerContext, credentialId: string): Promise<CredentialStatusRecord> {
  assertCredentialId(credentialId);
  return runExclusive(ctx.dataSource, async () => {
    return record(await entryNamed(ctx.dataSource.manager, credentialId));
  });
}

/**
 * Status changes, oldest first (the most recent `limit`, default 1000), optionally of one
 * credential; `before` pages back: only entries whose id is below it (the first id of a page).
 */
export async function auditLog(ctx: IssuerContext, options: { credentialId?: string; limit?: number; before?: number } = {}): Promise<AuditEntry[]> {
  if (options.credentialId !== undefined) assertCredentialId(options.credentialId);
  const limit = options.limit ?? 1000;
  if (!Number.isSafeInteger(limit) || limit < 1 || limit > 100_000) throw new InvalidInputError('limit must be an integer from 1 to 100000');
  const { before } = options;
  if (before !== undefined && (!Number.isSafeInteger(before) || before < 1))
    throw new InvalidInputError('before must be a positive integer (an audit entry id)');
  return runExclusive(ctx.dataSource, async () => {
    const rows = await auditRows(ctx.dataSource.manager, options.credentialId, limit, before);
    return rows.reverse().map((r) => ({
      id: r.id,
      credentialId: r.credential_id,
      from: STATUS_NAMES[r.from_status],
      to: STATUS_NAMES[r.to_status],
      reason: r.reason,
      actor: r.actor,
      at: r.at,
    }));
  });
}
