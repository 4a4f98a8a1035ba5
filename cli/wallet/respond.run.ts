import type { Command } from 'commander';
import { isNetcredError } from '../../core/errors.js';
import { WalletError } from '../../holder/errors.js';
import { respondToRequest, type ResponseSummary } from '../../holder/oid4vp/index.js';
import { printJson } from '../context.js';
import { EXIT, reportError } from '../run.js';
import { askYesNo } from './prompt.js';
import { withUnlockedWallet } from './session.js';

function show(value: unknown): string {
  const s = typeof value === 'string' ? value : JSON.stringify(value);
  return s.length > 80 ? `${s.slice(0, 77)}...` : s;
}

/** What the holder is asked to approve: who asks, and every claim that would leave the wallet. */
export function describeDisclosure({ request, plan }: ResponseSummary): string {
  const who = request.clientName ? `${request.clientName} (${request.clientId})` : request.clientId;
  const lines = [`${who} asks for:`];
  for (const p of plan) {
    lines.push(`  credential ${p.credentialId} from ${p.iss}${p.vct ? ` (${p.vct})` : ''}:`);
    for (const d of p.disclosed) lines.push(`    ${d.path.join('.')}: ${show(d.value)}`);
  }
  lines.push(`the answer goes to ${request.responseUri}`);
  return lines.join('\n');
}

export async function runWalletRespond(uri: string, opts: { yes?: boolean; json?: boolean }, cmd: Command): Promise<void> {
  // Same rule as `wallet present`: a disclosure is approved on a terminal, or explicitly with --yes.
  if (!opts.yes && !process.stdin.isTTY) {
    throw new WalletError('CONFIRMATION_REQUIRED', 'answering needs a confirmation on the terminal: run it on a terminal, or pass --yes');
  }
  try {
    const result = await withUnlockedWallet(cmd, (w) =>
      respondToRequest(w, uri, {
        confirm: async (summary: ResponseSummary) => {
          process.stderr.write(`${describeDisclosure(summary)}\n`);
          return opts.yes === true || askYesNo('disclose? [y/N] ');
        },
      }),
    );
    const disclosed = result.plan.map((p) => ({ credentialQueryId: p.credentialQueryId, credentialId: p.credentialId, claims: p.disclosed.map((d) => d.path) }));
    if (opts.json) {
      printJson({ client_id: result.request.clientId, response_uri: result.request.responseUri, state: result.request.state, disclosed, verifier_response: result.verifierResponse });
      return;
    }
    const names = result.plan.flatMap((p) => p.disclosed.map((d) => d.path.join('.')));
    process.stdout.write(`disclosed ${names.join(', ')} to ${result.request.clientId}: accepted\n`);
    if (result.redirectUri) process.stdout.write(`continue at ${result.redirectUri}\n`);
  } catch (err) {
    // The verifier said no: a negative verdict (exit 1), not a usage error.
    if (isNetcredError(err, 'OID4VP_RESPONSE_REFUSED')) {
      reportError(err, opts.json === true);
      process.exitCode = EXIT.REJECTED;
      return;
    }
    throw err;
  }
}
