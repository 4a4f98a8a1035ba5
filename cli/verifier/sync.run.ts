import { setTimeout as sleep } from 'node:timers/promises';
import { NetcredError } from '../../core/index.js';
import { readOrCreateTrustBundle, syncIssuer, writeTrustBundle } from '../../verifier/index.js';
import { printJson } from '../context.js';
import { parseSeconds } from '../parse.js';

export type VerifierSyncOpts = { issuer: string; bundle: string; vct: string[]; timeout: string; wait?: string; json?: boolean };

/** The issuer is not listening (yet): a connection refused somewhere down the cause chain of a SYNC_FAILED. */
function refused(err: unknown): boolean {
  if (!(err instanceof NetcredError) || err.code !== 'SYNC_FAILED') return false;
  for (let e: unknown = err; e instanceof Error; e = e.cause) if ((e as NodeJS.ErrnoException).code === 'ECONNREFUSED') return true;
  return false;
}

export async function runVerifierSync(opts: VerifierSyncOpts): Promise<void> {
  const timeoutMs = parseSeconds(opts.timeout, '--timeout') * 1000;
  const waitUntil = Date.now() + parseSeconds(opts.wait ?? '0', '--wait') * 1000;
  let synced: Awaited<ReturnType<typeof syncIssuer>>;
  for (let attempt = 1; ; attempt++) {
    try {
      synced = await syncIssuer(readOrCreateTrustBundle(opts.bundle), opts.issuer, { vct: opts.vct, timeoutMs });
      break;
    } catch (err) {
      // An issuer just started in the background may not listen yet: --wait retries until it does.
      if (!refused(err) || Date.now() >= waitUntil) throw err;
      if (attempt === 1) process.stderr.write(`${opts.issuer} refuses connections (still starting?): retrying for up to ${opts.wait} s\n`);
      await sleep(200);
    }
  }
  const { bundle, report } = synced;
  writeTrustBundle(opts.bundle, bundle);
  if (opts.json) printJson(report);
  else {
    process.stdout.write(
      `synced ${report.issuer}: ${report.vct.join(', ')}; ${report.statusLists} status list(s), ${report.bitstringLists} bitstring list(s)\n`,
    );
    for (const [vct, names] of Object.entries(report.profiles ?? {}))
      process.stdout.write(`  profiles of ${vct}: ${names.join(', ')} (verify --profile NAME)\n`);
  }
}
