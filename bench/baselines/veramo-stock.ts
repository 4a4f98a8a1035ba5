import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createAgent, type ICredentialPlugin, type IDIDManager, type IKeyManager, type IResolver, type TAgent } from '@veramo/core';
import { CredentialProviderJWT } from '@veramo/credential-jwt';
import { CredentialPlugin } from '@veramo/credential-w3c';
import { DIDStore, Entities, KeyStore, migrations, PrivateKeyStore } from '@veramo/data-store';
import { DIDManager } from '@veramo/did-manager';
import { getDidKeyResolver, KeyDIDProvider } from '@veramo/did-provider-key';
import { DIDResolverPlugin } from '@veramo/did-resolver';
import { KeyManager } from '@veramo/key-manager';
import { KeyManagementSystem, SecretBox } from '@veramo/kms-local';
import { DataSource } from 'typeorm';

export type StockVeramo = {
  agent: TAgent<IDIDManager & IKeyManager & IResolver & ICredentialPlugin>;
  /** did:key (Ed25519) made by the agent. */
  issuerDid: string;
  close(): Promise<void>;
};

/**
 * Veramo as its documentation sets it up: kms-local (keys in data-store's PrivateKeyStore,
 * sealed with SecretBox), KeyStore and DIDStore on its own SQLite file, KeyDIDProvider
 * (Ed25519), the W3C CredentialPlugin with CredentialProviderJWT. None of netcred's code.
 */
export async function openStockVeramo(): Promise<StockVeramo> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'netcred-bench-veramo-'));
  const dataSource = new DataSource({
    type: 'sqlite',
    database: path.join(dir, 'veramo.sqlite'),
    synchronize: false,
    migrationsRun: true,
    migrations,
    logging: false,
    entities: Entities,
  });
  await dataSource.initialize();
  const agent = createAgent<IDIDManager & IKeyManager & IResolver & ICredentialPlugin>({
    plugins: [
      new KeyManager({
        store: new KeyStore(dataSource),
        kms: { local: new KeyManagementSystem(new PrivateKeyStore(dataSource, new SecretBox(await SecretBox.createSecretKey()))) },
      }),
      new DIDManager({
        store: new DIDStore(dataSource),
        defaultProvider: 'did:key',
        providers: { 'did:key': new KeyDIDProvider({ defaultKms: 'local' }) },
      }),
      new DIDResolverPlugin({ ...getDidKeyResolver() }),
      new CredentialPlugin([new CredentialProviderJWT()]),
    ],
  });
  const { did } = await agent.didManagerCreate({ provider: 'did:key', kms: 'local', options: { keyType: 'Ed25519' } });
  return {
    agent,
    issuerDid: did,
    async close() {
      await dataSource.destroy();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
