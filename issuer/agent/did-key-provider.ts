import type { IAgentContext, IIdentifier, IKey, IKeyManager } from '@veramo/core-types';
import { AbstractIdentifierProvider } from '@veramo/did-manager';
import { didKeyFromJwk } from '../../core/did/did-key.js';
import { NetcredError } from '../../core/errors.js';
import { assertManagedKeyType, jwkFromPublicKeyHex } from './key-codec.js';

type Context = IAgentContext<IKeyManager>;
/** Options of DidKeyProvider.createIdentifier: the key type (Ed25519 or P-256), or an existing key to import. */
export type DidKeyCreateOptions = { keyType?: 'Ed25519' | 'Secp256r1'; key?: { type?: string; privateKeyHex?: string } };

/**
 * did:key for Ed25519 (`z6Mk...`) and P-256 (`zDn...`, multicodec p256-pub, compressed
 * point). Veramo's KeyDIDProvider silently makes an Ed25519 key when asked for Secp256r1.
 */
export class DidKeyProvider extends AbstractIdentifierProvider {
  constructor(private readonly options: { defaultKms: string }) {
    super();
  }

  async createIdentifier(
    { kms, options }: { kms?: string; alias?: string; options?: DidKeyCreateOptions },
    context: Context,
  ): Promise<Omit<IIdentifier, 'provider'>> {
    const type = options?.key?.type ?? options?.keyType ?? 'Ed25519';
    assertManagedKeyType(type);
    const kmsName = kms ?? this.options.defaultKms;
    const key = options?.key?.privateKeyHex
      ? await context.agent.keyManagerImport({ kms: kmsName, type, privateKeyHex: options.key.privateKeyHex })
      : await context.agent.keyManagerCreate({ kms: kmsName, type });
    const did = didKeyFromJwk(jwkFromPublicKeyHex(type, key.publicKeyHex));
    return { did, controllerKeyId: key.kid, keys: [key as IKey], services: [] };
  }

  async updateIdentifier(): Promise<IIdentifier> {
    throw new NetcredError('NOT_SUPPORTED', 'a did:key cannot be updated');
  }

  async deleteIdentifier(identifier: IIdentifier, context: Context): Promise<boolean> {
    for (const { kid } of identifier.keys) await context.agent.keyManagerDelete({ kid });
    return true;
  }

  async addKey(): Promise<never> {
    throw new NetcredError('NOT_SUPPORTED', 'a did:key has exactly one key');
  }

  async removeKey(): Promise<never> {
    throw new NetcredError('NOT_SUPPORTED', 'a did:key has exactly one key');
  }

  async addService(): Promise<never> {
    throw new NetcredError('NOT_SUPPORTED', 'a did:key has no services');
  }

  async removeService(): Promise<never> {
    throw new NetcredError('NOT_SUPPORTED', 'a did:key has no services');
  }
}
