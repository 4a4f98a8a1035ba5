import type { DataSource } from 'typeorm';
import { toNetcredError } from '../../core/errors.js';
import { forgetAllocations, reserveStatuses } from '../status/index.js';
import { runExclusive } from '../store/write-lock.js';
import { storeTransaction } from '../store/transaction.js';
import { issueBatch, mintCopy } from './batch.js';
import { inMintSlice } from './mint-gate.js';
import { commitInOneExec } from './one-exec-commit.js';
import type { IssuedCredential, PreparedIssuance } from './prepare.js';

/**
 * Group commit. A SQLite transaction through TypeORM + node-sqlite3 costs milliseconds of
 * per-statement overhead and queueing whatever it writes, so concurrent issuances share one:
 * requests wait in a queue; when the issuer's write queue (runExclusive) reaches them, up to
 * MAX_BATCH waiting requests are written in ONE transaction. A request's promise resolves only
 * after that transaction COMMITTED. The common batch (new subjects, minted ahead on reserved
 * indexes) is written in one call to SQLite's thread (one-exec-commit.ts); any other goes
 * through issueBatch statement by statement. If a batch fails, its members are retried one by
 * one, each in its own transaction, so an error lands on the request that caused it and the
 * others commit.
 *
 * Under load (more requests in flight than one batch holds) the requests behind the batch in
 * the transaction are minted meanwhile (mint-gate.ts), and the next transaction starts with
 * whatever has queued as soon as the previous one committed; a batch never waits to fill up.
 * The cap bounds one transaction's size (statement text, time holding the write lock). Since
 * the one-exec commit, a commit takes 2-5 ms and batches hold 20-50 requests with 256 in flight
 * (bench/suites/mint.ts), so it rarely binds; 256 measured worse (a batch holding every request
 * makes minting and committing take turns).
 */
export const MAX_BATCH = 128;
/** Credentials (holder keys) per transaction, whatever the number of requests. */
const MAX_BATCH_CREDENTIALS = 256;

type Waiting = { job: PreparedIssuance; resolve: (v: IssuedCredential[]) => void; reject: (e: unknown) => void };
type Queue = { waiting: Waiting[]; scheduled: boolean };

const queues = new WeakMap<DataSource, Queue>();

function take(q: Queue): Waiting[] {
  let credentials = 0;
  let n = 0;
  while (n < q.waiting.length && n < MAX_BATCH) {
    const size = q.waiting[n]!.job.holders.length;
    if (n > 0 && credentials + size > MAX_BATCH_CREDENTIALS) break;
    credentials += size;
    n++;
  }
  return q.waiting.splice(0, n);
}

async function commit(ds: DataSource, batch: Waiting[]): Promise<void> {
  try {
    const jobs = batch.map((w) => w.job);
    const results = (await commitInOneExec(ds, jobs)) ?? (await storeTransaction(ds, (tx) => issueBatch(tx, jobs)));
    batch.forEach((w, i) => {
      w.resolve(results[i]!);
    });
    return;
  } catch (err) {
    forgetAllocations(ds);
    if (batch.length === 1) {
      batch[0]!.reject(toNetcredError(err));
      return;
    }
  }
  for (const w of batch) {
    try {
      const [result] = await storeTransaction(ds, (tx) => issueBatch(tx, [w.job]));
      w.resolve(result!);
    } catch (err) {
      forgetAllocations(ds);
      w.reject(toNetcredError(err));
    }
  }
}

function schedule(ds: DataSource, q: Queue): void {
  if (q.scheduled) return;
  q.scheduled = true;
  void runExclusive(ds, async () => {
    // Requests arriving from here on schedule the next batch behind this one.
    q.scheduled = false;
    const batch = take(q);
    if (batch.length) await commit(ds, batch);
    if (q.waiting.length) schedule(ds, q);
  });
}

/**
 * Mints on status indexes reserved in memory, before queueing: the signing then overlaps the
 * transaction in flight instead of running inside the next one. The transaction writes the
 * reservation if it still holds (same newest list, indexes still free), else allocates and
 * mints again.
 */
export async function mintOnReservation(job: PreparedIssuance): Promise<void> {
  const reservation = reserveStatuses(job.ctx.dataSource, job.holders.length);
  if (!reservation) return;
  const credentials: string[] = [];
  for (const [i, holder] of job.holders.entries()) credentials.push(await mintCopy(job, holder, reservation.assignments[i]!));
  job.reserved = { listId: reservation.listId, indexes: reservation.indexes, statuses: reservation.assignments, credentials };
}

/** Queues a prepared issuance for the next group commit; resolves once it is committed. */
export async function enqueueIssuance(job: PreparedIssuance): Promise<IssuedCredential[]> {
  try {
    await inMintSlice(() => mintOnReservation(job));
  } catch (err) {
    throw toNetcredError(err);
  }
  const ds = job.ctx.dataSource;
  let q = queues.get(ds);
  if (!q) queues.set(ds, (q = { waiting: [], scheduled: false }));
  const queue = q;
  return new Promise((resolve, reject) => {
    queue.waiting.push({ job, resolve, reject });
    schedule(ds, queue);
  });
}
