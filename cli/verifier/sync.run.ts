import { readOrCreateTrustBundle, writeTrustBundle } from '../../verifier/trust/load.js';
import { syncIssuer } from '../../verifier/trust/sync.js';
import { printJson } from '../context.js';
import { parseSeconds } from '../parse.js';

export type VerifierSyncOpts = { issuer: string; bundle: string; vct: string[]; timeout: string; json?: boolean };

export async function runVerifierSync(opts: VerifierSyncOpts): Promise<void> {
  const timeoutMs = parseSeconds(opts.timeout, '--timeout') * 1000;
  const { bundle, report } = await syncIssuer(readOrCreateTrustBundle(opts.bundle), opts.issuer, { vct: opts.vct, timeoutMs });
  writeTrustBundle(opts.bundle, bundle);
  if (opts.json) printJson(report);
  else process.stdout.write(`synced ${report.issuer}: ${report.vct.join(', ')}; ${report.statusLists} status list(s), ${report.bitstringLists} bitstring list(s)\n`);
}
