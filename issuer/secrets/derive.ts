import { hkdfSync } from 'node:crypto';

// A fixed salt is fine for HKDF when the input is already uniformly random (RFC 5869, 3.1);
// it only separates netcred's derivations from any other use of the same secret.
const SALT = Buffer.from('netcred/issuer/v1', 'utf8');

/** Keys for netcred's own use (private key sealing, the secret check). */
export function deriveInternalKey(secret: Buffer, name: 'private-keys' | 'secret-check'): Buffer {
  return Buffer.from(hkdfSync('sha256', secret, SALT, `netcred/issuer/internal/${name}`, 32));
}

/** Keys handed out through IssuerContext.deriveKey: a separate info namespace, so no purpose string can collide with an internal key. */
export function derivePurposeKey(secret: Buffer, purpose: string): Buffer {
  if (typeof purpose !== 'string' || purpose.length === 0 || purpose.length > 200) throw new TypeError('deriveKey: purpose must be a non-empty string');
  return Buffer.from(hkdfSync('sha256', secret, SALT, `netcred/issuer/purpose/${purpose}`, 32));
}

/**
 * IssuerContext.deriveKey: derivePurposeKey, each purpose's key derived once (the OpenID4VCI
 * endpoints ask for one on every request: nonces, sealed claims, tx_codes). A copy is handed
 * out, so a caller that overwrites its key cannot change anyone else's. At most
 * MAX_CACHED_PURPOSES are kept (a library caller may ask for any number of purposes).
 */
const MAX_CACHED_PURPOSES = 64;

export function purposeKeys(secret: Buffer): (purpose: string) => Buffer {
  const derived = new Map<string, Buffer>();
  return (purpose) => {
    let key = derived.get(purpose);
    if (!key) {
      key = derivePurposeKey(secret, purpose);
      if (derived.size < MAX_CACHED_PURPOSES) derived.set(purpose, key);
    }
    return Buffer.from(key);
  };
}
