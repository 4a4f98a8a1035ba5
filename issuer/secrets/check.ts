import { createHmac, timingSafeEqual } from 'node:crypto';
import { SecretError } from '../../core/errors.js';
import { deriveInternalKey } from './derive.js';

/**
 * An authenticated check value stored in config.json, so a wrong secret is refused when the
 * issuer opens (before the database is touched), not at the first signature.
 */
const LABEL = 'netcred issuer secret check v1';

export function secretCheckValue(secret: Buffer): string {
  return createHmac('sha256', deriveInternalKey(secret, 'secret-check')).update(LABEL).digest('base64url');
}

export function assertSecretMatches(secret: Buffer, stored: string, source: string): void {
  const expected = Buffer.from(secretCheckValue(secret), 'base64url');
  const actual = Buffer.from(stored, 'base64url');
  if (actual.length !== expected.length || !timingSafeEqual(actual, expected)) {
    throw new SecretError('SECRET_INVALID', `the issuer secret (${source}) is not the one this data dir was initialized with; nothing was changed`);
  }
}
