import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { SecretError } from '../../core/errors.js';

/**
 * AES-256-GCM sealing of small secrets (private keys). Format, base64url:
 * version byte 1 || 12-byte IV || ciphertext || 16-byte tag. `aad` binds the sealed
 * value to its row, so swapping two rows' ciphertexts is detected.
 */
const VERSION = 1;

export function seal(key: Buffer, plaintext: Uint8Array, aad: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(aad, 'utf8'));
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([Buffer.from([VERSION]), iv, body, cipher.getAuthTag()]).toString('base64url');
}

export function unseal(key: Buffer, sealed: string, aad: string): Buffer {
  const bytes = Buffer.from(sealed, 'base64url');
  if (bytes.length < 1 + 12 + 16 + 1 || bytes[0] !== VERSION) throw new SecretError('SEALED_INVALID', 'a sealed key is malformed');
  const iv = bytes.subarray(1, 13);
  const tag = bytes.subarray(bytes.length - 16);
  const decipher = createDecipheriv('aes-256-gcm', key, iv);
  decipher.setAAD(Buffer.from(aad, 'utf8'));
  decipher.setAuthTag(tag);
  try {
    return Buffer.concat([decipher.update(bytes.subarray(13, bytes.length - 16)), decipher.final()]);
  } catch (cause) {
    throw new SecretError('SECRET_INVALID', 'a sealed key does not open with the issuer secret', { cause });
  }
}
