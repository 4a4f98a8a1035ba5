import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { initIssuer } from '../../issuer/index.js';
import { ratio, type BenchRow, type BenchSuite } from '../harness.js';
import { runWallets, startIssuerServe } from '../load/processes.js';

const SECRET = 'bench-secret-0123456789abcdef0123456789';
const ADMIN = 'bench-admin-token-0123456789';
const WALLETS = 20;
const ROUNDS = 3;

/** Cores kept busy in a timed round (bench/load/wallets.ts): the wallets' process and the server's process tree. */
type Cpu = { walletCores?: number; serverCores?: number };
const busy = (cpu: Cpu) => ({ ...cpu, busyCores: Math.round(((cpu.walletCores ?? 0) + (cpu.serverCores ?? 0)) * 100) / 100 });

/**
 * The issuer over real HTTP, as deployed: `netcred issuer serve` in a child process on a SQLite
 * data dir, the wallets in another process (bench/load/wallets.ts). In one run: the plain HTTP
 * round-trip rate (GET of the issuer metadata), complete OpenID4VCI flows (token + nonce +
 * credential, three round trips) with one worker, and the same with `--workers 2`. Targets:
 * flows >= 0.5x a third of the round-trip rate; two workers >= 1.5x one. Offers are enrolled
 * before the clock starts (the enrollment point's step, not the wallet's); a flow that fails
 * is not counted (failedFlows says how many did). Each flow row says how many cores the wallets
 * and the server kept busy (busyCores): at the machine's core count, the wallets take what a
 * second worker would need, and the machine, not the issuer, sets the limit.
 */
export const issuerHttpSuite: BenchSuite = {
  name: 'issuer-http',
  async run(): Promise<BenchRow[]> {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'netcred-bench-issuer-http-'));
    try {
      const ctx = await initIssuer({ dataDir, secret: SECRET, adminToken: ADMIN });
      await ctx.close();
      const ms = Number(process.env.BENCH_MS ?? 1500);
      const offers = Math.ceil((ms + 500) * 1.2);
      // Both servers run at once, on data dirs of their own; the rows are measured in turns,
      // ROUNDS times, and each keeps its best round: load from elsewhere hits every row alike.
      const dataDir2 = `${dataDir}-2`;
      cpSync(dataDir, dataDir2, { recursive: true });
      const env = { NETCRED_SECRET: SECRET, NETCRED_CACHE_URL: '' };
      const one = await startIssuerServe(dataDir, ['--workers', '1'], env);
      const two = await startIssuerServe(dataDir2, ['--workers', '2'], env).catch(async (err: unknown) => {
        await one.stop();
        throw err;
      });
      const best = { rtt: 0, flow1: 0, flow2: 0, failed1: 0, failed2: 0, cpu1: {} as Cpu, cpu2: {} as Cpu };
      try {
        const job = (server: typeof one) => ({
          url: server.url,
          publicUrl: server.publicUrl,
          adminToken: ADMIN,
          ms,
          concurrency: WALLETS,
          serverPid: server.proc.pid,
        });
        for (let r = 0; r < ROUNDS; r++) {
          best.rtt = Math.max(best.rtt, (await runWallets({ ...job(one), mode: 'rtt', offers: 0 })).opsPerSec);
          const f1 = await runWallets({ ...job(one), mode: 'flow', offers });
          if (f1.opsPerSec > best.flow1) [best.flow1, best.cpu1] = [f1.opsPerSec, f1.cpu as Cpu];
          best.failed1 += Number(f1.failed);
          const f2 = await runWallets({ ...job(two), mode: 'flow', offers });
          if (f2.opsPerSec > best.flow2) [best.flow2, best.cpu2] = [f2.opsPerSec, f2.cpu as Cpu];
          best.failed2 += Number(f2.failed);
        }
      } finally {
        await Promise.all([one.stop(), two.stop()]);
        rmSync(dataDir2, { recursive: true, force: true });
      }
      const rtt = best.rtt;
      return [
        {
          suite: 'issuer-http',
          name: `plain HTTP round trip (GET issuer metadata), ${WALLETS} concurrent clients in another process, 1 worker`,
          opsPerSec: rtt,
          extra: { rounds: ROUNDS },
        },
        {
          suite: 'issuer-http',
          name: `OpenID4VCI flow (token+nonce+credential) over HTTP, ${WALLETS} wallets in another process, issuer serve (1 worker, SQLite)`,
          opsPerSec: best.flow1,
          ratios: { vsThirdOfRoundTrip: ratio(best.flow1, rtt / 3) },
          extra: { target: 'vsThirdOfRoundTrip >= 0.5', failedFlows: best.failed1, ...busy(best.cpu1) },
        },
        {
          suite: 'issuer-http',
          name: 'the same flows, issuer serve --workers 2 (SQLite)',
          opsPerSec: best.flow2,
          ratios: { vsOneWorker: ratio(best.flow2, best.flow1), vsThirdOfRoundTrip: ratio(best.flow2, rtt / 3) },
          extra: { target: 'vsOneWorker >= 1.5', cores: os.cpus().length, failedFlows: best.failed2, ...busy(best.cpu2) },
        },
      ];
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  },
};
