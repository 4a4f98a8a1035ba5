import type { EntityManager } from 'typeorm';
import { NetcredError } from '../../core/errors.js';
import type { STATUS_INVALID, STATUS_SUSPENDED, STATUS_VALID, StatusBits } from '../../core/status/status-list.js';

/** Low-level SQL over the status tables; callers hold the transaction (and the write lock). */

export type StatusCode = typeof STATUS_VALID | typeof STATUS_INVALID | typeof STATUS_SUSPENDED;
/** A credential's status as the issuer API names it: `valid`, `revoked` or `suspended`. */
export type StatusName = 'valid' | 'revoked' | 'suspended';

export const STATUS_NAMES: Record<StatusCode, StatusName> = { 0: 'valid', 1: 'revoked', 2: 'suspended' };

export type ListRow = { id: number; uri: string; size: number; bits: StatusBits; allocated: number; version: number; created_at: string };
export type EntryRow = { credential_id: string; list_id: number; idx: number; status: StatusCode; reason: string | null; updated_at: string };
export type EntryWithUri = EntryRow & { uri: string };
export type AuditRow = { id: number; credential_id: string; from_status: StatusCode; to_status: StatusCode; reason: string; actor: string; at: string };

export async function latestList(tx: EntityManager): Promise<ListRow | undefined> {
  const rows = (await tx.query('SELECT * FROM "status_list" ORDER BY "id" DESC LIMIT 1')) as ListRow[];
  return rows[0];
}

export async function listById(tx: EntityManager, id: number): Promise<ListRow | undefined> {
  const rows = (await tx.query('SELECT * FROM "status_list" WHERE "id" = ?', [id])) as ListRow[];
  return rows[0];
}

export async function allLists(tx: EntityManager): Promise<ListRow[]> {
  return (await tx.query('SELECT * FROM "status_list" ORDER BY "id"')) as ListRow[];
}

/** Opens a list (caller holds the write lock, so MAX(id) + 1 is free). */
export async function insertList(tx: EntityManager, uriOf: (id: number) => string, size: number, bits: StatusBits, allocated = 0): Promise<ListRow> {
  const [{ next }] = (await tx.query('SELECT COALESCE(MAX("id"), 0) + 1 AS "next" FROM "status_list"')) as [{ next: number }];
  const row: ListRow = { id: next, uri: uriOf(next), size, bits, allocated, version: 0, created_at: new Date().toISOString() };
  await tx.query('INSERT INTO "status_list" ("id", "uri", "size", "bits", "allocated", "version", "created_at") VALUES (?, ?, ?, ?, ?, 0, ?)', [
    row.id,
    row.uri,
    row.size,
    row.bits,
    row.allocated,
    row.created_at,
  ]);
  return row;
}

export async function entryOf(tx: EntityManager, credentialId: string): Promise<EntryWithUri | undefined> {
  const rows = (await tx.query('SELECT e.*, l."uri" AS "uri" FROM "status_entry" e JOIN "status_list" l ON l."id" = e."list_id" WHERE e."credential_id" = ?', [
    credentialId,
  ])) as EntryWithUri[];
  return rows[0];
}

/** Changes one entry, writes the audit row and bumps the list version: all or nothing (caller's transaction). */
export async function changeEntry(tx: EntityManager, entry: EntryRow, to: StatusCode, reason: string, actor: string): Promise<string> {
  const at = new Date().toISOString();
  await tx.query('UPDATE "status_list" SET "version" = "version" + 1 WHERE "id" = ?', [entry.list_id]);
  await tx.query(
    'UPDATE "status_entry" SET "status" = ?, "reason" = ?, "updated_at" = ?, "seq" = (SELECT "version" FROM "status_list" WHERE "id" = ?) WHERE "credential_id" = ?',
    [to, reason, at, entry.list_id, entry.credential_id],
  );
  await tx.query('INSERT INTO "status_audit" ("credential_id", "from_status", "to_status", "reason", "actor", "at") VALUES (?, ?, ?, ?, ?, ?)', [
    entry.credential_id,
    entry.status,
    to,
    reason,
    actor,
    at,
  ]);
  return at;
}

/** Every non-valid entry of a list (a fresh build). */
export async function setEntries(tx: EntityManager, listId: number): Promise<Array<{ idx: number; status: number }>> {
  return (await tx.query('SELECT "idx", "status" FROM "status_entry" WHERE "list_id" = ? AND "status" != 0', [listId])) as Array<{
    idx: number;
    status: number;
  }>;
}

/** Entries changed after list version `since` (any status, a reinstated one included). */
export async function changedEntries(tx: EntityManager, listId: number, since: number): Promise<Array<{ idx: number; status: number }>> {
  return (await tx.query('SELECT "idx", "status" FROM "status_entry" WHERE "list_id" = ? AND "seq" > ?', [listId, since])) as Array<{
    idx: number;
    status: number;
  }>;
}

/** The newest `limit` audit rows (of one credential), newest first; with `before`, only rows whose id is below it (the next page). */
export async function auditRows(tx: EntityManager, credentialId: string | undefined, limit: number, before?: number): Promise<AuditRow[]> {
  const where: string[] = [];
  const params: unknown[] = [];
  if (credentialId !== undefined) {
    where.push('"credential_id" = ?');
    params.push(credentialId);
  }
  if (before !== undefined) {
    where.push('"id" < ?');
    params.push(before);
  }
  const sql = `SELECT * FROM "status_audit"${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY "id" DESC LIMIT ?`;
  return (await tx.query(sql, [...params, limit])) as AuditRow[];
}

export function notFound(credentialId: string): NetcredError {
  return new NetcredError('CREDENTIAL_NOT_FOUND', `no status record for credential ${credentialId}`);
}
