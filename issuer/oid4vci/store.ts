import type { DataSource, EntityManager } from 'typeorm';
import { storageErrorOf } from '../../core/storage-errors.js';
import { noteStoreSuccess } from '../store/health.js';
import { storeFailure } from '../store/transaction.js';
import { runExclusive, writeTransaction } from '../store/write-lock.js';

/** Raw rows of the OpenID4VCI tables (see issuer/store/schema/oid4vci.ts). Times are epoch seconds. */
export type OfferState = 'pending' | 'authorized' | 'redeemed' | 'issued' | 'burned' | 'expired';

export type OfferRow = {
  id: string;
  code_hash: string;
  tx_code_mac: string | null;
  tx_failures: number;
  configuration_id: string;
  claims_sealed: string | null;
  offer_sealed: string | null;
  evidence: string;
  state: OfferState;
  created_at: number;
  expires_at: number;
  redeemed_at: number | null;
  issued_at: number | null;
  credential_ids: string | null;
  /** SHA-256 of the issuer_state of the offer's authorization_code grant, if it has one. */
  issuer_state_hash: string | null;
};

export type AccessTokenRow = {
  token_hash: string;
  offer_id: string;
  created_at: number;
  expires_at: number;
  used_at: number | null;
  /** RFC 9449: the thumbprint of the DPoP key the token is bound to (its cnf.jkt); null: a Bearer token. */
  dpop_jkt: string | null;
  /** The authorization (code) it was issued for; null for a pre-authorized code. */
  authorization_id: string | null;
  revoked_at: number | null;
};

export function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}

/** Where statements run: on their own (queued) or inside a write transaction. */
export type Sql = {
  read<T>(sql: string, params: unknown[]): Promise<T[]>;
  /** Returns the number of rows changed (TypeORM reports it only in a structured result). */
  write(sql: string, params: unknown[]): Promise<number>;
};

/**
 * Single statements, queued with the issuer's write transactions: TypeORM's SQLite driver has
 * one connection per process, and a statement run while another request's transaction is
 * open would join (and roll back with) it.
 */
export function standalone(ds: DataSource): Sql {
  return {
    read: async <T>(sql: string, params: unknown[]) => {
      try {
        return (await ds.query(sql, params)) as T[];
      } catch (err) {
        throw storageErrorOf(err, 'issuer store') ?? err; // typed; a read does not mark the (write) health
      }
    },
    // A fault is the typed StorageError (and marks the store degraded), as in a write transaction.
    write: (sql, params) =>
      runExclusive(ds, async () => {
        const runner = ds.createQueryRunner();
        let affected: number;
        try {
          affected = ((await runner.query(sql, params, true)) as { affected?: number }).affected ?? 0;
        } catch (err) {
          throw storeFailure(ds, err);
        } finally {
          await runner.release();
        }
        noteStoreSuccess(ds);
        return affected;
      }),
  };
}

export function inTransaction(tx: EntityManager): Sql {
  return {
    read: async <T>(sql: string, params: unknown[]) => (await tx.query(sql, params)) as T[],
    write: async (sql, params) => ((await tx.queryRunner!.query(sql, params, true)) as { affected?: number }).affected ?? 0,
  };
}

/** One write transaction (queued, write lock taken at once); everything in it commits or nothing does. */
export function transaction<T>(ds: DataSource, fn: (sql: Sql, tx: EntityManager) => Promise<T>): Promise<T> {
  return writeTransaction(ds, (tx) => fn(inTransaction(tx), tx));
}

export async function insertOffer(
  sql: Sql,
  row: Omit<OfferRow, 'tx_failures' | 'redeemed_at' | 'issued_at' | 'credential_ids' | 'state' | 'issuer_state_hash'> & { issuer_state_hash?: string | null },
): Promise<void> {
  await sql.write(
    `INSERT INTO "oid4vci_offer" ("id","code_hash","tx_code_mac","tx_failures","configuration_id","claims_sealed","offer_sealed","evidence","state","created_at","expires_at","issuer_state_hash") VALUES (?,?,?,0,?,?,?,?,'pending',?,?,?)`,
    [
      row.id,
      row.code_hash,
      row.tx_code_mac,
      row.configuration_id,
      row.claims_sealed,
      row.offer_sealed,
      row.evidence,
      row.created_at,
      row.expires_at,
      row.issuer_state_hash ?? null,
    ],
  );
}

export async function findOfferByIssuerState(sql: Sql, issuerStateHash: string): Promise<OfferRow | undefined> {
  return (await sql.read<OfferRow>(`SELECT * FROM "oid4vci_offer" WHERE "issuer_state_hash" = ?`, [issuerStateHash]))[0];
}

/**
 * An admin approved an authorization request for this enrollment: its claims now wait for that
 * request's code only (`until`), and its pre-authorized code no longer works. Single use, like redeemOffer.
 */
export async function authorizeOffer(sql: Sql, id: string, now: number, until: number): Promise<boolean> {
  const n = await sql.write(
    `UPDATE "oid4vci_offer" SET "state" = 'authorized', "expires_at" = ?, "offer_sealed" = NULL WHERE "id" = ? AND "state" = 'pending' AND "expires_at" > ? AND "claims_sealed" IS NOT NULL`,
    [until, id, now],
  );
  return n === 1;
}

/** The authorization code of an authorized offer was exchanged: as redeemOffer, from `authorized`. */
export async function redeemAuthorizedOffer(sql: Sql, id: string, now: number, until: number): Promise<boolean> {
  const n = await sql.write(
    `UPDATE "oid4vci_offer" SET "state" = 'redeemed', "redeemed_at" = ?, "expires_at" = ? WHERE "id" = ? AND "state" = 'authorized' AND "expires_at" > ?`,
    [now, until, id, now],
  );
  return n === 1;
}

export async function findOfferByCodeHash(sql: Sql, codeHash: string): Promise<OfferRow | undefined> {
  return (await sql.read<OfferRow>(`SELECT * FROM "oid4vci_offer" WHERE "code_hash" = ?`, [codeHash]))[0];
}

export async function findOffer(sql: Sql, id: string): Promise<OfferRow | undefined> {
  return (await sql.read<OfferRow>(`SELECT * FROM "oid4vci_offer" WHERE "id" = ?`, [id]))[0];
}

/**
 * Counts a wrong tx_code, only while the offer is pending with fewer than `maxTries` failures;
 * at `maxTries` the offer is burned and its claims erased, in the same statement. Returns the
 * failures counted so far, or undefined when this one was not counted (no longer pending).
 * Run it in the write transaction that read the offer: the count it returns is then exact,
 * whatever other requests or processes do.
 */
export async function recordTxFailure(sql: Sql, id: string, maxTries: number): Promise<number | undefined> {
  const n = await sql.write(
    `UPDATE "oid4vci_offer" SET "tx_failures" = "tx_failures" + 1,
       "state" = CASE WHEN "tx_failures" + 1 >= ? THEN 'burned' ELSE "state" END,
       "claims_sealed" = CASE WHEN "tx_failures" + 1 >= ? THEN NULL ELSE "claims_sealed" END,
       "offer_sealed" = CASE WHEN "tx_failures" + 1 >= ? THEN NULL ELSE "offer_sealed" END
     WHERE "id" = ? AND "state" = 'pending' AND "tx_failures" < ?`,
    [maxTries, maxTries, maxTries, id, maxTries],
  );
  if (n !== 1) return undefined;
  const [row] = await sql.read<{ tx_failures: number }>(`SELECT "tx_failures" FROM "oid4vci_offer" WHERE "id" = ?`, [id]);
  return row ? Number(row.tx_failures) : undefined;
}

/**
 * Single use: only one caller can move an offer from pending to redeemed. Its claims now live
 * as long as the access token (`until`).
 */
export async function redeemOffer(sql: Sql, id: string, now: number, until: number): Promise<boolean> {
  const n = await sql.write(
    `UPDATE "oid4vci_offer" SET "state" = 'redeemed', "redeemed_at" = ?, "expires_at" = ?, "offer_sealed" = NULL WHERE "id" = ? AND "state" = 'pending' AND "expires_at" > ?`,
    [now, until, id, now],
  );
  return n === 1;
}

/** The credentials are out: erase the claims for good. */
export async function markIssued(sql: Sql, id: string, now: number, credentialIds: string[]): Promise<void> {
  await sql.write(`UPDATE "oid4vci_offer" SET "state" = 'issued', "issued_at" = ?, "claims_sealed" = NULL, "credential_ids" = ? WHERE "id" = ?`, [
    now,
    JSON.stringify(credentialIds),
    id,
  ]);
}

export async function insertAccessToken(
  sql: Sql,
  row: Omit<AccessTokenRow, 'used_at' | 'revoked_at' | 'dpop_jkt' | 'authorization_id'> & { dpop_jkt?: string | null; authorization_id?: string | null },
): Promise<void> {
  await sql.write(`INSERT INTO "oid4vci_access_token" ("token_hash","offer_id","created_at","expires_at","dpop_jkt","authorization_id") VALUES (?,?,?,?,?,?)`, [
    row.token_hash,
    row.offer_id,
    row.created_at,
    row.expires_at,
    row.dpop_jkt ?? null,
    row.authorization_id ?? null,
  ]);
}

/** RFC 6749 4.1.2: the tokens issued from an authorization code that was used again are revoked. */
export async function revokeAccessTokensOf(sql: Sql, authorizationId: string, now: number): Promise<number> {
  return sql.write(`UPDATE "oid4vci_access_token" SET "revoked_at" = ? WHERE "authorization_id" = ? AND "revoked_at" IS NULL`, [now, authorizationId]);
}

export async function findAccessToken(sql: Sql, tokenHash: string): Promise<AccessTokenRow | undefined> {
  return (await sql.read<AccessTokenRow>(`SELECT * FROM "oid4vci_access_token" WHERE "token_hash" = ?`, [tokenHash]))[0];
}

/** Single use: the first credential request that gets here wins. */
export async function consumeAccessToken(sql: Sql, tokenHash: string, now: number): Promise<boolean> {
  const n = await sql.write(
    `UPDATE "oid4vci_access_token" SET "used_at" = ? WHERE "token_hash" = ? AND "used_at" IS NULL AND "revoked_at" IS NULL AND "expires_at" > ?`,
    [now, tokenHash, now],
  );
  return n === 1;
}

/**
 * A DPoP proof or client attestation PoP id, remembered until `expiresAt` (when its iat is too
 * old for it to be accepted anyway): the first insert wins, a second is a replay, whichever
 * process or restart it comes from.
 */
export async function recordJti(sql: Sql, jtiHash: string, expiresAt: number): Promise<boolean> {
  return (await sql.write(`INSERT INTO "oid4vci_jti" ("jti_hash","expires_at") VALUES (?,?) ON CONFLICT DO NOTHING`, [jtiHash, expiresAt])) === 1;
}

/**
 * c_nonces are stateless (MAC'd, see nonce.ts); what is stored is their USE: the first insert
 * of a nonce's hash wins, a second is a replay. Rows can go once the nonce has expired.
 */
export async function recordNonceUse(sql: Sql, nonceHash: string, expiresAt: number): Promise<boolean> {
  return (await sql.write(`INSERT INTO "oid4vci_nonce" ("nonce_hash","expires_at") VALUES (?,?) ON CONFLICT DO NOTHING`, [nonceHash, expiresAt])) === 1;
}

const lastSweep = new WeakMap<DataSource, number>();
const SWEEP_EVERY = 30;

/** Housekeeping at most every 30 s per process (see purgeExpired). */
export async function sweepExpired(ds: DataSource, now: number): Promise<void> {
  if ((lastSweep.get(ds) ?? -Infinity) > now - SWEEP_EVERY) return;
  lastSweep.set(ds, now);
  await purgeExpired(ds, now);
}

/** Expires offers (erasing their claims and sealed offer) and authorization requests, drops dead nonces, jtis and tokens. */
export async function purgeExpired(ds: DataSource, now: number): Promise<void> {
  const sql = standalone(ds);
  await sql.write(
    `UPDATE "oid4vci_offer" SET "state" = 'expired', "claims_sealed" = NULL, "offer_sealed" = NULL WHERE "state" IN ('pending','authorized','redeemed') AND "expires_at" <= ?`,
    [now],
  );
  await sql.write(
    `UPDATE "oid4vci_authorization" SET "status" = 'expired', "session_hash" = NULL WHERE "status" IN ('pushed','opened','approved','code_issued') AND "expires_at" <= ?`,
    [now],
  );
  await sql.write(`DELETE FROM "oid4vci_nonce" WHERE "expires_at" <= ?`, [now]);
  await sql.write(`DELETE FROM "oid4vci_jti" WHERE "expires_at" <= ?`, [now]);
  await sql.write(`DELETE FROM "oid4vci_access_token" WHERE "expires_at" <= ?`, [now]);
}

/**
 * The credentials are out, if the offer is still open (pending or redeemed, claims kept): with
 * the shared state (Redis) the offer's row is not moved at token time, so this guard is what
 * makes it issue once. False: nothing changed.
 */
export async function markIssuedIfOpen(sql: Sql, id: string, now: number, credentialIds: string[]): Promise<boolean> {
  const n = await sql.write(
    `UPDATE "oid4vci_offer" SET "state" = 'issued', "issued_at" = ?, "claims_sealed" = NULL, "credential_ids" = ? WHERE "id" = ? AND "state" IN ('pending','redeemed') AND "claims_sealed" IS NOT NULL`,
    [now, JSON.stringify(credentialIds), id],
  );
  return n === 1;
}

/** The last tx_code attempt counted in the shared state was wrong: the offer is burned and its claims erased. */
export async function burnOffer(sql: Sql, id: string, failures: number): Promise<void> {
  await sql.write(
    `UPDATE "oid4vci_offer" SET "state" = 'burned', "tx_failures" = ?, "claims_sealed" = NULL, "offer_sealed" = NULL WHERE "id" = ? AND "state" = 'pending'`,
    [failures, id],
  );
}
