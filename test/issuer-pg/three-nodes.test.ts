import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeSdJwt, decodeStatusListToken } from '../../core/index.js';
import { freePort } from '../helpers/issuer.js';
import { tempDir } from '../helpers/tmp.js';
import { createTestDatabase, initPgIssuer, issueOverHttp, person, pooled, requirePostgres, startNode, type IssuerNode, type TestDatabase } from './helpers.js';

/**
 * Three `netcred issuer serve` processes on one PostgreSQL database, issuing at once through the
 * production path (enrollment, token, nonce, credential over HTTP): 1,000 people each, and 20
 * people issued to by all three nodes at the same moment. What the credentials carry and what the
 * database and the published lists say must agree exactly.
 */

const FILE = 'test/issuer-pg/three-nodes.test.ts';
const PER_NODE = 1000;
const SHARED_PEOPLE = 20;
const CONCURRENCY_PER_NODE = 12;

const ok = await requirePostgres(FILE);

type Issued = { credential: string; person: number; node: number };

function statusOf(credential: string): { uri: string; idx: number } {
  const claims = decodeSdJwt(credential).claims as { status: { status_list: { uri: string; idx: number } } };
  return claims.status.status_list;
}

describe.runIf(ok)('three issuer nodes on one PostgreSQL database', { timeout: 600_000 }, () => {
  const tmp = tempDir('netcred-pg-nodes-');
  let db: TestDatabase;
  let nodes: IssuerNode[] = [];
  let publicUrl = '';

  beforeAll(async () => {
    db = await createTestDatabase();
    // One issuer (one config, one secret, one public URL, as behind a load balancer) served by three processes.
    publicUrl = `http://127.0.0.1:${await freePort()}`;
    await initPgIssuer(tmp.dir, db.url, publicUrl);
    nodes = await Promise.all([0, 1, 2].map(() => startNode(tmp.dir)));
  }, 300_000);

  afterAll(async () => {
    await Promise.all(nodes.map((n) => n.stop()));
    await db?.drop();
    tmp.cleanup();
  });

  it('1,000 credentials per node plus 20 people on all three at once: unique indexes, counts that add up, one current credential each, published lists equal to the database', async () => {
    const issued: Issued[] = [];
    const perNode = nodes.map((node, n) =>
      pooled(PER_NODE, CONCURRENCY_PER_NODE, async (i) => {
        const who = 1000 + n * PER_NODE + i;
        const { credential } = await issueOverHttp(node.url, publicUrl, person(who));
        issued.push({ credential, person: who, node: n });
      }),
    );
    // The 20 shared people: each one's three issuances start together, one on each node.
    const shared = pooled(SHARED_PEOPLE, 4, (p) =>
      Promise.all(
        nodes.map(async (node, n) => {
          const { credential } = await issueOverHttp(node.url, publicUrl, person(p));
          issued.push({ credential, person: p, node: n });
        }),
      ),
    );
    await Promise.all([...perNode, shared]);
    const total = 3 * PER_NODE + 3 * SHARED_PEOPLE;
    expect(issued).toHaveLength(total);

    // Every credential carries a status index no other credential has.
    const positions = issued.map((c) => statusOf(c.credential));
    expect(new Set(positions.map((p) => `${p.uri}#${p.idx}`)).size).toBe(total);

    // The database: one entry per credential, each list's count equal to its entries.
    const lists = await db.query<{ id: number; uri: string; allocated: number; entries: number }>(
      'SELECT l."id", l."uri", l."allocated"::int AS "allocated", (SELECT COUNT(*)::int FROM "status_entry" e WHERE e."list_id" = l."id") AS "entries" FROM "status_list" l ORDER BY l."id"',
    );
    for (const l of lists) expect(l.allocated).toBe(l.entries);
    expect(lists.reduce((s, l) => s + l.entries, 0)).toBe(total);
    const records = (await db.query<{ records: number }>('SELECT COUNT(*)::int AS "records" FROM "issuance_record"'))[0]!.records;
    expect(records).toBe(total);

    // Each person has exactly one current credential, valid; everything it replaced is revoked as superseded.
    const current = await db.query<{ subject_ref: string; n: number }>(
      'SELECT "subject_ref", COUNT(*)::int AS "n" FROM "issuance_record" WHERE "superseded_by" IS NULL GROUP BY "subject_ref"',
    );
    expect(current).toHaveLength(3 * PER_NODE + SHARED_PEOPLE);
    expect(current.every((r) => r.n === 1)).toBe(true);
    const wrong = await db.query(
      `SELECT r."id" FROM "issuance_record" r JOIN "status_entry" e ON e."credential_id" = r."id"
       WHERE (r."superseded_by" IS NULL AND e."status" <> 0) OR (r."superseded_by" IS NOT NULL AND (e."status" <> 1 OR e."reason" <> 'superseded'))`,
    );
    expect(wrong).toEqual([]);
    const idOf = new Map(
      (
        await db.query<{ list_uri: string; idx: number; credential_id: string }>(
          'SELECT l."uri" AS "list_uri", e."idx", e."credential_id" FROM "status_entry" e JOIN "status_list" l ON l."id" = e."list_id"',
        )
      ).map((r) => [`${r.list_uri}#${r.idx}`, r.credential_id]),
    );
    const statusById = new Map(
      (await db.query<{ credential_id: string; status: number }>('SELECT "credential_id", "status" FROM "status_entry"')).map((r) => [
        r.credential_id,
        Number(r.status),
      ]),
    );
    for (let p = 0; p < SHARED_PEOPLE; p++) {
      const mine = issued.filter((c) => c.person === p).map((c) => statusById.get(idOf.get(`${statusOf(c.credential).uri}#${statusOf(c.credential).idx}`)!));
      expect(mine.sort()).toEqual([0, 1, 1]);
    }
    // The audit log holds one 'superseded' revocation per replaced credential: two per shared person.
    const audits = (
      await db.query<{ audits: number }>(`SELECT COUNT(*)::int AS "audits" FROM "status_audit" WHERE "reason" = 'superseded' AND "to_status" = 1`)
    )[0]!.audits;
    expect(audits).toBe(2 * SHARED_PEOPLE);

    // Each node publishes every list exactly as the database has it, whichever node made the changes.
    const entries = await db.query<{ list_id: number; idx: number; status: number }>('SELECT "list_id", "idx", "status" FROM "status_entry"');
    for (const l of lists) {
      const path = new URL(l.uri).pathname;
      for (const node of nodes) {
        const res = await fetch(`${node.url}${path}`);
        expect(res.status).toBe(200);
        const { list } = decodeStatusListToken(await res.text());
        const mine = entries.filter((x) => Number(x.list_id) === Number(l.id));
        for (const e of mine) expect(list.get(Number(e.idx))).toBe(Number(e.status));
        // and nothing else is set
        let set = 0;
        for (let i = 0; i < list.size; i++) if (list.get(i) !== 0) set++;
        expect(set).toBe(mine.filter((e) => Number(e.status) !== 0).length);
      }
    }
  });
});
