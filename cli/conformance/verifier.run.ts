import { InvalidInputError } from '../../core/index.js';
import { readMapping, runConformance, type Target } from '../../conformance/index.js';
import { reportRun } from './report-out.js';

export type ConformanceVerifierOpts = {
  cases: string;
  cmd?: string;
  url?: string;
  mapping?: string;
  acceptExit: string;
  rejectExit?: string;
  acceptStdout?: string;
  codeRegex?: string;
  strictCodes?: boolean;
  only?: string;
  jobs: string;
  timeout: string;
  name?: string;
  junit?: string;
  json?: string;
  md?: string;
};

function exitCodes(value: string, option: string): number[] {
  const codes = value.split(',').map((s) => s.trim());
  if (codes.length === 0 || !codes.every((c) => /^\d{1,3}$/.test(c) && Number(c) <= 255))
    throw new InvalidInputError(`${option} must be exit codes 0-255, comma separated, got ${value}`);
  return codes.map(Number);
}

/** Multiline: ^ and $ match at each line of the output. */
function regex(value: string | undefined, option: string): RegExp | undefined {
  if (value === undefined) return undefined;
  try {
    return new RegExp(value, 'm');
  } catch (cause) {
    throw new InvalidInputError(`${option} is not a regular expression: ${value}`, undefined, cause);
  }
}

function positive(value: string, option: string, max: number): number {
  if (!/^\d{1,6}$/.test(value) || Number(value) < 1 || Number(value) > max)
    throw new InvalidInputError(`${option} must be a whole number 1-${max}, got ${value}`);
  return Number(value);
}

export async function runConformanceVerifier(opts: ConformanceVerifierOpts): Promise<void> {
  if ((opts.cmd === undefined) === (opts.url === undefined)) throw new InvalidInputError('give exactly one of --cmd TEMPLATE and --url URL');
  if (opts.mapping !== undefined && opts.url === undefined) throw new InvalidInputError('--mapping goes with --url');
  const timeoutMs = positive(opts.timeout, '--timeout', 3600) * 1000;
  let target: Target;
  if (opts.cmd !== undefined) {
    const rejectExit = opts.rejectExit !== undefined ? exitCodes(opts.rejectExit, '--reject-exit') : undefined;
    const acceptStdout = regex(opts.acceptStdout, '--accept-stdout');
    const codeRegex = regex(opts.codeRegex, '--code-regex');
    target = {
      kind: 'command',
      template: opts.cmd,
      rules: {
        acceptExit: exitCodes(opts.acceptExit, '--accept-exit'),
        timeoutMs,
        ...(rejectExit ? { rejectExit } : {}),
        ...(acceptStdout ? { acceptStdout } : {}),
        ...(codeRegex ? { codeRegex } : {}),
      },
    };
  } else {
    let url: URL;
    try {
      url = new URL(opts.url!);
    } catch (cause) {
      throw new InvalidInputError(`--url is not a URL: ${opts.url}`, undefined, cause);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new InvalidInputError('--url must be http or https');
    target = { kind: 'http', url: url.toString(), mapping: readMapping(opts.mapping), timeoutMs };
  }
  const only = regex(opts.only, '--only');
  const report = await runConformance({
    cases: opts.cases,
    target,
    jobs: positive(opts.jobs, '--jobs', 64),
    strictCodes: opts.strictCodes ?? false,
    ...(only ? { only } : {}),
    ...(opts.name ? { name: opts.name } : {}),
  });
  reportRun(report, opts);
}
