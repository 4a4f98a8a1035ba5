import { openSealed, seal as sealAs, type SealFormat } from '../../core/crypto/seal.js';

/** The wallet's layout (tag before ciphertext) and one code for both faults: wallet.ts tells a wrong PIN by it. */
const WALLET_SEAL: SealFormat = {
  layout: 'tag-first',
  codes: { malformed: 'SEALED_RECORD_INVALID', wrongKey: 'SEALED_RECORD_INVALID' },
  names: { value: 'sealed record', key: 'this key' },
};

export function seal(key: Buffer, plaintext: Buffer, aad: string): Buffer {
  return sealAs(key, plaintext, aad, WALLET_SEAL);
}

export function open(key: Buffer, sealed: Buffer, aad: string): Buffer {
  return openSealed(key, sealed, aad, WALLET_SEAL);
}
