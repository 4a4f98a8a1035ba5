import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeCompact } from '../../core/index.js';
import { initIssuer, issueCredential, openIssuer, type IssuerContext } from '../../issuer/index.js';
// An internal on purpose: the records of one resident are found by their subject reference.
import { subjectRef } from '../../issuer/issuance/subject-ref.js';
import { makeIdNumber, sampleIdentityClaims } from '../../schemas/index.js';
import { repoRoot } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';
import { newHolder } from './fixtures.js';

const COUNT = 400;
/** People every process issues to: their credentials race each other as re-issues. */
const SHARED = 20;
const tmp = tempDir('netcred-multi-process-');
let ctx: IssuerContext;
beforeAll(async () => {
  // The smallest list every process uses (config.json, before the first list exists), so that
  // the processes' random picks collide: ~40 collisions expected among 1,200 picks of 16,384.
  const made = await initIssuer({ dataDir: tmp.dir, publicUrl: 'https://issuer.test' });
  await made.close();
  const file = path.join(tmp.dir, 'issuer', 'config.json');
  writeFileSync(file, JSON.stringify({ ...JSON.parse(readFileSync(file, 'utf8')), statusListSize: 16384 }));
  ctx = await openIssuer({ dataDir: tmp.dir });
});
afterAll(async () => {
  await ctx?.close();
  tmp.cleanup();
});

type Line = { id: string; got: { idx: number; uri: string }; inside: { idx: number; uri: string } };

function child(region: number, dataDir = tmp.dir, env: Record<string, string> = {}): { proc: ChildProcess; ready: Promise<void>; lines: Promise<Line[]> } {
  const proc = spawn(
    process.execPath,
    ['--import', 'tsx', path.join(repoRoot, 'test/issuance/fixtures/issue-many.ts'), dataDir, String(COUNT), String(region), String(SHARED)],
    {
      cwd: repoRoot,
      env: { ...process.env, ...env },
      stdio: ['pipe', 'pipe', 'pipe'],
    },
  );
  let out = '';
  let err = '';
  proc.stderr!.on('data', (d) => (err += d));
  const ready = new Promise<void>((resolve, reject) => {
    proc.stdout!.on('data', (d) => {
      out += d;
      if (out.startsWith('ready\n')) resolve();
    });
    proc.once('exit', (code) => reject(new Error(`child exited ${code} before ready: ${err}`)));
  });
  const lines = new Promise<Line[]>((resolve, reject) =>
    proc.once('close', (code) => {
      if (code !== 0 || !out.endsWith('done\n')) reject(new Error(`child exited ${code}: ${err}`));
      else
        resolve(
          out
            .split('\n')
            .filter((l) => l.startsWith('{'))
            .map((l) => JSON.parse(l) as Line),
        );
    }),
  );
  return { proc, ready, lines };
}

describe('issuance from several processes on one data dir (a CLI next to the server)', () => {
  it('every caller gets the status entry that was committed for it; no index is handed out twice; the counts add up', async () => {
    const children = [child(320000), child(330000)];
    try {
      await Promise.all(children.map((c) => c.ready));
      for (const c of children) c.proc.stdin!.end('go\n');
      const base = sampleIdentityClaims();
      const shared = (k: number) => makeIdNumber(String(390000 + k), base.birthdate, 2 * k);
      const here = await Promise.all(
        Array.from({ length: COUNT + SHARED }, async (_, n) => {
          const idNumber = n < COUNT ? makeIdNumber(String(310000 + n), base.birthdate, 2 * (n % 400)) : shared(n - COUNT);
          const c = await issueCredential(ctx, { holderDid: newHolder().did, claims: { ...base, id_number: idNumber } });
          const inside = decodeCompact<{ status: { status_list: { idx: number; uri: string } } }>(c.credential.split('~')[0]!).payload.status.status_list;
          return { id: c.id, got: c.status!.tokenStatus.status_list, inside } satisfies Line;
        }),
      );
      const all = [...here, ...(await children[0]!.lines), ...(await children[1]!.lines)];
      expect(all).toHaveLength(3 * (COUNT + SHARED));

      const entries = (await ctx.dataSource.query(
        'SELECT "e"."credential_id" AS "id", "e"."idx", "l"."uri" FROM "status_entry" "e" JOIN "status_list" "l" ON "l"."id" = "e"."list_id"',
      )) as { id: string; idx: number; uri: string }[];
      const byId = new Map(entries.map((e) => [e.id, e]));
      for (const c of all) {
        expect(c.inside).toEqual(c.got);
        expect(byId.get(c.id)).toEqual({ id: c.id, idx: c.got.idx, uri: c.got.uri });
      }
      expect(new Set(entries.map((e) => `${e.uri}#${e.idx}`)).size).toBe(entries.length);
      const [{ records }] = (await ctx.dataSource.query('SELECT COUNT(*) AS "records" FROM "issuance_record"')) as [{ records: number }];
      expect(Number(records)).toBe(entries.length);
      const lists = (await ctx.dataSource.query(
        'SELECT "l"."allocated", COUNT("e"."credential_id") AS "n" FROM "status_list" "l" LEFT JOIN "status_entry" "e" ON "e"."list_id" = "l"."id" GROUP BY "l"."id"',
      )) as { allocated: number; n: number }[];
      for (const l of lists) expect(Number(l.allocated)).toBe(Number(l.n));

      // Each shared person: three credentials, whichever process committed last holds the only
      // current record and the only valid entry; the others are revoked as superseded.
      for (let k = 0; k < SHARED; k++) {
        const rows = (await ctx.dataSource.query(
          'SELECT "r"."superseded_by" AS "supersededBy", "e"."status", "e"."reason" FROM "issuance_record" "r" JOIN "status_entry" "e" ON "e"."credential_id" = "r"."id" WHERE "r"."subject_ref" = ?',
          [subjectRef(ctx, shared(k))],
        )) as { supersededBy: string | null; status: number; reason: string | null }[];
        expect(rows).toHaveLength(3);
        expect(rows.filter((r) => r.supersededBy === null && r.status === 0)).toHaveLength(1);
        expect(rows.filter((r) => r.supersededBy !== null && r.status === 1 && r.reason === 'superseded')).toHaveLength(2);
      }
    } finally {
      for (const c of children) if (c.proc.exitCode === null) c.proc.kill('SIGKILL');
    }
  }, 120_000);

  it('a process killed (SIGKILL) in the middle of a burst loses no issuance it acknowledged', async () => {
    const dir = path.join(tmp.dir, 'killed');
    await (await initIssuer({ dataDir: dir, publicUrl: 'https://issuer.test' })).close();
    const acked: Line[] = [];
    // The child kills itself right after acknowledging its 150th credential, with others in flight.
    const c = child(340000, dir, { KILL_AFTER: '150' });
    await c.ready;
    const killed = new Promise<NodeJS.Signals | null>((resolve) => c.proc.once('close', (_code, signal) => resolve(signal)));
    let buffer = '';
    c.proc.stdout!.on('data', (d: Buffer) => {
      buffer += d.toString();
      for (let nl = buffer.indexOf('\n'); nl >= 0; nl = buffer.indexOf('\n')) {
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 1);
        if (line.startsWith('{')) acked.push(JSON.parse(line) as Line);
      }
    });
    c.lines.catch(() => undefined);
    c.proc.stdin!.end('go\n');
    expect(await killed).toBe('SIGKILL');
    expect(acked).toHaveLength(150);

    const reopened = await openIssuer({ dataDir: dir });
    try {
      const ids = acked.map((a) => a.id);
      const rows = (await reopened.dataSource.query(
        `SELECT "r"."id", "e"."idx" FROM "issuance_record" "r" JOIN "status_entry" "e" ON "e"."credential_id" = "r"."id" WHERE "r"."id" IN (${ids.map(() => '?').join(', ')})`,
        ids,
      )) as { id: string; idx: number }[];
      const idx = new Map(rows.map((r) => [r.id, r.idx]));
      for (const a of acked) expect(idx.get(a.id)).toBe(a.got.idx);
      // And the store is consistent for whoever opens it next: the list counts what it holds.
      const lists = (await reopened.dataSource.query(
        'SELECT "l"."allocated", COUNT("e"."credential_id") AS "n" FROM "status_list" "l" LEFT JOIN "status_entry" "e" ON "e"."list_id" = "l"."id" GROUP BY "l"."id"',
      )) as { allocated: number; n: number }[];
      for (const l of lists) expect(Number(l.allocated)).toBe(Number(l.n));
    } finally {
      await reopened.close();
    }
  }, 120_000);
});
