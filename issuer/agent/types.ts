import type { ICredentialPlugin, IDataStore, IDIDManager, IKeyManager, IResolver, TAgent } from '@veramo/core';

/** The Veramo agent the issuer runs: keys, DIDs, resolution, the data store and W3C credentials. */
export type IssuerAgent = TAgent<IDIDManager & IKeyManager & IResolver & IDataStore & ICredentialPlugin>;
