import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeSdJwt } from '../../core/index.js';
import { freePort } from '../helpers/issuer.js';
import { tempDir } from '../helpers/tmp.js';
import { createTestDatabase, initPgIssuer, issueOverHttp, person, pooled, requirePostgres, startNode, type IssuerNode, type TestDatabase } from './helpers.js';

/**
 * SIGKILL of one of two issuer nodes on one PostgreSQL database while both issue over HTTP:
 * every credential the killed node answered with is in the database (record and status entry at
 * the index it carries), its transaction in flight left nothing half-written, and the surviving
 * node goes on (the write lock of the killed one went with its connection).
 */

const FILE = 'test/issuer-pg/sigkill.test.ts';
const ok = await requirePostgres(FILE);

const KILL_AFTER = 150;
const ATTEMPTS = 600;

function positionOf(credential: string): string {
  const { status } = decodeSdJwt(credential).claims as { status: { status_list: { uri: string; idx: number } } };
  return `${status.status_list.uri}#${status.status_list.idx}`;
}

describe.runIf(ok)('SIGKILL of an issuer node on PostgreSQL', { timeout: 600_000 }, () => {
  const tmp = tempDir('netcred-pg-kill-');
  let db: TestDatabase;
  let nodes: IssuerNode[] = [];
  let publicUrl = '';

  beforeAll(async () => {
    db = await createTestDatabase();
    publicUrl = `http://127.0.0.1:${await freePort()}`;
    await initPgIssuer(tmp.dir, db.url, publicUrl);
    nodes = await Promise.all([0, 1].map(() => startNode(tmp.dir)));
  }, 300_000);

  afterAll(async () => {
    await Promise.all(nodes.map((n) => n.stop()));
    await db?.drop();
    tmp.cleanup();
  });

  it('loses nothing the killed node acknowledged, and the other node keeps issuing', async () => {
    const [victim, survivor] = nodes as [IssuerNode, IssuerNode];
    const acknowledged: string[] = [];
    let refused = 0;
    const killing = pooled(ATTEMPTS, 12, async (i) => {
      if (victim.process.exitCode !== null || victim.process.signalCode !== null) return;
      try {
        const { credential } = await issueOverHttp(victim.url, publicUrl, person(10_000 + i));
        acknowledged.push(credential);
        if (acknowledged.length === KILL_AFTER) victim.process.kill('SIGKILL');
      } catch {
        refused++; // cut off by the kill: never acknowledged
      }
    });
    const surviving = pooled(300, 6, async (i) => (await issueOverHttp(survivor.url, publicUrl, person(20_000 + i))).credential);
    const [, fromSurvivor] = await Promise.all([killing, surviving]);
    await victim.exited;
    expect(victim.process.signalCode).toBe('SIGKILL');
    expect(acknowledged.length).toBeGreaterThanOrEqual(KILL_AFTER);
    expect(refused).toBeGreaterThan(0);

    // After the kill the survivor still writes (the lock went with the dead connection).
    const after = await issueOverHttp(survivor.url, publicUrl, person(30_000));
    const stored = new Map(
      (
        await db.query<{ uri: string; idx: number; credential_id: string; record: string | null }>(
          'SELECT l."uri", e."idx", e."credential_id", r."id" AS "record" FROM "status_entry" e JOIN "status_list" l ON l."id" = e."list_id" LEFT JOIN "issuance_record" r ON r."id" = e."credential_id"',
        )
      ).map((r) => [`${r.uri}#${Number(r.idx)}`, r]),
    );
    for (const c of [...acknowledged, ...fromSurvivor, after.credential]) {
      const row = stored.get(positionOf(c));
      expect(row, `acknowledged credential at ${positionOf(c)} is stored`).toBeDefined();
      expect(row!.record).toBe(row!.credential_id);
    }
    // Nothing half-written: every entry has its record and the other way round; the counts agree.
    const orphans = await db.query(
      'SELECT e."credential_id" FROM "status_entry" e LEFT JOIN "issuance_record" r ON r."id" = e."credential_id" WHERE r."id" IS NULL',
    );
    expect(orphans).toEqual([]);
    const lists = await db.query<{ allocated: number; entries: number }>(
      'SELECT l."allocated"::int AS "allocated", (SELECT COUNT(*)::int FROM "status_entry" e WHERE e."list_id" = l."id") AS "entries" FROM "status_list" l',
    );
    for (const l of lists) expect(l.allocated).toBe(l.entries);
    const records = (await db.query<{ n: number }>('SELECT COUNT(*)::int AS "n" FROM "issuance_record"'))[0]!.n;
    expect(records).toBe(stored.size);
    expect(records).toBeGreaterThanOrEqual(acknowledged.length + fromSurvivor.length + 1);
  });
});
