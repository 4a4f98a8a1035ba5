import type { DataSource } from 'typeorm';
import { toNetcredError } from '../../core/errors.js';
import { execTransaction } from '../store/exec-transaction.js';
import { inlineParams } from '../store/inline-sql.js';
import { sqliteConnectionOf, storeTransaction } from '../store/transaction.js';
import { runExclusive } from '../store/write-lock.js';
import { inTransaction, insertAccessToken, type Sql } from './store.js';

/** A pre-authorized code's redemption: its offer moves from pending to redeemed and an access token is stored. */
export type Redemption = { codeHash: string; now: number; until: number; tokenHash: string; dpopJkt: string | null };

type Waiting = Redemption & { resolve: (redeemed: boolean) => void; reject: (err: unknown) => void };
type Queue = { waiting: Waiting[]; scheduled: boolean };

const MAX_BATCH = 128;
const queues = new WeakMap<DataSource, Queue>();

/** The offer of a code, pending, unexpired and without tx_code. */
const OPEN_WITHOUT_TX_CODE = `"state" = 'pending' AND "expires_at" > ? AND "tx_code_mac" IS NULL`;

/**
 * The statements of one redemption for a one-exec batch. The offer's state becomes NULL (a
 * NOT NULL violation: the exec fails) unless it is still pending, unexpired and without a
 * tx_code, and the token's offer_id is NULL (the same) when no offer has this code: a batch
 * commits only if every redemption in it is its offer's first.
 */
function redemptionSql(r: Redemption): string[] {
  return [
    inlineParams(
      `UPDATE "oid4vci_offer" SET "state" = CASE WHEN ${OPEN_WITHOUT_TX_CODE} THEN 'redeemed' ELSE NULL END, "redeemed_at" = ?, "expires_at" = ?, "offer_sealed" = NULL WHERE "code_hash" = ?`,
      [r.now, r.now, r.until, r.codeHash],
    ),
    inlineParams(
      `INSERT INTO "oid4vci_access_token" ("token_hash","offer_id","created_at","expires_at","dpop_jkt","authorization_id") VALUES (?,(SELECT "id" FROM "oid4vci_offer" WHERE "code_hash" = ?),?,?,?,NULL)`,
      [r.tokenHash, r.codeHash, r.now, r.until, r.dpopJkt],
    ),
  ];
}

/** One redemption in its own transaction: false when its offer is unknown, not pending, expired or has a tx_code. */
async function redeemAlone(sql: Sql, r: Redemption): Promise<boolean> {
  const n = await sql.write(
    `UPDATE "oid4vci_offer" SET "state" = 'redeemed', "redeemed_at" = ?, "expires_at" = ?, "offer_sealed" = NULL WHERE "code_hash" = ? AND ${OPEN_WITHOUT_TX_CODE}`,
    [r.now, r.until, r.codeHash, r.now],
  );
  if (n !== 1) return false;
  const [offer] = await sql.read<{ id: string }>(`SELECT "id" FROM "oid4vci_offer" WHERE "code_hash" = ?`, [r.codeHash]);
  await insertAccessToken(sql, { token_hash: r.tokenHash, offer_id: offer!.id, created_at: r.now, expires_at: r.until, dpop_jkt: r.dpopJkt });
  return true;
}

/**
 * Another store (PostgreSQL): the batch in ONE transaction, each redemption guarded by its own
 * statements (an UPDATE that changes no row is no error there, so one that lost does not abort
 * the others). A store failure rejects them all: nothing of it was committed.
 */
async function commitInOneTransaction(ds: DataSource, batch: Waiting[]): Promise<void> {
  let results: boolean[];
  try {
    results = await storeTransaction(ds, async (tx) => {
      const sql = inTransaction(tx);
      const out: boolean[] = [];
      for (const w of batch) out.push(await redeemAlone(sql, w));
      return out;
    });
  } catch (err) {
    for (const w of batch) w.reject(toNetcredError(err));
    return;
  }
  batch.forEach((w, i) => {
    w.resolve(results[i]!);
  });
}

async function commit(ds: DataSource, batch: Waiting[]): Promise<void> {
  if (!sqliteConnectionOf(ds)) return commitInOneTransaction(ds, batch);
  const offers = new Set(batch.map((w) => w.codeHash));
  if (offers.size === batch.length) {
    try {
      await execTransaction(ds, batch.flatMap(redemptionSql));
      for (const w of batch) w.resolve(true);
      return;
    } catch {
      // One was not the first (or the store failed): each alone says which.
    }
  }
  for (const w of batch) {
    try {
      w.resolve(await storeTransaction(ds, (tx) => redeemAlone(inTransaction(tx), w)));
    } catch (err) {
      w.reject(toNetcredError(err));
    }
  }
}

function schedule(ds: DataSource, q: Queue): void {
  if (q.scheduled) return;
  q.scheduled = true;
  void runExclusive(ds, async () => {
    q.scheduled = false;
    const batch = q.waiting.splice(0, MAX_BATCH);
    if (batch.length) await commit(ds, batch);
    if (q.waiting.length) schedule(ds, q);
  });
}

/**
 * Redeems a pre-authorized code sent WITHOUT tx_code, in a group commit with the redemptions
 * waiting in this process: one exec on SQLite's thread (as issuer/issuance/group-commit.ts does
 * for issuances), each guarded in SQL so that only the first redemption of an offer, in any
 * process, succeeds. Resolves after COMMIT: true, the token is stored; false, nothing was
 * written and the caller answers through the exact path (token.ts: unknown, closed, or a
 * tx_code required). Nothing is read before: a read on the shared connection could land inside
 * another request's transaction. On PostgreSQL the batch is one transaction of guarded
 * statements (commitInOneTransaction).
 */
export function redeemWithoutTxCode(ds: DataSource, r: Redemption): Promise<boolean> {
  let q = queues.get(ds);
  if (!q) queues.set(ds, (q = { waiting: [], scheduled: false }));
  const queue = q;
  return new Promise((resolve, reject) => {
    queue.waiting.push({ ...r, resolve, reject });
    schedule(ds, queue);
  });
}
