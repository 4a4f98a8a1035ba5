import type { X509Certificate } from 'node:crypto';
import type { Command } from 'commander';
import { certificatesFromPem, isNetcredError } from '../../core/index.js';
import { assertUsableRoot, readVerifierRoots, respondToRequest, WalletError, type ResponseSummary } from '../../holder/index.js';
import { dataDirOf, printJson } from '../context.js';
import { readInput } from '../read-input.js';
import { EXIT, reportError } from '../run.js';
import { askYesNo } from './prompt.js';
import { withUnlockedWallet } from './session.js';

/** Longer values (a portrait) are named by their size: the holder still sees that they leave whole. */
const SHOW_WHOLE_UP_TO = 1000;

/**
 * A claim value as the holder approves it: whole (strings with control characters JSON-escaped,
 * so a value cannot drive the terminal), or, past SHOW_WHOLE_UP_TO characters, its start and size.
 */
export function showClaimValue(value: unknown): string {
  const s = typeof value === 'string' && !/[\u0000-\u001f\u007f-\u009f]/.test(value) ? value : JSON.stringify(value);
  return s.length <= SHOW_WHOLE_UP_TO ? s : `${s.slice(0, 60)}... (${s.length} characters, sent whole)`;
}

/**
 * What the holder is asked to approve: who asks (for an x509 verifier, the name its certificate
 * gives and the root that vouches for it), and every claim that would leave the wallet.
 */
export function describeDisclosure({ request, plan }: ResponseSummary): string {
  const name = request.verifierName ?? request.clientName;
  const who = name ? `${name} (${request.clientId})` : request.clientId;
  const lines = [`${who} asks for:`];
  if (request.certifiedBy) lines.splice(0, 0, `verifier certified by ${request.certifiedBy}`);
  for (const p of plan) {
    lines.push(`  credential ${p.credentialId} from ${p.iss}${p.vct ? ` (${p.vct})` : ''}:`);
    for (const d of p.disclosed) lines.push(`    ${d.path.join('.')}: ${showClaimValue(d.value)}`);
  }
  lines.push(`the answer goes to ${request.responseUri}`);
  return lines.join('\n');
}

const MAX_PEM = 256 * 1024;

/** The wallet's trusted verifier roots, plus those of --trust-root (checked the same way as `wallet trust add-cert`). */
async function trustedRoots(cmd: Command, files: readonly string[]): Promise<X509Certificate[]> {
  const roots = readVerifierRoots(dataDirOf(cmd));
  for (const file of files) {
    for (const cert of certificatesFromPem(await readInput(file, MAX_PEM, 'the --trust-root certificate'))) {
      assertUsableRoot(cert);
      roots.push(cert);
    }
  }
  return roots;
}

export async function runWalletRespond(uri: string, opts: { yes?: boolean; json?: boolean; trustRoot?: string[] }, cmd: Command): Promise<void> {
  // Same rule as `wallet present`: a disclosure is approved on a terminal, or explicitly with --yes.
  if (!opts.yes && !process.stdin.isTTY) {
    throw new WalletError('CONFIRMATION_REQUIRED', 'answering needs a confirmation on the terminal: run it on a terminal, or pass --yes');
  }
  const roots = await trustedRoots(cmd, opts.trustRoot ?? []);
  try {
    const result = await withUnlockedWallet(cmd, (w) =>
      respondToRequest(w, uri, {
        trustedRoots: roots,
        confirm: async (summary: ResponseSummary) => {
          process.stderr.write(`${describeDisclosure(summary)}\n`);
          return opts.yes === true || askYesNo('disclose? [y/N] ');
        },
      }),
    );
    const disclosed = result.plan.map((p) => ({
      credentialQueryId: p.credentialQueryId,
      credentialId: p.credentialId,
      claims: p.disclosed.map((d) => d.path),
    }));
    if (opts.json) {
      printJson({
        client_id: result.request.clientId,
        ...(result.request.verifierName ? { verifier_name: result.request.verifierName } : {}),
        ...(result.request.certifiedBy ? { certified_by: result.request.certifiedBy } : {}),
        response_uri: result.request.responseUri,
        response_mode: result.request.responseMode,
        state: result.request.state,
        disclosed,
        verifier_response: result.verifierResponse,
      });
      return;
    }
    const names = result.plan.flatMap((p) => p.disclosed.map((d) => d.path.join('.')));
    const to = result.request.verifierName ? `${result.request.verifierName} (${result.request.clientId})` : result.request.clientId;
    process.stdout.write(`disclosed ${names.join(', ')} to ${to}: accepted\n`);
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
