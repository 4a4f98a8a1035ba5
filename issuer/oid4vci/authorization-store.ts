import type { Sql } from './store.js';

/**
 * Rows of `oid4vci_authorization` (issuer/store/schema/oid4vci.ts), one per authorization request:
 *
 *   pushed --(browser opens request_uri)--> opened --(admin approves)--> approved
 *     --(browser continues)--> code_issued --(token request)--> redeemed
 *   opened --(admin denies)--> denied;  any live state past expires_at --> expired
 *
 * Every move is one conditional UPDATE on the state it leaves, so of two racing requests only
 * one wins (single use of the request_uri, the approval and the code).
 */
export type AuthorizationStatus = 'pushed' | 'opened' | 'approved' | 'denied' | 'code_issued' | 'redeemed' | 'expired';

export type AuthorizationRow = {
  id: string;
  request_uri_hash: string;
  client_id: string;
  redirect_uri: string;
  client_state: string | null;
  code_challenge: string;
  configuration_id: string | null;
  issuer_state_hash: string | null;
  dpop_jkt: string | null;
  /** 1 when the request came through PAR, 0 when its parameters came in the authorization URL (HAIP off). */
  via_par: number;
  status: AuthorizationStatus;
  session_hash: string | null;
  offer_id: string | null;
  code_hash: string | null;
  created_at: number;
  expires_at: number;
  decided_at: number | null;
  code_expires_at: number | null;
  redeemed_at: number | null;
  reused_at: number | null;
};

export type NewAuthorization = Pick<
  AuthorizationRow,
  | 'id'
  | 'request_uri_hash'
  | 'client_id'
  | 'redirect_uri'
  | 'client_state'
  | 'code_challenge'
  | 'configuration_id'
  | 'issuer_state_hash'
  | 'dpop_jkt'
  | 'via_par'
  | 'created_at'
  | 'expires_at'
> & { status: 'pushed' | 'opened'; session_hash: string | null };

export async function insertAuthorization(sql: Sql, row: NewAuthorization): Promise<void> {
  await sql.write(
    `INSERT INTO "oid4vci_authorization" ("id","request_uri_hash","client_id","redirect_uri","client_state","code_challenge","configuration_id","issuer_state_hash","dpop_jkt","via_par","status","session_hash","created_at","expires_at") VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)`,
    [
      row.id,
      row.request_uri_hash,
      row.client_id,
      row.redirect_uri,
      row.client_state,
      row.code_challenge,
      row.configuration_id,
      row.issuer_state_hash,
      row.dpop_jkt,
      row.via_par,
      row.status,
      row.session_hash,
      row.created_at,
      row.expires_at,
    ],
  );
}

async function one(sql: Sql, where: string, value: string): Promise<AuthorizationRow | undefined> {
  return (await sql.read<AuthorizationRow>(`SELECT * FROM "oid4vci_authorization" WHERE "${where}" = ?`, [value]))[0];
}

export const findAuthorization = (sql: Sql, id: string) => one(sql, 'id', id);
export const findAuthorizationByRequestUri = (sql: Sql, requestUriHash: string) => one(sql, 'request_uri_hash', requestUriHash);
export const findAuthorizationByCode = (sql: Sql, codeHash: string) => one(sql, 'code_hash', codeHash);

/** The request_uri is used (once): the browser that used it holds the session from now on. */
export async function openAuthorization(sql: Sql, id: string, sessionHash: string, now: number, until: number): Promise<boolean> {
  const n = await sql.write(
    `UPDATE "oid4vci_authorization" SET "status" = 'opened', "session_hash" = ?, "expires_at" = ? WHERE "id" = ? AND "status" = 'pushed' AND "expires_at" > ?`,
    [sessionHash, until, id, now],
  );
  return n === 1;
}

/** The admin's decision on an opened request: approved for an enrollment, or denied. */
export async function decideAuthorization(
  sql: Sql,
  id: string,
  decision: { approved: true; offerId: string } | { approved: false },
  now: number,
): Promise<boolean> {
  const n = decision.approved
    ? await sql.write(
        `UPDATE "oid4vci_authorization" SET "status" = 'approved', "offer_id" = ?, "decided_at" = ? WHERE "id" = ? AND "status" = 'opened' AND "expires_at" > ?`,
        [decision.offerId, now, id, now],
      )
    : await sql.write(
        `UPDATE "oid4vci_authorization" SET "status" = 'denied', "decided_at" = ? WHERE "id" = ? AND "status" IN ('pushed','opened') AND "expires_at" > ?`,
        [now, id, now],
      );
  return n === 1;
}

/** The approved request's code goes to the browser (once); the request now lives as long as the code. */
export async function issueAuthorizationCode(sql: Sql, id: string, codeHash: string, now: number, until: number): Promise<boolean> {
  const n = await sql.write(
    `UPDATE "oid4vci_authorization" SET "status" = 'code_issued', "code_hash" = ?, "code_expires_at" = ?, "expires_at" = ?, "session_hash" = NULL WHERE "id" = ? AND "status" = 'approved' AND "expires_at" > ?`,
    [codeHash, until, until, id, now],
  );
  return n === 1;
}

/** The code is exchanged (once). */
export async function redeemAuthorizationCode(sql: Sql, id: string, now: number): Promise<boolean> {
  const n = await sql.write(
    `UPDATE "oid4vci_authorization" SET "status" = 'redeemed', "redeemed_at" = ? WHERE "id" = ? AND "status" = 'code_issued' AND "code_expires_at" > ?`,
    [now, id, now],
  );
  return n === 1;
}

/** A redeemed code came back: noted (the caller revokes the tokens issued from it). */
export async function noteCodeReuse(sql: Sql, id: string, now: number): Promise<void> {
  await sql.write(`UPDATE "oid4vci_authorization" SET "reused_at" = ? WHERE "id" = ?`, [now, id]);
}

/** The browser was sent back to the client with the outcome (denied, expired): its session ends. */
export async function endAuthorizationSession(sql: Sql, id: string, expired: boolean): Promise<void> {
  await sql.write(
    expired
      ? `UPDATE "oid4vci_authorization" SET "session_hash" = NULL, "status" = 'expired' WHERE "id" = ? AND "status" IN ('pushed','opened','approved')`
      : `UPDATE "oid4vci_authorization" SET "session_hash" = NULL WHERE "id" = ?`,
    [id],
  );
}
