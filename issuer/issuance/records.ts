import type { EntityManager } from 'typeorm';
import { InvalidInputError } from '../../core/errors.js';
import type { CredentialFormat } from '../../core/vc/formats.js';
import type { IssuerContext } from '../context.js';

export type { CredentialFormat };

/** A row of `issuance_record`: what the issuer keeps about a credential after issuing it. */
export type IssuanceRecord = {
  id: string;
  vct: string;
  format: CredentialFormat;
  /** base64url HMAC-SHA256 of the id_number under ctx.deriveKey('subject-ref'). */
  subjectRef: string;
  holderDid: string;
  /** RFC 7638 thumbprint of the holder key (`cnf.jwk`). */
  holderThumbprint: string;
  /** Epoch seconds (the credential's iat). */
  issuedAt: number;
  /** Epoch seconds (the credential's exp). */
  expiresAt: number;
  /** The credential that replaced this one on re-issue. */
  supersededBy: string | null;
};

type Row = {
  id: string;
  vct: string;
  format: CredentialFormat;
  subject_ref: string;
  holder_did: string;
  holder_thumbprint: string;
  issued_at: number;
  expires_at: number;
  superseded_by: string | null;
};

const fromRow = (r: Row): IssuanceRecord => ({
  id: r.id,
  vct: r.vct,
  format: r.format,
  subjectRef: r.subject_ref,
  holderDid: r.holder_did,
  holderThumbprint: r.holder_thumbprint,
  issuedAt: Number(r.issued_at),
  expiresAt: Number(r.expires_at),
  supersededBy: r.superseded_by,
});

export async function insertIssuanceRecord(tx: EntityManager, r: Omit<IssuanceRecord, 'supersededBy'>): Promise<void> {
  await tx.query(
    `INSERT INTO "issuance_record" ("id", "vct", "format", "subject_ref", "holder_did", "holder_thumbprint", "issued_at", "expires_at") VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    [r.id, r.vct, r.format, r.subjectRef, r.holderDid, r.holderThumbprint, r.issuedAt, r.expiresAt],
  );
}

const insertSqlByCount = new Map<number, string>();

/** The multi-row INSERT for `n` records (n is at most a group commit's credentials, so the map stays small). */
export function insertRecordsSql(n: number): string {
  let sql = insertSqlByCount.get(n);
  if (sql === undefined) {
    const values = Array.from({ length: n }, () => '(?, ?, ?, ?, ?, ?, ?, ?, ?)').join(', ');
    sql = `INSERT INTO "issuance_record" ("id", "vct", "format", "subject_ref", "holder_did", "holder_thumbprint", "issued_at", "expires_at", "superseded_by") VALUES ${values}`;
    if (n <= 1024) insertSqlByCount.set(n, sql);
  }
  return sql;
}

/** The parameters of insertRecordsSql(rows.length): one flat array filled in place (no array per row). */
export function insertRecordsParams(rows: readonly IssuanceRecord[]): unknown[] {
  const params: unknown[] = new Array(rows.length * 9);
  let i = 0;
  for (const r of rows) {
    params[i++] = r.id;
    params[i++] = r.vct;
    params[i++] = r.format;
    params[i++] = r.subjectRef;
    params[i++] = r.holderDid;
    params[i++] = r.holderThumbprint;
    params[i++] = r.issuedAt;
    params[i++] = r.expiresAt;
    params[i++] = r.supersededBy;
  }
  return params;
}

/** Several records in one statement; `supersededBy` set when a later credential of the same batch replaces one (checked at commit). */
export async function insertIssuanceRecords(tx: EntityManager, rows: IssuanceRecord[]): Promise<void> {
  if (!rows.length) return;
  await tx.query(insertRecordsSql(rows.length), insertRecordsParams(rows));
}

/** SQL condition: none of these subjects has a current (not superseded) record of this type. */
export function noCurrentRecordSql(vct: string, subjectRefs: readonly string[]): { sql: string; params: unknown[] } {
  return {
    sql: `NOT EXISTS (SELECT 1 FROM "issuance_record" WHERE "vct" = ? AND "superseded_by" IS NULL AND "subject_ref" IN (${subjectRefs.map(() => '?').join(', ')}))`,
    params: [vct, ...subjectRefs],
  };
}

/** The current (not superseded) records of some subjects of one type: id and subject_ref. */
export async function currentRecordsOf(tx: EntityManager, vct: string, subjectRefs: string[]): Promise<{ id: string; subjectRef: string }[]> {
  if (!subjectRefs.length) return [];
  const rows = (await tx.query(
    `SELECT "id", "subject_ref" FROM "issuance_record" WHERE "vct" = ? AND "superseded_by" IS NULL AND "subject_ref" IN (${subjectRefs.map(() => '?').join(', ')})`,
    [vct, ...subjectRefs],
  )) as { id: string; subject_ref: string }[];
  return rows.map((r) => ({ id: r.id, subjectRef: r.subject_ref }));
}

/** Marks records as replaced by `newId`. */
export async function markSuperseded(tx: EntityManager, ids: string[], newId: string): Promise<void> {
  if (!ids.length) return;
  await tx.query(`UPDATE "issuance_record" SET "superseded_by" = ? WHERE "id" IN (${ids.map(() => '?').join(', ')})`, [newId, ...ids]);
}

/** Marks the current (not yet superseded) records of a subject and type as replaced by `newId`; returns their ids. */
export async function supersedeEarlier(tx: EntityManager, vct: string, subjectRef: string, newId: string): Promise<string[]> {
  const rows = (await tx.query(`SELECT "id" FROM "issuance_record" WHERE "vct" = ? AND "subject_ref" = ? AND "superseded_by" IS NULL AND "id" != ?`, [
    vct,
    subjectRef,
    newId,
  ])) as { id: string }[];
  const ids = rows.map((r) => r.id);
  if (ids.length) {
    await tx.query(`UPDATE "issuance_record" SET "superseded_by" = ? WHERE "id" IN (${ids.map(() => '?').join(', ')})`, [newId, ...ids]);
  }
  return ids;
}

/** Which issuance records to list: by credential id, holder DID or holder key thumbprint. */
export type IssuanceRecordFilter = { id?: string; holderDid?: string; holderThumbprint?: string };

/** Issuance records matching every given field (at least one), oldest first. */
export async function findIssuanceRecords(ctx: Pick<IssuerContext, 'dataSource'>, filter: IssuanceRecordFilter, tx?: EntityManager): Promise<IssuanceRecord[]> {
  const where: string[] = [];
  const params: string[] = [];
  for (const [key, column] of [
    ['id', 'id'],
    ['holderDid', 'holder_did'],
    ['holderThumbprint', 'holder_thumbprint'],
  ] as const) {
    const v = filter[key];
    if (v === undefined) continue;
    if (typeof v !== 'string' || v.length === 0 || v.length > 4096) throw new InvalidInputError(`${key} must be a non-empty string`);
    where.push(`"${column}" = ?`);
    params.push(v);
  }
  if (!where.length) throw new InvalidInputError('findIssuanceRecords needs id, holderDid or holderThumbprint');
  const runner = tx ?? ctx.dataSource.manager;
  const rows = (await runner.query(`SELECT * FROM "issuance_record" WHERE ${where.join(' AND ')} ORDER BY "issued_at", "id"`, params)) as Row[];
  return rows.map(fromRow);
}
