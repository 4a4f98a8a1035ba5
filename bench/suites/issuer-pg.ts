import { fork, type ChildProcess } from 'node:child_process';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { keyObjectSigner } from '../../core/index.js';
import { initIssuer } from '../../issuer/index.js';
import { opsPerSecond, ratio, type BenchRow, type BenchSuite } from '../harness.js';
import { cpuSecondsOfNamed } from '../load/cpu.js';

/**
 * The issuance service on PostgreSQL with one and two issuer processes on one database, against
 * the same service on SQLite and raw Ed25519 signing, all in the same run (issue 14). Each
 * process keeps IN_FLIGHT issueCredential calls going (dc+sd-jwt, a new person each, record and
 * status entry committed); a round times every side in a window of its own, the two processes of
 * the 2-process side in the same window, and the best round of each side counts. PostgreSQL runs
 * on the same cores: its CPU share (its processes' CPU time, read from /proc, against all the CPU
 * time the round used) is reported with the 2-process row.
 */

const TARGET_ONE_VS_RAW = 0.15;
const TARGET_TWO_VS_ONE = 1.3;
const IN_FLIGHT = 256;
const ROUNDS = 3;
const SECRET = 'bench-secret-0123456789abcdef';
const PG = { host: '127.0.0.1', port: 5432, user: 'postgres' };

type Worker = { proc: ChildProcess; next(): Promise<Record<string, unknown>> };

const workerFile = fileURLToPath(new URL(import.meta.url.endsWith('.ts') ? './issuer-pg-worker.ts' : './issuer-pg-worker.js', import.meta.url));

function startWorker(args: string[]): Promise<Worker> {
  const proc = fork(workerFile, args, { execArgv: process.execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const queue: Array<Record<string, unknown>> = [];
  const waiting: Array<(m: Record<string, unknown>) => void> = [];
  proc.on('message', (m: Record<string, unknown>) => {
    const w = waiting.shift();
    if (w) w(m);
    else queue.push(m);
  });
  const next = () =>
    new Promise<Record<string, unknown>>((resolve, reject) => {
      const m = queue.shift();
      if (m) return resolve(m);
      waiting.push(resolve);
      proc.once('exit', (code) => reject(new Error(`bench worker exited (${code})`)));
    });
  return next().then(() => ({ proc, next }));
}

/** One window on some workers at once: completions per second (summed) and the CPU seconds of the workers and of PostgreSQL. */
async function window(workers: Worker[], ms: number): Promise<{ ops: number; workerCpuS: number; pgCpuS: number }> {
  const startAt = Date.now() + 200;
  const pgBefore = cpuSecondsOfNamed('postgres');
  for (const w of workers) w.proc.send({ cmd: 'run', startAt, windowMs: ms, inFlight: IN_FLIGHT });
  const answers = await Promise.all(workers.map((w) => w.next()));
  const pgCpuS = cpuSecondsOfNamed('postgres') - pgBefore;
  for (const a of answers) if (a.error) throw new Error(`bench worker: ${String(a.error)}`);
  const count = answers.reduce((s, a) => s + Number(a.count), 0);
  return { ops: (count * 1000) / ms, workerCpuS: answers.reduce((s, a) => s + Number(a.cpuMs) / 1000, 0), pgCpuS };
}

async function pgReachable(): Promise<string | undefined> {
  const c = new pg.Client({ ...PG, database: 'test', connectionTimeoutMillis: 3000 });
  try {
    await c.connect();
    return undefined;
  } catch (err) {
    return err instanceof Error ? err.message || err.constructor.name : String(err);
  } finally {
    await c.end().catch(() => undefined);
  }
}

async function adminQuery(sql: string): Promise<void> {
  const c = new pg.Client({ ...PG, database: 'test' });
  await c.connect();
  try {
    await c.query(sql);
  } finally {
    await c.end();
  }
}

export const issuerPgSuite: BenchSuite = {
  name: 'issuer-pg',
  async run(): Promise<BenchRow[]> {
    const unreachable = await pgReachable();
    if (unreachable) return [{ suite: 'issuer-pg', name: 'skipped: PostgreSQL at 127.0.0.1:5432 not reachable', opsPerSec: 0, extra: { reason: unreachable } }];
    const database = `netcred_bench_${randomBytes(5).toString('hex')}`;
    const storeUrl = `postgres://${PG.user}@${PG.host}:${PG.port}/${database}`;
    const pgDir = mkdtempSync(path.join(os.tmpdir(), 'netcred-bench-pg-'));
    const sqliteDir = mkdtempSync(path.join(os.tmpdir(), 'netcred-bench-sqlite-'));
    const workers: Worker[] = [];
    await adminQuery(`CREATE DATABASE ${database}`);
    try {
      await (await initIssuer({ dataDir: pgDir, secret: SECRET, store: storeUrl })).close();
      await (await initIssuer({ dataDir: sqliteDir, secret: SECRET })).close();
      const [sqlite, pgA, pgB] = await Promise.all([
        startWorker(['--data', sqliteDir, '--secret', SECRET, '--first-person', '0']),
        startWorker(['--data', pgDir, '--secret', SECRET, '--first-person', '0']),
        startWorker(['--data', pgDir, '--secret', SECRET, '--first-person', '400000']),
      ]);
      workers.push(sqlite!, pgA!, pgB!);
      const ms = Math.max(2000, Number(process.env.BENCH_MS ?? 1500));
      const raw = keyObjectSigner(generateKeyPairSync('ed25519').privateKey);
      const input = Buffer.alloc(1200, 7); // about a credential's signing input
      // Warm-up (JIT, pools, the first list) on every side, not counted.
      for (const side of [[sqlite!], [pgA!, pgB!]]) await window(side, 1000);
      const best = { raw: 0, sqlite: 0, one: 0, two: { ops: 0, workerCpuS: 0, pgCpuS: 0 }, onePg: { ops: 0, workerCpuS: 0, pgCpuS: 0 } };
      for (let r = 0; r < ROUNDS; r++) {
        best.raw = Math.max(best.raw, await opsPerSecond(() => raw.sign(input), ms / 2));
        best.sqlite = Math.max(best.sqlite, (await window([sqlite!], ms)).ops);
        const one = await window([pgA!], ms);
        if (one.ops > best.onePg.ops) best.onePg = one;
        const two = await window([pgA!, pgB!], ms);
        if (two.ops > best.two.ops) best.two = two;
      }
      best.one = best.onePg.ops;
      const share = (w: { workerCpuS: number; pgCpuS: number }) => Math.round((w.pgCpuS / (w.pgCpuS + w.workerCpuS)) * 1000) / 1000;
      const cores = (w: { pgCpuS: number }) => Math.round((w.pgCpuS / (ms / 1000)) * 100) / 100;
      const oneVsRaw = ratio(best.one, best.raw);
      const twoVsOne = ratio(best.two.ops, best.one);
      const name = `issuance service: issueCredential dc+sd-jwt, ${IN_FLIGHT} in flight a process`;
      return [
        { suite: 'issuer-pg', name: 'raw node:crypto Ed25519 sign (1,200-byte input)', opsPerSec: best.raw },
        { suite: 'issuer-pg', name: `${name}, SQLite, 1 process`, opsPerSec: best.sqlite, ratios: { vsRawSign: ratio(best.sqlite, best.raw) } },
        {
          suite: 'issuer-pg',
          name: `${name}, PostgreSQL, 1 process`,
          opsPerSec: best.one,
          ratios: { vsRawSign: oneVsRaw, vsSqlite: ratio(best.one, best.sqlite) },
          extra: { pgCpuShare: share(best.onePg), pgCores: cores(best.onePg), target: `>=${TARGET_ONE_VS_RAW}x raw`, met: oneVsRaw >= TARGET_ONE_VS_RAW },
        },
        {
          suite: 'issuer-pg',
          name: `${name}, PostgreSQL, 2 processes on one database`,
          opsPerSec: best.two.ops,
          ratios: { vsOneProcess: twoVsOne, vsRawSign: ratio(best.two.ops, best.raw), vsSqlite: ratio(best.two.ops, best.sqlite) },
          extra: { pgCpuShare: share(best.two), pgCores: cores(best.two), target: `>=${TARGET_TWO_VS_ONE}x 1 process`, met: twoVsOne >= TARGET_TWO_VS_ONE },
        },
      ];
    } finally {
      for (const w of workers) w.proc.send({ cmd: 'stop' });
      await Promise.all(workers.map((w) => new Promise((resolve) => (w.proc.exitCode !== null ? resolve(undefined) : w.proc.once('exit', resolve)))));
      await adminQuery(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`).catch(() => undefined);
      rmSync(pgDir, { recursive: true, force: true });
      rmSync(sqliteDir, { recursive: true, force: true });
    }
  },
};
