import type { DataSource } from 'typeorm';
import { insertEntriesParams, insertEntriesSql, reservedIndexesTaken, strictReservationClaimSql } from '../status/index.js';
import { processWriteGate } from '../store/cluster-write-gate.js';
import { isPostgres } from '../store/dialect.js';
import { execTransaction } from '../store/exec-transaction.js';
import { inlineParams } from '../store/inline-sql.js';
import { assemble, mintedOnReservation, supersession, type Minted } from './batch.js';
import type { IssuedCredential, PreparedIssuance } from './prepare.js';
import { insertRecordsParams, insertRecordsSql, noCurrentRecordSql } from './records.js';

/**
 * The common case of a group commit in one exec on SQLite's thread after its BEGIN, or one
 * message to PostgreSQL (exec-transaction.ts): every issuance minted ahead on reserved indexes of one list, none
 * with a beforeCommit hook unless it comes with its SQL form (inlineCommit: its condition joins
 * the claim, its statements follow the records; a key spent twice in the batch sends it to
 * issueBatch), no subject twice. Three statements (and the inline ones): the reservation claim, which
 * fails unless the list is still the newest with room AND no subject of the batch has a
 * current credential of its type (a re-issue needs the supersede and revoke steps of
 * issueBatch); the status entries; the records.
 *
 * Returns undefined when the batch is not of that kind, or when the transaction failed (a
 * re-issue, another process took a reserved index or opened a list, or any other error):
 * nothing of it was committed and the caller runs issueBatch, which handles every case and
 * reports the errors that remain.
 */
export async function commitInOneExec(ds: DataSource, jobs: PreparedIssuance[]): Promise<IssuedCredential[][] | undefined> {
  const listId = jobs[0]?.reserved?.listId;
  if (listId === undefined) return undefined;
  for (const job of jobs) if (!job.reserved || job.reserved.listId !== listId || (job.beforeCommit && !job.inlineCommit)) return undefined;
  const inline = jobs.flatMap((job) => (job.inlineCommit ? [job.inlineCommit(job.holders.map((h) => h.id))] : []));
  const spent = new Set<string>();
  for (const key of inline.flatMap((i) => i.keys)) {
    if (spent.has(key)) return undefined;
    spent.add(key);
  }
  const { next } = supersession(jobs, []);
  if (next.size) return undefined;
  // Other processes write too (PostgreSQL nodes, --workers on SQLite): a reserved index one of
  // them took since this process read the list would fail the whole exec; issueBatch mints only
  // those issuances again. Alone on SQLite, the read is skipped (a CLI's write is rare).
  if (isPostgres(ds) || processWriteGate()) {
    const reservedIndexes = jobs.flatMap((j) => j.reserved!.indexes);
    if ((await reservedIndexesTaken(ds.manager, listId, reservedIndexes)).size) return undefined;
  }

  const minted: Minted = new Map();
  const ids: string[] = [];
  const indexes: number[] = [];
  const subjects = new Map<string, string[]>();
  for (const job of jobs) {
    minted.set(job, mintedOnReservation(job));
    for (const [i, h] of job.holders.entries()) {
      ids.push(h.id);
      indexes.push(job.reserved!.indexes[i]!);
    }
    const refs = subjects.get(job.vct);
    if (refs) refs.push(job.subjectRef);
    else subjects.set(job.vct, [job.subjectRef]);
  }
  const noReissue = [...subjects].map(([vct, refs]) => {
    const { sql, params } = noCurrentRecordSql(vct, refs);
    return inlineParams(sql, params);
  });
  const { issued, records } = assemble(jobs, minted, next);
  try {
    await execTransaction(ds, [
      strictReservationClaimSql(listId, ids.length, [...noReissue, ...inline.map((i) => `(${i.require})`)].join(' AND ')),
      inlineParams(insertEntriesSql(ids.length), insertEntriesParams(listId, ids, indexes, new Date().toISOString())),
      inlineParams(insertRecordsSql(records.length), insertRecordsParams(records)),
      ...inline.flatMap((i) => i.statements),
    ]);
  } catch {
    return undefined;
  }
  return jobs.map((j) => issued.get(j)!);
}
