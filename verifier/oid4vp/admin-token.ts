import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { InvalidInputError } from '../../core/errors.js';

/** The environment variable holding the verifier's admin token (OpenID4VP request creation). */
export const VERIFIER_ADMIN_TOKEN_ENV = 'NETCRED_VERIFIER_ADMIN_TOKEN';
const MIN_LENGTH = 16;

/** `<dataDir>/verifier/admin-token`: the bearer token of the verifier app's admin calls (mode 0600). */
export function verifierAdminTokenFile(dataDir: string): string {
  return path.join(path.resolve(dataDir), 'verifier', 'admin-token');
}

function fromEnv(): string | undefined {
  const token = process.env[VERIFIER_ADMIN_TOKEN_ENV];
  if (token === undefined || token === '') return undefined;
  if (token.length < MIN_LENGTH) throw new InvalidInputError(`${VERIFIER_ADMIN_TOKEN_ENV} must be at least ${MIN_LENGTH} characters`);
  return token;
}

/** The verifier admin token: $NETCRED_VERIFIER_ADMIN_TOKEN, else the data dir's token file, else undefined. */
export function readVerifierAdminToken(dataDir: string): string | undefined {
  const env = fromEnv();
  if (env) return env;
  const file = verifierAdminTokenFile(dataDir);
  if (!existsSync(file)) return undefined;
  const token = readFileSync(file, 'utf8').trim();
  return token.length >= MIN_LENGTH ? token : undefined;
}

/** Like readVerifierAdminToken, creating the token file (256 random bits) on first use. */
export function ensureVerifierAdminToken(dataDir: string): string {
  const existing = readVerifierAdminToken(dataDir);
  if (existing) return existing;
  const file = verifierAdminTokenFile(dataDir);
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const token = randomBytes(32).toString('base64url');
  writeFileSync(file, `${token}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
  return token;
}
