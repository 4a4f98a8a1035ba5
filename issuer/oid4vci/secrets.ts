import { createCipheriv, createDecipheriv, createHash, createHmac, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';
import { SecretError } from '../../core/errors.js';

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

/** AES-256-GCM of a JSON value, bound (AAD) to the row it belongs to. */
export function seal(key: Buffer, aad: string, value: unknown): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(aad, 'utf8'));
  const body = Buffer.concat([cipher.update(JSON.stringify(value), 'utf8'), cipher.final()]);
  return [iv, cipher.getAuthTag(), body].map((b) => b.toString('base64url')).join('.');
}

export function unseal<T = unknown>(key: Buffer, aad: string, sealed: string): T {
  const [iv, tag, body] = sealed.split('.').map((p) => Buffer.from(p, 'base64url'));
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, iv!);
    decipher.setAAD(Buffer.from(aad, 'utf8'));
    decipher.setAuthTag(tag!);
    return JSON.parse(Buffer.concat([decipher.update(body!), decipher.final()]).toString('utf8')) as T;
  } catch (cause) {
    throw new SecretError('SECRET_MISMATCH', 'a sealed offer record does not open with this issuer secret', { cause });
  }
}
