import type { ICredentialPlugin, IDataStore, IDIDManager, IKeyManager, IResolver, TAgent } from '@veramo/core';
import { CredentialProviderJWT } from '@veramo/credential-jwt';
import { CredentialPlugin } from '@veramo/credential-w3c';
import { DataStore, DataStoreORM, DIDStore, KeyStore } from '@veramo/data-store';
import { DIDManager } from '@veramo/did-manager';
import { JwkDIDProvider } from '@veramo/did-provider-jwk';
import { WebDIDProvider } from '@veramo/did-provider-web';
import { DIDResolverPlugin } from '@veramo/did-resolver';
import { KeyManager } from '@veramo/key-manager';
import type { DataSource } from 'typeorm';
import { didMethodResolvers, type DidResolverOptions } from '../../core/did/resolve.js';
import { credentialProviders } from '../w3c/providers.js';
import { CachingKeyStore } from './caching-key-store.js';
import { DidKeyProvider } from './did-key-provider.js';
import { NetcredKms } from './kms.js';
import { QuietAgent } from './quiet-agent.js';
import type { IssuerAgent } from './types.js';

type IssuerPlugins = IDIDManager & IKeyManager & IResolver & IDataStore & ICredentialPlugin;

export const KMS_NAME = 'netcred';

/**
 * The issuer's Veramo agent: our node:crypto KMS behind a caching key store, did:key (Ed25519
 * and P-256, ours), did:jwk and did:web providers, resolution through core/did, Veramo's data
 * store and the W3C credential plugin (our VCDM 2.0 providers plus Veramo's JWT provider, the
 * benchmark's baseline).
 */
export function createIssuerAgent(options: { dataSource: DataSource; sealingKey: Buffer; resolverOptions: DidResolverOptions }): IssuerAgent {
  const { dataSource } = options;
  return new QuietAgent({
    plugins: [
      new KeyManager({
        store: new CachingKeyStore(new KeyStore(dataSource)),
        kms: { [KMS_NAME]: new NetcredKms(dataSource, options.sealingKey, KMS_NAME) },
      }),
      new DIDManager({
        store: new DIDStore(dataSource),
        defaultProvider: 'did:key',
        providers: {
          'did:key': new DidKeyProvider({ defaultKms: KMS_NAME }),
          'did:jwk': new JwkDIDProvider({ defaultKms: KMS_NAME }),
          'did:web': new WebDIDProvider({ defaultKms: KMS_NAME }),
        },
      }),
      new DIDResolverPlugin(didMethodResolvers(options.resolverOptions)),
      new DataStore(dataSource),
      new DataStoreORM(dataSource),
      new CredentialPlugin([...credentialProviders(), new CredentialProviderJWT()]),
    ],
  }) as unknown as TAgent<IssuerPlugins>;
}
