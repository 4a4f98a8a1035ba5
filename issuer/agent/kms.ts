import { createPrivateKey, sign as nodeSign, type KeyObject } from 'node:crypto';
import type { IKey, ManagedKeyInfo, MinimalImportableKey, TKeyType } from '@veramo/core-types';
import { AbstractKeyManagementSystem } from '@veramo/key-manager';
import type { DataSource } from 'typeorm';
import { NetcredError } from '../../core/errors.js';
import { nodeSignParams } from '../../core/jose/alg.js';
import { seal, unseal } from '../secrets/seal.js';
import { PrivateKeyTable } from '../store/private-keys.js';
import { ALG_OF, ALGORITHMS_OF, assertManagedKeyType, generatePrivateKey, privateKeyFromHex, publicKeyHexOf, type ManagedKeyType } from './key-codec.js';

/** A key ready to sign: node:crypto arguments computed once. */
type LoadedKey = {
  type: ManagedKeyType;
  algorithms: string[];
  digest: string | null;
  signKey: KeyObject | { key: KeyObject; dsaEncoding: 'ieee-p1363' };
};

/**
 * Veramo KMS over node:crypto. Private keys are sealed (AES-256-GCM) in our own table and, once
 * used, held in memory as KeyObjects, so a signature costs one node:crypto call: Veramo's
 * kms-local signs in pure JS and reads the database on every call. Signatures are returned
 * base64url-encoded (EdDSA: 64 bytes; ES256: raw r||s), as kms-local and did-jwt expect.
 */
export class NetcredKms extends AbstractKeyManagementSystem {
  private readonly table: PrivateKeyTable;
  private readonly loaded = new Map<string, LoadedKey>();
  private readonly loading = new Map<string, Promise<LoadedKey>>();

  constructor(
    ds: DataSource,
    private readonly sealingKey: Buffer,
    private readonly name = 'netcred',
  ) {
    super();
    this.table = new PrivateKeyTable(ds);
  }

  async createKey({ type, kid }: { type: TKeyType; meta?: unknown; kid?: string }): Promise<ManagedKeyInfo> {
    assertManagedKeyType(type);
    return this.store(type, generatePrivateKey(type), kid);
  }

  async importKey(args: Exclude<MinimalImportableKey, 'kms'>): Promise<ManagedKeyInfo> {
    assertManagedKeyType(args.type);
    if (!args.privateKeyHex) throw new NetcredError('KEY_INVALID', 'importKey needs privateKeyHex');
    return this.store(args.type, privateKeyFromHex(args.type, args.privateKeyHex), args.kid);
  }

  async deleteKey({ kid }: { kid: string }): Promise<boolean> {
    this.loaded.delete(kid);
    return this.table.delete(kid);
  }

  async listKeys(): Promise<ManagedKeyInfo[]> {
    const rows = await this.table.list();
    return rows.map((r) => this.info(r.kid, r.type as ManagedKeyType, r.publicKeyHex));
  }

  async sign({ keyRef, algorithm, data }: { keyRef: Pick<IKey, 'kid'>; algorithm?: string; data: Uint8Array }): Promise<string> {
    const key = this.loaded.get(keyRef.kid) ?? (await this.load(keyRef.kid));
    if (algorithm !== undefined && !key.algorithms.includes(algorithm)) {
      throw new NetcredError('ALG_NOT_ALLOWED', `key ${keyRef.kid} (${key.type}) cannot sign with ${algorithm}`);
    }
    return nodeSign(key.digest, data, key.signKey).toString('base64url');
  }

  async sharedSecret(): Promise<string> {
    throw new NetcredError('NOT_SUPPORTED', 'the issuer KMS does not compute shared secrets');
  }

  private info(kid: string, type: ManagedKeyType, publicKeyHex: string): ManagedKeyInfo {
    return { kid, kms: this.name, type, publicKeyHex, meta: { algorithms: [...ALGORITHMS_OF[type]] } };
  }

  private async store(type: ManagedKeyType, privateKey: KeyObject, kid?: string): Promise<ManagedKeyInfo> {
    const publicKeyHex = publicKeyHexOf(privateKey);
    const id = kid ?? publicKeyHex;
    const der = privateKey.export({ format: 'der', type: 'pkcs8' });
    try {
      await this.table.insert({ kid: id, type, publicKeyHex, sealed: seal(this.sealingKey, der, aadOf(id, type)) });
    } finally {
      der.fill(0);
    }
    this.loaded.set(id, loadedKey(type, privateKey));
    return this.info(id, type, publicKeyHex);
  }

  private load(kid: string): Promise<LoadedKey> {
    let pending = this.loading.get(kid);
    if (!pending) {
      pending = (async () => {
        const row = await this.table.get(kid);
        if (!row) throw new NetcredError('KEY_NOT_FOUND', `no private key ${kid} in the issuer KMS`);
        assertManagedKeyType(row.type);
        const der = unseal(this.sealingKey, row.sealed, aadOf(kid, row.type));
        try {
          const key = loadedKey(row.type, createPrivateKey({ key: der, format: 'der', type: 'pkcs8' }));
          this.loaded.set(kid, key);
          return key;
        } finally {
          der.fill(0);
        }
      })().finally(() => this.loading.delete(kid));
      this.loading.set(kid, pending);
    }
    return pending;
  }
}

function aadOf(kid: string, type: string): string {
  return `netcred-private-key/v1/${type}/${kid}`;
}

function loadedKey(type: ManagedKeyType, privateKey: KeyObject): LoadedKey {
  const { digest, dsaEncoding } = nodeSignParams(ALG_OF[type]);
  return { type, algorithms: ALGORITHMS_OF[type], digest, signKey: dsaEncoding ? { key: privateKey, dsaEncoding } : privateKey };
}
