import { closeSync, openSync, readSync } from 'node:fs';
import { DEFAULT_MAX_PRESENTATION_BYTES, InvalidInputError } from '../core/index.js';
import { isProfileName, type ProfileName } from '../schemas/index.js';
import { loadTrustBundle, ReplayCache, verifyPresentation } from '../verifier/index.js';
import { parseNow, parseSeconds } from './parse.js';
import { assertStdinPiped } from './read-input.js';
import { EXIT } from './run.js';

export type VerifyOpts = {
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

export function runVerify(file: string, opts: VerifyOpts): void {
  const profile = opts.profile;
  if (profile !== undefined && !isProfileName(profile)) throw new InvalidInputError('--profile must be lite or upgraded');
  const now = parseNow(opts.now);
  const kbMaxAgeSeconds = parseSeconds(opts.maxAge ?? '300', '--max-age');
  const maxStatusAgeSeconds = parseSeconds(opts.maxStatusAge ?? String(7 * 24 * 3600), '--max-status-age');
  if (file === '-') assertStdinPiped('presentation');
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
  process.exitCode = result.valid ? EXIT.OK : NOT_A_PRESENTATION.has(result.code ?? '') ? EXIT.USAGE : EXIT.REJECTED;
}

/**
 * Verdict codes that say the input is not a presentation at all (garbage, a QR text of another
 * format, too large): an input error (exit 2), not a rejected credential (exit 1). The result is
 * printed the same way.
 */
const NOT_A_PRESENTATION = new Set(['MALFORMED', 'QR_MALFORMED', 'QR_TOO_LARGE', 'INPUT_TOO_LARGE']);
