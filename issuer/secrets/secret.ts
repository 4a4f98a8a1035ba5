import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { InvalidInputError, SecretError } from '../../core/errors.js';

/**
 * The issuer secret: the input keying material every at-rest key is derived from. It comes
 * from (in order) an explicit option, $NETCRED_SECRET, or the key file written at init.
 * The key file holds base64url text (32 random bytes), so its content can be moved into
 * NETCRED_SECRET as-is.
 */
export type IssuerSecret = { material: Buffer; source: 'option' | 'env' | 'file' };

/** Short secrets would make HKDF outputs guessable; HKDF is not a password hash. */
export const MIN_SECRET_LENGTH = 16;

const KEY_FILE_CONTENT = /^[A-Za-z0-9_-]{43}$/;

function fromString(value: string, source: IssuerSecret['source']): IssuerSecret {
  const trimmed = value.trim();
  if (trimmed.length < MIN_SECRET_LENGTH) {
    const what = source === 'env' ? 'NETCRED_SECRET' : 'the secret';
    throw new InvalidInputError(`${what} must be at least ${MIN_SECRET_LENGTH} characters (use e.g. \`openssl rand -base64 32\`)`);
  }
  return { material: Buffer.from(trimmed, 'utf8'), source };
}

/** The secret given by the caller or the environment, if any (no key file involved). */
export function externalSecret(explicit?: string): IssuerSecret | undefined {
  if (explicit !== undefined) return fromString(explicit, 'option');
  const env = process.env.NETCRED_SECRET;
  if (env !== undefined && env !== '') return fromString(env, 'env');
  return undefined;
}

/** Creates the key file (mode 0600, never overwriting one) and returns its secret. */
export function createKeyFile(file: string): IssuerSecret {
  const text = randomBytes(32).toString('base64url');
  writeFileSync(file, `${text}\n`, { mode: 0o600, flag: 'wx' });
  return { material: Buffer.from(text, 'utf8'), source: 'file' };
}

/** Reads the key file; a missing or malformed file is a SecretError, never a silent new secret. */
export function readKeyFile(file: string): IssuerSecret {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (cause) {
    if ((cause as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new SecretError('SECRET_MISSING', `no issuer secret: set NETCRED_SECRET to the secret used at init, or restore the key file ${file}`, { cause });
    }
    throw new SecretError('SECRET_INVALID', `cannot read the issuer key file ${file}: ${(cause as Error).message}`, { cause });
  }
  const trimmed = text.trim();
  if (!KEY_FILE_CONTENT.test(trimmed)) throw new SecretError('SECRET_INVALID', `the issuer key file ${file} is corrupted (expected 43 base64url characters)`);
  return { material: Buffer.from(trimmed, 'utf8'), source: 'file' };
}
