import { closeSync, openSync, readSync } from 'node:fs';
import { DEFAULT_MAX_PRESENTATION_BYTES, InvalidInputError } from '../core/index.js';
import { isProfileName, type ProfileName } from '../schemas/index.js';
import {
  assertKnownTypeProfile,
  loadTrustBundle,
  ReplayCache,
  TrustStore,
  trustBundleForIssuerKey,
  VerificationError,
  verifyPresentation,
  type VerificationResult,
} from '../verifier/index.js';
import { parseNow, parseSeconds } from './parse.js';
import { assertStdinPiped, readInput } from './read-input.js';
import { EXIT } from './run.js';

export type VerifyOpts = {
  bundle?: string;
  issuerKey?: string;
  /** false with --no-key-binding. */
  keyBinding: boolean;
  qrImage?: string;
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

/** An issuer key given inline (`{...}`) or in a file: one public JWK (or a JWKS holding exactly one). */
async function readIssuerKey(value: string): Promise<unknown> {
  const text = value.trim().startsWith('{') ? value : await readInput(value, 64 * 1024, 'issuer key');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (cause) {
    throw new InvalidInputError('--issuer-key is neither a JWK (JSON) nor a file holding one', undefined, cause);
  }
  const keys = (json as { keys?: unknown } | null)?.keys;
  if (Array.isArray(keys)) {
    if (keys.length !== 1) throw new InvalidInputError(`--issuer-key: a JWKS must hold exactly one key (it holds ${keys.length})`);
    return keys[0];
  }
  return json;
}

function checkUsage(file: string, opts: VerifyOpts): void {
  if ((opts.bundle === undefined) === (opts.issuerKey === undefined))
    throw new InvalidInputError("give exactly one of --bundle FILE (a trust bundle) and --issuer-key JWK|FILE (the issuer's public key)");
  if (!opts.keyBinding && opts.profile === 'upgraded')
    throw new InvalidInputError('--no-key-binding cannot be combined with --profile upgraded: the upgraded profile needs key binding');
  if (!opts.keyBinding && opts.nonce !== undefined)
    throw new InvalidInputError('--no-key-binding cannot be combined with --nonce: a nonce is checked in the key-binding proof');
  if (opts.qrImage !== undefined && file !== '-') throw new InvalidInputError('give either a file or --qr-image, not both');
}

async function readPresentation(file: string, opts: VerifyOpts): Promise<string> {
  if (opts.qrImage !== undefined) return (await import('../core/qr/read-png.js')).readQrPng(opts.qrImage);
  if (file === '-') assertStdinPiped('presentation');
  try {
    return readBounded(file, DEFAULT_MAX_PRESENTATION_BYTES * 2);
  } catch (cause) {
    throw new InvalidInputError(`cannot read ${file === '-' ? 'stdin' : file}`, undefined, cause);
  }
}

/** With --issuer-key there is no status list: STATUS_UNKNOWN says what to give instead. */
function withHint(result: VerificationResult, opts: VerifyOpts): VerificationResult {
  if (opts.issuerKey === undefined || result.code !== 'STATUS_UNKNOWN') return result;
  return {
    ...result,
    message: `${result.message ?? ''} (--issuer-key carries no status list: give --no-require-status to accept the credential without checking its status, or verify against a --bundle)`,
  };
}

export async function runVerify(file: string, opts: VerifyOpts): Promise<void> {
  const profile = opts.profile;
  // Any other name is a registered type's profile, which only a trust bundle holds.
  const typeProfile = profile !== undefined && !isProfileName(profile) ? profile : undefined;
  if (typeProfile !== undefined && opts.issuerKey !== undefined)
    throw new InvalidInputError(
      `--profile ${typeProfile} is not lite or upgraded: a registered type's profile is looked up in a trust bundle, so give --bundle FILE, not --issuer-key`,
    );
  checkUsage(file, opts);
  const now = parseNow(opts.now);
  const kbMaxAgeSeconds = parseSeconds(opts.maxAge ?? '300', '--max-age');
  const maxStatusAgeSeconds = parseSeconds(opts.maxStatusAge ?? String(7 * 24 * 3600), '--max-status-age');
  const issuerKey = opts.issuerKey === undefined ? undefined : await readIssuerKey(opts.issuerKey);
  const input = await readPresentation(file, opts);
  let trust: TrustStore;
  try {
    trust = issuerKey === undefined ? loadTrustBundle(opts.bundle!) : new TrustStore(trustBundleForIssuerKey(input, issuerKey, now ?? new Date()));
  } catch (err) {
    // The key given cannot be the credential's issuer's: a verdict, printed as one.
    if (!(err instanceof VerificationError)) throw err;
    return report(
      {
        valid: false,
        code: err.code,
        message: err.message,
        issuer: null,
        vct: null,
        format: null,
        claims: {},
        holderKey: null,
        status: { value: null, listAge: null },
        profile: null,
        keyBinding: null,
      },
      opts,
    );
  }
  if (typeProfile !== undefined) assertKnownTypeProfile(trust, typeProfile, opts.bundle!);
  // With a raw key, --no-require-status means no status check at all (there is no list to check against).
  const skipStatus = issuerKey !== undefined && !opts.requireStatus;
  const result = verifyPresentation(input, {
    trust,
    ...(typeProfile !== undefined ? { typeProfile } : { profile: profile as ProfileName | undefined }),
    nonce: opts.nonce,
    aud: opts.aud,
    now,
    kbMaxAgeSeconds,
    maxStatusAgeSeconds,
    requireStatus: opts.requireStatus,
    requireKeyBinding: opts.keyBinding,
    ...(skipStatus ? { checkStatus: false } : {}),
    replayCache: opts.replayFile ? new ReplayCache({ file: opts.replayFile }) : undefined,
  });
  report(withHint(result, opts), opts);
}

function report(result: VerificationResult, opts: VerifyOpts): void {
  if (opts.json) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  else if (result.valid) {
    const unchecked = (result.notChecked ?? []).map((n) => (n === 'keyBinding' ? 'key binding not checked' : 'status not checked'));
    const notes = [...(result.profile ? [`profile ${result.profile}`] : []), ...unchecked];
    process.stdout.write(`valid: ${result.vct} from ${result.issuer}${notes.length ? ` (${notes.join(', ')})` : ''}\n`);
    for (const [k, v] of Object.entries(result.claims)) {
      if (['iss', 'cnf', 'status', '_sd_alg', 'vct'].includes(k)) continue;
      process.stdout.write(
        `  ${k}: ${TIME_CLAIMS.has(k) && typeof v === 'number' && Number.isFinite(v) ? isoSeconds(v) : typeof v === 'string' ? v : JSON.stringify(v)}\n`,
      );
    }
  } else process.stdout.write(`rejected ${result.code}: ${result.message}\n`);
  process.exitCode = result.valid ? EXIT.OK : NOT_A_PRESENTATION.has(result.code ?? '') ? EXIT.USAGE : EXIT.REJECTED;
}

/** JWT time claims (seconds since the epoch): people read them as ISO 8601 dates; --json keeps the numbers. */
const TIME_CLAIMS = new Set(['iat', 'exp', 'nbf']);
const isoSeconds = (s: number) => {
  const d = new Date(s * 1000);
  return Number.isNaN(d.getTime()) ? String(s) : d.toISOString().replace('.000Z', 'Z');
};

/**
 * Verdict codes that say the input is not a presentation at all (garbage, a QR text of another
 * format, too large): an input error (exit 2), not a rejected credential (exit 1). The result is
 * printed the same way.
 */
const NOT_A_PRESENTATION = new Set(['MALFORMED', 'QR_MALFORMED', 'QR_TOO_LARGE', 'INPUT_TOO_LARGE']);
