import { openSealed, seal as sealAs, type SealFormat } from '../../core/crypto/seal.js';

/** The issuer's layout (ciphertext before tag), stored as base64url text in the KMS table. */
const ISSUER_SEAL: SealFormat = {
  layout: 'tag-last',
  codes: { malformed: 'SEALED_INVALID', wrongKey: 'SECRET_INVALID' },
  names: { value: 'sealed key', key: 'the issuer secret' },
};

export function seal(key: Buffer, plaintext: Uint8Array, aad: string): string {
  return sealAs(key, plaintext, aad, ISSUER_SEAL).toString('base64url');
}

export function unseal(key: Buffer, sealed: string, aad: string): Buffer {
  return openSealed(key, Buffer.from(sealed, 'base64url'), aad, ISSUER_SEAL);
}
