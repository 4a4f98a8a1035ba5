import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { SecretError, type ErrorCode } from '../errors.js';

export const SEAL_VERSION = 1;
export const IV_BYTES = 12;
export const TAG_BYTES = 16;

/**
 * How one store lays out its sealed values. The wallet and the issuer each wrote their own
 * order behind the same version byte 1, so the bytes cannot tell the layouts apart: every
 * store names the one it was written with, and keeps writing it so older releases still read it.
 */
export type SealFormat = {
  /** After version (1) and IV (12): `tag-first` is tag (16) | ciphertext (the wallet), `tag-last` ciphertext | tag (16) (the issuer). */
  layout: 'tag-first' | 'tag-last';
  /** The store's published error codes: bytes of the wrong shape, bytes that do not open with this key and AAD. */
  codes: { malformed: ErrorCode; wrongKey: ErrorCode };
  /** Names in messages: of a sealed value ("sealed record") and of the key ("the wallet key"). */
  names: { value: string; key: string };
};

/**
 * AES-256-GCM with a fresh 96-bit IV per value. The AAD names the value's place (table and id),
 * so a sealed value copied into another row does not open.
 */
export function seal(key: Buffer, plaintext: Uint8Array, aad: string, format: SealFormat): Buffer {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(aad, 'utf8'));
  const ct = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  const tag = cipher.getAuthTag();
  return Buffer.concat([Buffer.from([SEAL_VERSION]), iv, ...(format.layout === 'tag-first' ? [tag, ct] : [ct, tag])]);
}

/** Opens what `seal` wrote with the same format, key and AAD; anything else is a SecretError with the format's codes. */
export function openSealed(key: Buffer, sealed: Uint8Array, aad: string, format: SealFormat): Buffer {
  if (!(sealed instanceof Uint8Array) || sealed.length < 1 + IV_BYTES + TAG_BYTES || sealed[0] !== SEAL_VERSION) {
    throw new SecretError(format.codes.malformed, `${format.names.value} ${aad} is malformed`);
  }
  const body = Buffer.from(sealed.buffer, sealed.byteOffset, sealed.length).subarray(1 + IV_BYTES);
  const [tag, ct] =
    format.layout === 'tag-first'
      ? [body.subarray(0, TAG_BYTES), body.subarray(TAG_BYTES)]
      : [body.subarray(body.length - TAG_BYTES), body.subarray(0, body.length - TAG_BYTES)];
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, sealed.subarray(1, 1 + IV_BYTES));
    decipher.setAAD(Buffer.from(aad, 'utf8'));
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(ct), decipher.final()]);
  } catch (cause) {
    throw new SecretError(format.codes.wrongKey, `${format.names.value} ${aad} does not open with ${format.names.key}`, { cause });
  }
}
