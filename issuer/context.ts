import type { Resolver } from 'did-resolver';
import type { DataSource } from 'typeorm';
import type { DIDDocument } from '../core/did/document.js';
import type { JwsAlg } from '../core/jose/alg.js';
import type { PublicJwk } from '../core/jose/jwk.js';
import type { JwsSigner } from '../core/jose/signer.js';
import type { IssuerAgent } from './agent/types.js';
import type { IssuerIdKind } from './issuer-id.js';
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
  /** What `iss` is: the issuer DID, or the public URL (JWT VC Issuer Metadata; needed for X.509). */
  issuerIdKind: IssuerIdKind;
}

/**
 * An open issuer: its configuration, Veramo agent, database, DID and document, signing keys and identifier.
 * What initIssuer/openIssuer return and every issuer function takes; close it with closeIssuer.
 */
export interface IssuerContext {
  config: IssuerConfig;
  agent: IssuerAgent;
  /** TypeORM over the issuer's SQLite file (WAL, busy timeout); Veramo's tables and ours. */
  dataSource: DataSource;
  /** The issuer DID (`iss`). */
  issuerDid: string;
  /** The issuer's DID document (served at /.well-known/did.json or <path>/did.json). */
  didDocument: DIDDocument;
  /**
   * `iss` of everything the issuer signs (credentials, status list tokens, W3C list credentials):
   * `issuerDid`, or the public URL when `config.issuerIdKind` is `url`.
   */
  issuerId: string;
  /** The issuer's public signing key, its `kid` in headers (DID URL, or thumbprint under a URL identifier). */
  issuerJwk: PublicJwk & { kid: string };
  /** The issuer's certificate chain (`x5c`, leaf first, no root) when it has one (`issuer cert`). */
  x5c?: string[];
  /**
   * Signs as the issuer: `kid` is the DID URL of the issuer key (its thumbprint under a URL
   * identifier), `x5c` the chain when there is one; goes through agent.keyManagerSign.
   */
  signer: JwsSigner;
  /** Resolves holder DIDs: did:key and did:jwk offline, did:web over HTTPS. */
  resolver: Resolver;
  /** A 32-byte key for one purpose (e.g. 'subject-ref'), derived (HKDF) from the issuer secret. */
  deriveKey(purpose: string): Buffer;
  close(): Promise<void>;
}
