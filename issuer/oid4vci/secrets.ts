import { createHash, createHmac, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';
import { IV_BYTES, openSealed, seal as sealAs, SEAL_VERSION, TAG_BYTES, type SealFormat } from '../../core/crypto/seal.js';

/** A bearer secret (pre-authorized code, access token, c_nonce): 256 random bits, base64url. */
export function randomSecret(): string {
  return randomBytes(32).toString('base64url');
}

/** What we store instead of a high-entropy secret; lookups go by this hash. */
export function secretHash(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('base64url');
}

/** A numeric tx_code of `length` digits, uniformly drawn. */
export function randomDigits(length: number): string {
  let s = '';
  for (let i = 0; i < length; i++) s += String(randomInt(10));
  return s;
}

/** A tx_code has few bits: keyed MAC (issuer secret) bound to its offer, so a DB leak alone does not reveal it. */
export function txCodeMac(key: Buffer, offerId: string, txCode: string): string {
  return createHmac('sha256', key).update(`${offerId}\u0000${txCode}`, 'utf8').digest('base64url');
}

export function constantTimeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * Offer records: the wallet's byte order (IV, tag, ciphertext) with no version byte, written as
 * three dot-joined base64url parts; the JSON value is bound (AAD) to the row it belongs to.
 */
const OFFER_SEAL: SealFormat = {
  layout: 'tag-first',
  codes: { malformed: 'SECRET_MISMATCH', wrongKey: 'SECRET_MISMATCH' },
  names: { value: 'sealed offer record', key: 'this issuer secret' },
};
const HEAD = 1 + IV_BYTES;

export function seal(key: Buffer, aad: string, value: unknown): string {
  const bytes = sealAs(key, Buffer.from(JSON.stringify(value), 'utf8'), aad, OFFER_SEAL);
  return [bytes.subarray(1, HEAD), bytes.subarray(HEAD, HEAD + TAG_BYTES), bytes.subarray(HEAD + TAG_BYTES)].map((b) => b.toString('base64url')).join('.');
}

export function unseal<T = unknown>(key: Buffer, aad: string, sealed: string): T {
  const [iv, tag, body, ...rest] = sealed.split('.').map((p) => Buffer.from(p, 'base64url'));
  const whole = iv?.length === IV_BYTES && tag?.length === TAG_BYTES && body && rest.length === 0;
  const bytes = whole ? Buffer.concat([Buffer.from([SEAL_VERSION]), iv, tag, body]) : Buffer.alloc(0);
  return JSON.parse(openSealed(key, bytes, aad, OFFER_SEAL).toString('utf8')) as T;
}
