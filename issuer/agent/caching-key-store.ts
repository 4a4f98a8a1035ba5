import type { IKey, ManagedKeyInfo } from '@veramo/core-types';
import { AbstractKeyStore } from '@veramo/key-manager';

/**
 * Keeps Veramo's key records (kid -> type, kms, public key) in memory, so keyManagerSign does
 * not query SQLite before every signature. Key records never change once written; a key
 * deleted by another process is only forgotten here at restart (netcred never deletes the
 * issuer key).
 */
export class CachingKeyStore extends AbstractKeyStore {
  private readonly cache = new Map<string, IKey>();

  constructor(private readonly inner: AbstractKeyStore) {
    super();
  }

  async getKey({ kid }: { kid: string }): Promise<IKey> {
    const hit = this.cache.get(kid);
    if (hit) return hit;
    const key = await this.inner.getKey({ kid });
    this.cache.set(kid, key);
    return key;
  }

  async importKey(args: Partial<IKey>): Promise<boolean> {
    if (args.kid) this.cache.delete(args.kid);
    return this.inner.importKey(args);
  }

  async deleteKey({ kid }: { kid: string }): Promise<boolean> {
    this.cache.delete(kid);
    return this.inner.deleteKey({ kid });
  }

  // biome-ignore lint/complexity/noBannedTypes: the signature of Veramo's AbstractKeyStore.listKeys.
  listKeys(args: {}): Promise<ManagedKeyInfo[]> {
    return this.inner.listKeys(args);
  }
}
