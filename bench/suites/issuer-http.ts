import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { initIssuer } from '../../issuer/index.js';
import { ratio, type BenchRow, type BenchSuite } from '../harness.js';
import { runWallets, startIssuerServe } from '../load/processes.js';

const SECRET = 'bench-secret-0123456789abcdef0123456789';
const ADMIN = 'bench-admin-token-0123456789';
const WALLETS = 20;

/**
 * The issuer over real HTTP, as deployed: `netcred issuer serve` in a child process on a SQLite
 * data dir, the wallets in another process (bench/load/wallets.ts). In one run: the plain HTTP
 * round-trip rate (GET of the issuer metadata), complete OpenID4VCI flows (token + nonce +
 * credential, three round trips) with one worker, and the same with `--workers 2`. Targets:
 * flows >= 0.5x a third of the round-trip rate; two workers >= 1.5x one. Offers are enrolled
 * before the clock starts (the enrollment point's step, not the wallet's).
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
      const measure = async (workers: number, rtt: boolean) => {
        const server = await startIssuerServe(dataDir, ['--workers', String(workers)], { NETCRED_SECRET: SECRET, NETCRED_CACHE_URL: '' });
        try {
          const common = { url: server.url, publicUrl: server.publicUrl, adminToken: ADMIN, ms };
          const round = rtt ? (await runWallets({ ...common, mode: 'rtt', concurrency: WALLETS, offers: 0 })).opsPerSec : undefined;
          const flows = await runWallets({ ...common, mode: 'flow', concurrency: WALLETS, offers });
          return { round, flows };
        } finally {
          await server.stop();
        }
      };
      const one = await measure(1, true);
      const two = await measure(2, false);
      const rtt = one.round!;
      return [
        { suite: 'issuer-http', name: `plain HTTP round trip (GET issuer metadata), ${WALLETS} concurrent clients in another process, 1 worker`, opsPerSec: rtt },
        {
          suite: 'issuer-http',
          name: `OpenID4VCI flow (token+nonce+credential) over HTTP, ${WALLETS} wallets in another process, issuer serve (1 worker, SQLite)`,
          opsPerSec: one.flows.opsPerSec,
          ratios: { vsThirdOfRoundTrip: ratio(one.flows.opsPerSec, rtt / 3) },
          extra: { target: 'vsThirdOfRoundTrip >= 0.5', enrolledInline: Number(one.flows.enrolledInline) },
        },
        {
          suite: 'issuer-http',
          name: 'the same flows, issuer serve --workers 2 (SQLite)',
          opsPerSec: two.flows.opsPerSec,
          ratios: { vsOneWorker: ratio(two.flows.opsPerSec, one.flows.opsPerSec), vsThirdOfRoundTrip: ratio(two.flows.opsPerSec, rtt / 3) },
          extra: { target: 'vsOneWorker >= 1.5', cores: os.cpus().length, enrolledInline: Number(two.flows.enrolledInline) },
        },
      ];
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  },
};
