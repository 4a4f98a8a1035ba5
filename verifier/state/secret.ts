import { hkdfSync, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { InvalidInputError } from '../../core/errors.js';

/** The environment variable holding the secret that seals the verifier's shared cache. */
export const CACHE_SECRET_ENV = 'NETCRED_CACHE_SECRET';
const MIN_LENGTH = 16;
const SALT = Buffer.from('netcred/verifier/cache/v1', 'utf8');

/** `<dataDir>/verifier/cache-secret`: seals what the verifier puts in the shared cache (mode 0600). */
export function cacheSecretFile(dataDir: string): string {
  return path.join(path.resolve(dataDir), 'verifier', 'cache-secret');
}

/**
 * The secret every verifier node sharing one cache must hold: $NETCRED_CACHE_SECRET, else the
 * data dir's file, created (256 random bits) on first use. Copy the file, or set the variable,
 * on every node: a node with another secret cannot open the response keys of the others.
 */
export function ensureCacheSecret(dataDir: string): { secret: string; source: 'env' | 'file'; file?: string } {
  const env = process.env[CACHE_SECRET_ENV];
  if (env !== undefined && env !== '') {
    if (env.length < MIN_LENGTH) throw new InvalidInputError(`${CACHE_SECRET_ENV} must be at least ${MIN_LENGTH} characters`);
    return { secret: env, source: 'env' };
  }
  const file = cacheSecretFile(dataDir);
  if (existsSync(file)) {
    const secret = readFileSync(file, 'utf8').trim();
    if (secret.length < MIN_LENGTH) throw new InvalidInputError(`${file} must hold at least ${MIN_LENGTH} characters`);
    return { secret, source: 'file', file };
  }
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const secret = randomBytes(32).toString('base64url');
  writeFileSync(file, `${secret}\n`, { mode: 0o600, flag: 'wx' });
  chmodSync(file, 0o600);
  return { secret, source: 'file', file };
}

/** An AES-256 key for one purpose, derived from the cache secret (HKDF-SHA256). */
export function sealingKey(secret: string, purpose: string): Buffer {
  return Buffer.from(hkdfSync('sha256', Buffer.from(secret, 'utf8'), SALT, `netcred/verifier/cache/${purpose}`, 32));
}
