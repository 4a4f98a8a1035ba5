import cluster, { type Worker } from 'node:cluster';
import type { Command } from 'commander';
import { InvalidInputError, NetcredError, type RateLimitSetting } from '../../core/index.js';
import { openIssuer, primaryWriteGate, setPublicUrl } from '../../issuer/index.js';
import { dataDirOf } from '../context.js';
import type { IssuerServeOpts } from './setup.run.js';

/** --workers: 1 (one process, the default) to 64. */
export function parseWorkers(value: string | undefined): number {
  if (value === undefined) return 1;
  const n = /^\d+$/.test(value.trim()) ? Number(value) : NaN;
  if (!Number.isSafeInteger(n) || n < 1 || n > 64) throw new InvalidInputError('--workers must be a whole number from 1 to 64');
  return n;
}

/**
 * The per-IP limit each worker enforces: the limit divided among the workers (rounded up). The
 * primary hands connections to the workers in turn (round-robin), so a client's requests spread
 * evenly and the sum stays about the limit; it is per worker, not exact across them.
 */
export function perWorkerRateLimit(limit: RateLimitSetting, workers: number): RateLimitSetting {
  return limit === false || workers === 1 ? limit : Math.max(1, Math.ceil(limit / workers));
}

type Listening = { url: string; did: string; publicUrl: string; cache?: string };

/**
 * `issuer serve --workers N` (N > 1), the primary: opens the issuer once (migrations, a
 * --public-url change) and closes it, then forks N workers running the same command; each
 * opens the store, listens on the shared port (node:cluster hands connections round-robin) and
 * reports. The listening line is printed once all listen. SIGINT/SIGTERM go to every worker;
 * the primary exits when the last one has stopped. A worker that dies is logged and NOT
 * restarted (a crash loop would hide the fault; the others keep serving, and a supervisor
 * such as systemd restarts the whole service if it must); when none is left the primary exits 3
 * (INTERNAL).
 */
export async function runIssuerPrimary(opts: IssuerServeOpts, cmd: Command, n: number): Promise<void> {
  const ctx = await openIssuer({ dataDir: dataDirOf(cmd), ...(opts.store !== undefined ? { store: opts.store } : {}) });
  try {
    if (opts.publicUrl !== undefined) {
      const change = await setPublicUrl(ctx, opts.publicUrl);
      if (change.changed) process.stderr.write(`public URL: ${change.publicUrl} (was ${change.previous})\n`);
    }
  } finally {
    await ctx.close();
  }

  const workers = new Set<Worker>();
  let stopping = false;
  let started = false;
  const stop = (signal: NodeJS.Signals) => {
    stopping = true;
    for (const w of workers) w.process.kill(signal);
  };
  const onSignal = (signal: NodeJS.Signals) => stop(signal);
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  const allStopped = new Promise<number>((resolve) => {
    cluster.on('exit', (worker, code, signal) => {
      workers.delete(worker);
      if (!stopping) {
        const how = signal ? `signal ${signal}` : `code ${code}`;
        process.stderr.write(`netcred: issuer worker ${worker.process.pid} exited (${how}); not restarted, ${workers.size} of ${n} workers serve\n`);
      }
      if (workers.size === 0) resolve(stopping && started ? 0 : 1);
    });
  });

  const listening: Listening[] = [];
  // On SQLite the workers take turns to write through this process (a PostgreSQL store never asks).
  const writeGate = primaryWriteGate();
  const ready = new Promise<Listening[]>((resolve, reject) => {
    for (let i = 0; i < n; i++) {
      const worker = cluster.fork();
      workers.add(worker);
      writeGate.attach(worker);
      worker.on('message', (msg: { netcredIssuerListening?: Listening }) => {
        if (!msg?.netcredIssuerListening) return;
        listening.push(msg.netcredIssuerListening);
        if (listening.length === n) resolve(listening);
      });
    }
    void allStopped.then(() => reject(new Error('every worker exited before listening')));
    cluster.on('exit', () => {
      if (!started && !stopping) {
        // stop() marks stopping: this runs once.
        stop('SIGTERM');
        reject(new NetcredError('LISTEN_FAILED', 'an issuer worker exited before listening (its error is above); every worker was stopped'));
      }
    });
  });

  let first: Listening;
  try {
    [first] = (await ready) as [Listening];
  } catch (err) {
    await allStopped;
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    // A stop asked for while starting is the stop the user wanted, not a start failure.
    if (stopping && listening.length < n && !(err instanceof NetcredError)) return;
    throw err;
  }
  started = true;
  if (opts.json) process.stdout.write(`${JSON.stringify({ url: first.url, did: first.did, publicUrl: first.publicUrl, workers: n })}\n`);
  else process.stdout.write(`netcred issuer listening on ${first.url} (${first.did}), ${n} workers\n`);
  if (first.cache) process.stderr.write(`${first.cache}\n`);

  const code = await allStopped;
  process.off('SIGINT', onSignal);
  process.off('SIGTERM', onSignal);
  if (code !== 0) throw new NetcredError('INTERNAL', 'every issuer worker exited (see above); the issuer stopped');
  process.stderr.write('netcred: issuer stopped\n');
}
