import { closeSync, openSync, readSync } from 'node:fs';
import { Option, type Command } from 'commander';
import { InvalidInputError } from '../core/errors.js';
import { isProfileName, type ProfileName } from '../schemas/profiles/index.js';
import { ReplayCache } from '../verifier/replay/replay-cache.js';
import { DEFAULT_MAX_PRESENTATION_BYTES } from '../verifier/sd-jwt/verify-sd-jwt.js';
import { loadTrustBundle } from '../verifier/trust/load.js';
import { verifyPresentation } from '../verifier/verify.js';
import { EXIT } from './run.js';

/** Reads at most `max + 1` bytes: enough to know the input is too large without reading it all. */
function readBounded(file: string, max: number): string {
  const fd = file === '-' ? 0 : openSync(file, 'r');
  const buf = Buffer.alloc(max + 1);
  let n = 0;
  try {
    for (;;) {
      let got: number;
      try {
        got = readSync(fd, buf, n, buf.length - n, null);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'EAGAIN') continue;
        if ((err as NodeJS.ErrnoException).code === 'EOF') break;
        throw err;
      }
      if (got === 0) break;
      n += got;
      if (n > max) break;
    }
  } finally {
    if (fd !== 0) closeSync(fd);
  }
  return buf.subarray(0, n).toString('utf8');
}

export function parseSeconds(value: string, what: string): number {
  if (!/^[0-9]{1,9}$/.test(value)) throw new InvalidInputError(`${what} must be a whole number of seconds`);
  return Number(value);
}

export function parseNow(value: string | undefined): Date | undefined {
  if (value === undefined) return undefined;
  const t = Date.parse(value);
  if (!/^\d{4}-\d{2}-\d{2}T/.test(value) || !Number.isFinite(t)) throw new InvalidInputError(`--now must be an ISO 8601 date-time, got ${value}`);
  return new Date(t);
}

type VerifyOpts = {
  bundle: string;
  profile?: string;
  nonce?: string;
  aud?: string;
  now?: string;
  maxAge?: string;
  maxStatusAge?: string;
  requireStatus: boolean;
  replayFile?: string;
  json?: boolean;
};

export function registerVerify(program: Command): void {
  program
    .command('verify')
    .description('verify an SD-JWT (+KB) or a wallet QR text offline, against a trust bundle (exit 0 valid, 1 rejected, 2 usage)')
    .argument('[file]', 'file with the presentation, or - for stdin', '-')
    .requiredOption('--bundle <file>', 'trust bundle (netcred verifier trust add / sync)')
    .addOption(new Option('--profile <profile>', 'require a disclosure profile').choices(['lite', 'upgraded']))
    .option('--nonce <nonce>', 'the nonce this verifier gave the wallet (required by --profile upgraded)')
    .option('--aud <aud>', "this verifier's identifier: the KB-JWT aud must equal it")
    .option('--now <iso>', 'verify as of this time (ISO 8601)')
    .option('--max-age <seconds>', 'maximum KB-JWT age', '300')
    .option('--max-status-age <seconds>', 'use a status list offline up to this long after it was fetched', String(7 * 24 * 3600))
    .option('--no-require-status', 'accept credentials that have no status reference')
    .option('--replay-file <file>', 'remember accepted proofs across runs (kiosk): a second use is KB_JWT_REPLAYED')
    .option('--json', 'print the whole result as JSON')
    // Usage errors must reach cli/run.ts (exit 2), not commander's own process.exit(1).
    .exitOverride()
    .action((file: string, opts: VerifyOpts) => {
      const profile = opts.profile;
      if (profile !== undefined && !isProfileName(profile)) throw new InvalidInputError('--profile must be lite or upgraded');
      const now = parseNow(opts.now);
      const kbMaxAgeSeconds = parseSeconds(opts.maxAge ?? '300', '--max-age');
      const maxStatusAgeSeconds = parseSeconds(opts.maxStatusAge ?? String(7 * 24 * 3600), '--max-status-age');
      let input: string;
      try {
        input = readBounded(file, DEFAULT_MAX_PRESENTATION_BYTES * 2);
      } catch (cause) {
        throw new InvalidInputError(`cannot read ${file === '-' ? 'stdin' : file}`, undefined, cause);
      }
      const trust = loadTrustBundle(opts.bundle);
      const result = verifyPresentation(input, {
        trust,
        profile: profile as ProfileName | undefined,
        nonce: opts.nonce,
        aud: opts.aud,
        now,
        kbMaxAgeSeconds,
        maxStatusAgeSeconds,
        requireStatus: opts.requireStatus,
        replayCache: opts.replayFile ? new ReplayCache({ file: opts.replayFile }) : undefined,
      });
      if (opts.json) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
      else if (result.valid) {
        process.stdout.write(`valid: ${result.vct} from ${result.issuer}${result.profile ? ` (profile ${result.profile})` : ''}\n`);
        for (const [k, v] of Object.entries(result.claims)) {
          if (['iss', 'cnf', 'status', '_sd_alg', 'vct'].includes(k)) continue;
          process.stdout.write(`  ${k}: ${typeof v === 'string' ? v : JSON.stringify(v)}\n`);
        }
      } else process.stdout.write(`rejected ${result.code}: ${result.message}\n`);
      process.exitCode = result.valid ? EXIT.OK : EXIT.REJECTED;
    });
}
