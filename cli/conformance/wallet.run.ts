import { createInterface } from 'node:readline';
import QRCode from 'qrcode';
import { InvalidInputError } from '../../core/index.js';
import { checkWallet, type Interactive } from '../../conformance/index.js';
import { readInput } from '../read-input.js';
import { reportRun } from './report-out.js';

export type ConformanceWalletOpts = {
  cmd?: string;
  interactive?: boolean;
  listen: string;
  port: string;
  publicUrl?: string;
  otherUrl?: string;
  dcql?: string;
  trustRootOut?: string;
  only?: string;
  codeRegex?: string;
  timeout: string;
  name?: string;
  junit?: string;
  json?: string;
  md?: string;
};

const MAX_DCQL = 64 * 1024;

function wholeNumber(value: string, option: string, min: number, max: number): number {
  if (!/^\d{1,6}$/.test(value) || Number(value) < min || Number(value) > max)
    throw new InvalidInputError(`${option} must be a whole number ${min}-${max}, got ${value}`);
  return Number(value);
}

async function readDcql(file: string): Promise<Record<string, unknown>> {
  const text = await readInput(file, MAX_DCQL, 'the --dcql query');
  try {
    const v = JSON.parse(text) as unknown;
    if (v && typeof v === 'object' && !Array.isArray(v)) return v as Record<string, unknown>;
  } catch {
    // reported below
  }
  throw new InvalidInputError(`--dcql ${file} is not a JSON object (a DCQL query)`);
}

/** Each case on stderr as text and a terminal QR code; Enter on stdin moves on before the timeout. */
function terminalInteractive(timeoutS: number): Interactive & { close(): void } {
  const lines = createInterface({ input: process.stdin });
  let waiting: (() => void) | undefined;
  lines.on('line', () => waiting?.());
  return {
    close: () => lines.close(),
    async announce(c, uri, index, total) {
      process.stderr.write(`\n[${index + 1}/${total}] ${c.name}: ${c.title}\n${uri}\n`);
      process.stderr.write(await QRCode.toString(uri, { type: 'terminal', small: true }));
      process.stderr.write(`scan it with the wallet; waiting up to ${timeoutS} s (Enter: the wallet is done, next case)\n`);
    },
    next: () =>
      new Promise<void>((resolve) => {
        waiting = resolve;
      }),
  };
}

export async function runConformanceWallet(opts: ConformanceWalletOpts): Promise<void> {
  if ((opts.cmd === undefined) === (opts.interactive !== true)) throw new InvalidInputError('give exactly one of --cmd TEMPLATE and --interactive');
  const timeoutS = wholeNumber(opts.timeout, '--timeout', 1, 3600);
  let codeRegex: RegExp | undefined;
  if (opts.codeRegex !== undefined) {
    try {
      codeRegex = new RegExp(opts.codeRegex, 'm');
    } catch (cause) {
      throw new InvalidInputError(`--code-regex is not a regular expression: ${opts.codeRegex}`, undefined, cause);
    }
  }
  const interactive = opts.interactive ? terminalInteractive(timeoutS) : undefined;
  try {
    const report = await checkWallet({
      ...(opts.cmd !== undefined ? { cmd: opts.cmd } : {}),
      ...(interactive ? { interactive } : {}),
      listen: opts.listen,
      port: wholeNumber(opts.port, '--port', 0, 65535),
      ...(opts.publicUrl ? { publicUrl: opts.publicUrl } : {}),
      ...(opts.otherUrl ? { otherUrl: opts.otherUrl } : {}),
      ...(opts.dcql ? { dcql: await readDcql(opts.dcql) } : {}),
      ...(opts.trustRootOut ? { trustRootOut: opts.trustRootOut } : {}),
      ...(opts.only ? { only: opts.only.split(',').map((s) => s.trim()) } : {}),
      ...(codeRegex ? { codeRegex } : {}),
      timeoutMs: timeoutS * 1000,
      ...(opts.name ? { name: opts.name } : {}),
    });
    reportRun(report, opts);
  } finally {
    interactive?.close();
  }
}
