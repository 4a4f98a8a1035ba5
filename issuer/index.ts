/** Public API of the issuer (docs/issuer.md, docs/openid4vci.md). */

// Opening an issuer, its configuration and settings.
export { initIssuer, openIssuer, type InitIssuerOptions, type OpenIssuerOptions } from './open.js';
export type { IssuerConfig, IssuerContext } from './context.js';
export {
  DEFAULT_CREDENTIAL_TTL_SECONDS,
  DEFAULT_PUBLIC_URL,
  DEFAULT_STATUS_LIST_SIZE,
  DEFAULT_STATUS_TTL_SECONDS,
  DEFAULT_STATUS_VALIDITY_SECONDS,
  DID_METHODS,
  issuerPaths,
  MIN_STATUS_LIST_SIZE,
  parseAlg,
  parseDidMethod,
  TIMING_LIMITS,
  type DidMethod,
  type IssuerPaths,
  type IssuerTiming,
  type StoredIssuerConfig,
} from './config.js';
export { timingOf, updateIssuerTiming } from './settings.js';
export {
  publicUrlFollowsPort,
  publicUrlLock,
  publicUrlPortMismatch,
  setPublicUrl,
  urlPort,
  withPort,
  type PublicUrlChange,
  type PublicUrlMismatch,
} from './public-url.js';
export { ISSUER_ID_KINDS, parseIssuerIdKind, type IssuerIdKind } from './issuer-id.js';

// X.509: the issuer's certificate chain (x5c) and its JWT VC Issuer Metadata.
export { certificateSummary, createIssuerCertificate, importIssuerCertificate, issuerCertificateChain, type CertificateSummary } from './x509/manage.js';
export type { IssuerChain } from './x509/chain-file.js';
export { jwtVcIssuerMetadata } from './http/jwt-vc-issuer.js';

// Issuance.
export {
  CREDENTIAL_FORMATS,
  findIssuanceRecords,
  issueCredential,
  issueCredentials,
  type CredentialFormat,
  type IssuanceRecord,
  type IssuanceRecordFilter,
  type IssuedCredential,
  type IssueManyRequest,
  type IssueOptions,
  type IssueRequest,
} from './issuance/index.js';

// Registered credential types (beside the built-in resident identity).
export {
  listCredentialTypes,
  parseTypeDefinition,
  readTypeDirectory,
  registerCredentialType,
  TYPE_FILES,
  TYPE_LIMITS,
  type CredentialTypeDefinition,
  type CredentialTypeSummary,
  type TypeDefinitionFiles,
} from './credential-types/index.js';

// Credential lifecycle and status publishing.
export {
  auditLog,
  credentialStatus,
  DEFAULT_PUBLISH_OPTIONS,
  reinstateCredential,
  reportDeviceLost,
  revokeCredential,
  STATUS_REASONS,
  StatusPublisher,
  statusPublisher,
  suspendCredential,
  /** Writes every status list, list credential and the aggregation as static files for a CDN. */
  publishStatusDir,
  STATUS_CONTENT_TYPES,
  STATUS_DIR_MANIFEST,
  type PublishedStatusFile,
  type StatusDirManifest,
  type AuditEntry,
  type CredentialStatusRecord,
  type DeviceLostResult,
  type DeviceLostSelector,
  type PublishOptions,
  type Published,
  type StatusChangeResult,
  type StatusName,
  type StatusReason,
} from './status/index.js';

// OpenID4VCI: enrollment, offers, the protocol's routes.
export { createEnrollmentOffer, offerById, type EnrollmentEvidence, type EnrollmentInput, type EnrollmentOffer } from './oid4vci/enroll.js';
export { issuerIdentifier, OID4VCI_PATHS } from './oid4vci/config.js';
export { oid4vciRouter, type Oid4vciRouterOptions } from './oid4vci/routes.js';
/** issuer serve --cache: the OpenID4VCI short-lived state in a Redis shared by every issuer node. */
export { connectIssuerCache } from './oid4vci/state/connect.js';
export { DEFAULT_ISSUER_CACHE_PREFIX } from './oid4vci/state/redis.js';

// The HTTP app and server.
export { basePathOf, createIssuerApp, type IssuerAppOptions } from './http/app.js';
export { serveIssuer, type RunningServer } from './http/serve.js';
// issuer serve --workers N on SQLite: the workers hand each other the write turn through the primary.
export { primaryWriteGate, useWorkerWriteGate, type WriteGate } from './store/cluster-write-gate.js';
export { didDocumentPath } from './http/did-document.js';

/** A real issuer in a temp dir served on 127.0.0.1, for tests, benchmarks and demos; freePort for URLs that name their port first. */
export { freePort, startEphemeralIssuer, type EphemeralIssuer, type EphemeralIssuerOptions } from './ephemeral.js';

// OAuth at the OpenID4VCI authorization server (HAIP, authorization code, wallet attestation).
/** The OAuth policy, its wallet attestation modes and wallet provider keys. */
export {
  DEFAULT_OAUTH_POLICY,
  isWalletAttestationMode,
  parseWalletProviderKeys,
  WALLET_ATTESTATION_MODES,
  type OAuthPolicy,
  type WalletAttestationMode,
} from './oauth-policy.js';
/** Changes the OAuth policy of an issuer's data dir. */
export { updateOAuthPolicy } from './settings.js';
/** The enrollment point's decision on a wallet's authorization request. */
export { approveAuthorization, authorizationView, denyAuthorization, type AuthorizationView } from './oid4vci/approve.js';
/** Which grants an enrollment offer carries. */
export type { EnrollmentGrant } from './oid4vci/enroll.js';
/** OpenID4VCI protocol errors (error, error_description and a code). */
export { Oid4vciError } from './oid4vci/errors.js';
/** The URIs of the published status lists. */
export { aggregationUri, bitstringCredentialUri, listUri } from './status/index.js';
/** PEM of one certificate; the size bound of an imported chain. */
export { pemOf } from './x509/chain-file.js';
export { MAX_CHAIN_PEM_BYTES } from './x509/manage.js';
