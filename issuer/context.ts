import type { Resolver } from 'did-resolver';
import type { DataSource } from 'typeorm';
import type { DIDDocument } from '../core/did/document.js';
import type { JwsAlg } from '../core/jose/alg.js';
import type { JwsSigner } from '../core/jose/signer.js';
import type { IssuerAgent } from './agent/types.js';
import type { OAuthPolicy } from './oauth-policy.js';

/** Everything an issuer operation needs, opened once per process from a data dir. */
export interface IssuerConfig {
  dataDir: string;
  /** Public base URL (status list URIs, OpenID4VCI issuer identifier, did:web). */
  publicUrl: string;
  /** Bearer token for /admin endpoints. */
  adminToken: string;
  /** Entries per status list (default 131072, never below 16384). */
  statusListSize: number;
  /** Credential lifetime in seconds. */
  credentialTtlSeconds: number;
  /** `ttl` of the published status lists (and their HTTP max-age). */
  statusTtlSeconds: number;
  /** exp - iat of the published status lists; an unchanged list is re-signed when half of it is left. */
  statusValiditySeconds: number;
  /** How the issuer DID was made: did:key, or did:web from publicUrl. */
  didMethod: 'key' | 'web';
  /** The issuer key's signature algorithm. */
  alg: JwsAlg;
  /** HAIP and wallet attestation at the OpenID4VCI authorization server. */
  oauth: OAuthPolicy;
}

export interface IssuerContext {
  config: IssuerConfig;
  agent: IssuerAgent;
  /** TypeORM over the issuer's SQLite file (WAL, busy timeout); Veramo's tables and ours. */
  dataSource: DataSource;
  /** The issuer DID (`iss`). */
  issuerDid: string;
  /** The issuer's DID document (served at /.well-known/did.json or <path>/did.json). */
  didDocument: DIDDocument;
  /** Signs as the issuer: `kid` is the DID URL of the issuer key; goes through agent.keyManagerSign. */
  signer: JwsSigner;
  /** Resolves holder DIDs: did:key and did:jwk offline, did:web over HTTPS. */
  resolver: Resolver;
  /** A 32-byte key for one purpose (e.g. 'subject-ref'), derived (HKDF) from the issuer secret. */
  deriveKey(purpose: string): Buffer;
  close(): Promise<void>;
}
