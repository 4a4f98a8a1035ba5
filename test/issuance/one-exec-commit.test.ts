import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { credentialStatus, findIssuanceRecords, issueCredential, type IssuerContext } from '../../issuer/index.js';
// Internals on purpose: this file tests the one-statement commit below issueCredentials.
import { mintOnReservation } from '../../issuer/issuance/group-commit.js';
import { commitInOneExec } from '../../issuer/issuance/one-exec-commit.js';
import { prepareIssuance, type PreparedIssuance } from '../../issuer/issuance/prepare.js';
import { runExclusive } from '../../issuer/status/index.js';
import { makeIdNumber, sampleIdentityClaims } from '../../schemas/index.js';
import { countRecords, newHolder } from './fixtures.js';
import { initTestIssuer } from '../helpers/issuer.js';

let ctx: IssuerContext;
let cleanup: () => Promise<void>;
beforeAll(async () => {
  ({ ctx, close: cleanup } = await initTestIssuer());
  // Loads this process's view of the current list, which reservations need.
  await issueCredential(ctx, { holderDid: newHolder().did, claims: person() });
});
afterAll(async () => cleanup());

const base = sampleIdentityClaims();
let people = 0;
function person(): ReturnType<typeof sampleIdentityClaims> {
  people++;
  return { ...base, id_number: makeIdNumber(String(300000 + people), base.birthdate, 2 * (people % 400)) };
}

/** An issuance prepared and minted on reserved status indexes, as the group commit does before queueing it. */
async function reserved(claims = person(), holders = 1, format: 'dc+sd-jwt' | 'vc+sd-jwt' = 'dc+sd-jwt'): Promise<PreparedIssuance> {
  const job = await prepareIssuance(ctx, { holders: Array.from({ length: holders }, () => ({ did: newHolder().did })), claims, format });
  await mintOnReservation(job);
  expect(job.reserved).toBeDefined();
  return job;
}

async function allocated(): Promise<number> {
  const [row] = (await ctx.dataSource.query('SELECT "allocated" FROM "status_list" ORDER BY "id" DESC LIMIT 1')) as [{ allocated: number }];
  return Number(row.allocated);
}

const commit = (jobs: PreparedIssuance[]) => runExclusive(ctx.dataSource, () => commitInOneExec(ctx.dataSource, jobs));

describe('group commit in one exec (the common case)', () => {
  it('writes the records and status entries of new issuances (several copies, both formats) with what their callers get', async () => {
    const jobs = [await reserved(), await reserved(person(), 3), await reserved(person(), 1, 'vc+sd-jwt')];
    const before = { records: await countRecords(ctx), allocated: await allocated() };
    const results = await commit(jobs);
    expect(results).toBeDefined();
    expect(results!.map((r) => r.length)).toEqual([1, 3, 1]);
    expect(await countRecords(ctx)).toBe(before.records + 5);
    expect(await allocated()).toBe(before.allocated + 5);
    for (const [j, issued] of results!.entries()) {
      for (const [k, c] of issued.entries()) {
        expect(c.credential).toBe(jobs[j]!.reserved!.credentials[k]);
        expect(c.format).toBe(jobs[j]!.format);
        const [record] = await findIssuanceRecords(ctx, { id: c.id });
        expect(record).toMatchObject({
          holderDid: c.holderDid,
          holderThumbprint: c.holderThumbprint,
          subjectRef: jobs[j]!.subjectRef,
          supersededBy: null,
          format: c.format,
        });
        const [entry] = (await ctx.dataSource.query('SELECT "idx", "status" FROM "status_entry" WHERE "credential_id" = ?', [c.id])) as [
          { idx: number; status: number },
        ];
        expect(entry).toEqual({ idx: c.status!.tokenStatus.status_list.idx, status: 0 });
      }
    }
  });

  it('a re-issue (the subject already holds a credential) is left to the full path: nothing of the batch is written', async () => {
    const claims = person();
    const earlier = await issueCredential(ctx, { holderDid: newHolder().did, claims });
    const jobs = [await reserved(), await reserved(claims)];
    const before = { records: await countRecords(ctx), allocated: await allocated() };
    expect(await commit(jobs)).toBeUndefined();
    expect(await countRecords(ctx)).toBe(before.records);
    expect(await allocated()).toBe(before.allocated);
    expect((await credentialStatus(ctx, earlier.id)).status).toBe('valid');
  });

  it('the same subject twice in one batch, a beforeCommit hook, or an issuance minted without a reservation: not this path', async () => {
    const claims = person();
    const before = await countRecords(ctx);
    expect(await commit([await reserved(claims), await reserved(claims)])).toBeUndefined();
    const hooked = await reserved();
    hooked.beforeCommit = async () => undefined;
    expect(await commit([await reserved(), hooked])).toBeUndefined();
    const unreserved = await reserved();
    delete unreserved.reserved;
    expect(await commit([unreserved])).toBeUndefined();
    expect(await countRecords(ctx)).toBe(before);
  });

  it('a reserved index taken meanwhile by another process, or a newer list opened by one, fails the claim and writes nothing', async () => {
    const job = await reserved();
    const before = { records: await countRecords(ctx), allocated: await allocated() };
    // As a CLI process would, straight in the database.
    await ctx.dataSource.query(
      `INSERT INTO "status_entry" ("credential_id", "list_id", "idx", "status", "reason", "updated_at") VALUES ('elsewhere', ?, ?, 0, NULL, '2026-01-01T00:00:00Z')`,
      [job.reserved!.listId, job.reserved!.indexes[0]],
    );
    expect(await commit([job])).toBeUndefined();
    expect(await countRecords(ctx)).toBe(before.records);
    expect(await allocated()).toBe(before.allocated);

    const next = await reserved();
    await ctx.dataSource.query(
      `INSERT INTO "status_list" ("id", "uri", "size", "bits", "allocated", "version", "created_at") VALUES (?, ?, 16384, 2, 0, 0, '2026-01-01T00:00:00Z')`,
      [next.reserved!.listId + 1, `https://elsewhere.example/status/lists/${next.reserved!.listId + 1}`],
    );
    expect(await commit([next])).toBeUndefined();
    expect(await countRecords(ctx)).toBe(before.records);
    // The full path still issues (on the newest list).
    const issued = await issueCredential(ctx, { holderDid: newHolder().did, claims: person() });
    expect(issued.status!.tokenStatus.status_list.uri).toBe(`https://elsewhere.example/status/lists/${next.reserved!.listId + 1}`);
  });
});
