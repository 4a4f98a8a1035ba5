import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isNetcredError, NetcredError, type ErrorCode } from '../../core/index.js';
import { credentialStatus, findIssuanceRecords, issueCredential, issueCredentials, type IssuedCredential, type IssuerContext } from '../../issuer/index.js';
// An internal on purpose: a write transaction held open is what the group commit must wait for.
import { writeTransaction } from '../../issuer/status/index.js';
import { makeIdNumber, sampleIdentityClaims } from '../../schemas/index.js';
import { countRecords, newHolder } from './fixtures.js';
import { initTestIssuer } from '../helpers/issuer.js';

/** A code outside core/errors/codes.ts, as a foreign signer or hook may throw it: it must pass through unchanged. */
const foreign = (code: string) => code as ErrorCode;

let ctx: IssuerContext;
let cleanup: () => Promise<void>;
beforeAll(async () => {
  ({ ctx, close: cleanup } = await initTestIssuer());
});
afterAll(async () => cleanup());

const base = sampleIdentityClaims();
let people = 0;
/** Claims of a person nobody issued to yet (distinct id_number). */
function person(): ReturnType<typeof sampleIdentityClaims> {
  people++;
  return { ...base, id_number: makeIdNumber(String(200000 + people), base.birthdate, 2 * (people % 400)) };
}

async function entries(ids: string[]): Promise<Array<{ credential_id: string; list_id: number; idx: number; status: number }>> {
  return (await ctx.dataSource.query(
    `SELECT "credential_id", "list_id", "idx", "status" FROM "status_entry" WHERE "credential_id" IN (${ids.map(() => '?').join(',')})`,
    ids,
  )) as never;
}

function statusIdx(c: IssuedCredential): string {
  return `${c.status!.tokenStatus.status_list.uri}#${c.status!.tokenStatus.status_list.idx}`;
}

describe('group commit of concurrent issuances', () => {
  it('200 concurrent issueCredential calls for different people all commit, with distinct status indexes and records', async () => {
    const before = await countRecords(ctx);
    const issued = await Promise.all(Array.from({ length: 200 }, () => issueCredential(ctx, { holderDid: newHolder().did, claims: person() })));
    expect(await countRecords(ctx)).toBe(before + 200);
    expect(new Set(issued.map((c) => c.id)).size).toBe(200);
    expect(new Set(issued.map(statusIdx)).size).toBe(200);
    // What each caller got is what was committed: its record, and its status entry at the index in its credential.
    const rows = new Map((await entries(issued.map((c) => c.id))).map((r) => [r.credential_id, r]));
    for (const c of issued) {
      expect(rows.get(c.id)?.idx).toBe(c.status!.tokenStatus.status_list.idx);
      expect(rows.get(c.id)?.status).toBe(0);
      const [record] = await findIssuanceRecords(ctx, { id: c.id });
      expect(record).toMatchObject({ holderDid: c.holderDid, holderThumbprint: c.holderThumbprint, supersededBy: null });
    }
  });

  it('one failing request in a concurrent batch fails alone with its typed error; the others commit', async () => {
    const before = await countRecords(ctx);
    const failingSigner = {
      alg: ctx.signer.alg,
      kid: ctx.signer.kid,
      sign: () => Promise.reject(new NetcredError(foreign('KMS_UNAVAILABLE'), 'HSM unavailable')),
    };
    const spent = new NetcredError(foreign('TEST_HOOK_REFUSED'), 'refused in beforeCommit');
    const settle = <T>(p: Promise<T>) =>
      p.then(
        (v) => ({ ok: true as const, v }),
        (e: unknown) => ({ ok: false as const, e }),
      );
    const calls = [
      ...Array.from({ length: 10 }, () => settle(issueCredential(ctx, { holderDid: newHolder().did, claims: person() }))),
      settle(issueCredential({ ...ctx, signer: failingSigner }, { holderDid: newHolder().did, claims: person() })),
      ...Array.from({ length: 10 }, () => settle(issueCredential(ctx, { holderDid: newHolder().did, claims: person() }))),
      settle(
        issueCredentials(
          ctx,
          { holders: [{ holderDid: newHolder().did }], claims: person() },
          {
            beforeCommit: async () => {
              throw spent;
            },
          },
        ),
      ),
      settle(issueCredential(ctx, { holderDid: newHolder().did, claims: { ...person(), birthdate: 'not a date' } })),
      ...Array.from({ length: 10 }, () => settle(issueCredential(ctx, { holderDid: newHolder().did, claims: person() }))),
    ];
    const results = await Promise.all(calls);
    const failed = results.filter((r) => !r.ok).map((r) => (r as { e: unknown }).e);
    expect(failed).toHaveLength(3);
    expect(failed.every((e) => isNetcredError(e))).toBe(true);
    expect(failed.map((e) => (e as NetcredError).code).sort()).toEqual(['INVALID_INPUT', 'KMS_UNAVAILABLE', 'TEST_HOOK_REFUSED']);
    expect(results[10]!.ok).toBe(false);
    expect(results[21]!.ok).toBe(false);
    expect(results[22]!.ok).toBe(false);
    expect(await countRecords(ctx)).toBe(before + 30);
  });

  it('two issuances for the same person in flight together (and an earlier one) leave exactly one unrevoked credential', async () => {
    const claims = person();
    const earlier = await issueCredential(ctx, { holderDid: newHolder().did, claims });
    const [a, b, other] = await Promise.all([
      issueCredential(ctx, { holderDid: newHolder().did, claims }),
      issueCredential(ctx, { holderDid: newHolder().did, claims }),
      issueCredential(ctx, { holderDid: newHolder().did, claims: person() }),
    ]);
    const mine = [earlier, a!, b!];
    const statuses = await Promise.all(mine.map((c) => credentialStatus(ctx, c.id)));
    const records = await Promise.all(mine.map(async (c) => (await findIssuanceRecords(ctx, { id: c.id }))[0]!));
    expect(statuses.filter((s) => s.status === 'valid')).toHaveLength(1);
    expect(records.filter((r) => r.supersededBy === null)).toHaveLength(1);
    // The one left is the latest (b was queued after a), and it is the same credential in both views.
    expect(statuses[2]!.status).toBe('valid');
    expect(records[2]!.supersededBy).toBeNull();
    for (const s of statuses.slice(0, 2)) expect(s).toMatchObject({ status: 'revoked', reason: 'superseded' });
    expect((await credentialStatus(ctx, other!.id)).status).toBe('valid');
  });

  it('issueCredentials: copies for several holder keys do not supersede each other; the next issuance supersedes all of them', async () => {
    const claims = person();
    const holders = [newHolder(), newHolder('p256'), newHolder()];
    const copies = await issueCredentials(ctx, { holders: holders.map((h) => ({ holderDid: h.did })), claims });
    expect(copies.map((c) => c.holderDid)).toEqual(holders.map((h) => h.did));
    for (const c of copies) expect((await credentialStatus(ctx, c.id)).status).toBe('valid');
    const [next] = await issueCredentials(ctx, { holders: [{ holderDid: newHolder().did }], claims });
    for (const c of copies) {
      expect((await credentialStatus(ctx, c.id)).status).toBe('revoked');
      expect((await findIssuanceRecords(ctx, { id: c.id }))[0]!.supersededBy).toBe(next!.id);
    }
  });

  it('issueCredentials refuses bad holder lists before any write', async () => {
    const before = await countRecords(ctx);
    const h = newHolder();
    for (const holders of [[], [{ holderDid: '' }], [{ holderDid: h.did }, { holderDid: h.did }]]) {
      await expect(issueCredentials(ctx, { holders, claims: person() })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    }
    expect(await countRecords(ctx)).toBe(before);
  });

  it("runs inside a caller's transaction with options.tx, and rolls back with it", async () => {
    const before = await countRecords(ctx);
    const claims = person();
    let inside: IssuedCredential[] = [];
    await expect(
      writeTransaction(ctx.dataSource, async (tx) => {
        inside = await issueCredentials(ctx, { holders: [{ holderDid: newHolder().did }], claims }, { tx });
        expect(await countRecords({ dataSource: { query: (q: string) => tx.query(q) } } as never)).toBe(before + 1);
        throw new Error('caller aborts');
      }),
    ).rejects.toThrow('caller aborts');
    expect(inside).toHaveLength(1);
    expect(await countRecords(ctx)).toBe(before);
    const ok = await writeTransaction(ctx.dataSource, (tx) => issueCredential(ctx, { holderDid: newHolder().did, claims }, { tx }));
    expect((await credentialStatus(ctx, ok.id)).status).toBe('valid');
  });

  it('indexes taken behind its back (another process) are detected by UNIQUE(list, idx) and picked again', async () => {
    await issueCredential(ctx, { holderDid: newHolder().did, claims: person() }); // the in-memory view of the list is loaded
    const [{ id: listId, size }] = (await ctx.dataSource.query('SELECT "id", "size" FROM "status_list" ORDER BY "id" DESC LIMIT 1')) as [
      { id: number; size: number },
    ];
    // As a CLI process would, straight in the database: take 3 of every 4 free indexes.
    await writeTransaction(ctx.dataSource, (tx) =>
      tx.query(
        `WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < ? - 1)
         INSERT INTO "status_entry" ("credential_id", "list_id", "idx", "status", "reason", "updated_at")
         SELECT 'elsewhere-' || i, ?, i, 0, NULL, '2026-01-01T00:00:00Z' FROM n
         WHERE i % 4 != 0 AND i NOT IN (SELECT "idx" FROM "status_entry" WHERE "list_id" = ?)`,
        [size, listId, listId],
      ),
    );
    // One at a time first (a lone request has no batch to retry it): the first pick hits a taken index with p = 3/4 each time.
    const issued: IssuedCredential[] = [];
    for (let i = 0; i < 8; i++) issued.push(await issueCredential(ctx, { holderDid: newHolder().did, claims: person() }));
    issued.push(...(await Promise.all(Array.from({ length: 40 }, () => issueCredential(ctx, { holderDid: newHolder().did, claims: person() })))));
    const rows = await entries(issued.map((c) => c.id));
    expect(rows).toHaveLength(48);
    for (const c of issued)
      expect(
        c.status!.tokenStatus.status_list.idx % 4 === 0 ||
          c.status!.tokenStatus.status_list.uri !== `${ctx.config.publicUrl.replace(/\/+$/, '')}/status/lists/${listId}`,
      ).toBe(true);
  });
});
