export {
  verifyPresentation,
  verifyPresentationAsync,
  createVerifier,
  DEFAULTS,
  type Verifier,
  type VerifierOptions,
  type VerifierSettings,
  type SharedVerifierOptions,
  type VerifyRequest,
} from './verify.js';
export type { VerificationResult } from './result.js';
export { VERIFY_CODES, VerificationError, isVerifyCode, toVerificationError, type VerifyCode } from './errors.js';
export { verifySdJwt, type VerifySdJwtOptions, type VerifiedSdJwt, type IssuerKeyResolver, type KeyBindingPolicy } from '../core/sd-jwt/verify.js';
export { TrustStore, type ResolvedIssuerKey, type StoreIssuer } from './trust/store.js';
export { loadTrustBundle, readTrustBundle, readOrCreateTrustBundle, writeTrustBundle } from './trust/load.js';
export {
  emptyTrustBundle,
  parseTrustBundle,
  TRUST_BUNDLE_FORMAT,
  TRUST_BUNDLE_VERSION,
  TrustBundleError,
  type TrustBundle,
  type TrustedIssuer,
  type TypeMetadataEntry,
  type StatusListEntry,
  type X509RootEntry,
} from './trust/bundle.js';
export { NonceStore } from './replay/nonce-store.js';
export { ReplayCache } from './replay/replay-cache.js';
export { createVerifierApp, verifyRoutes, DEFAULT_MAX_BODY_BYTES, type VerifierAppOptions } from './http/app.js';
export { listenApp, type RunningServer } from './http/serve.js';
export { addDidIssuer, builtInTypeMetadata } from './trust/add.js';
export { trustBundleForIssuerKey } from './trust/raw-key.js';
export { addX509Roots, MAX_X509_ROOTS } from './trust/x509-roots.js';
export { syncIssuer, type SyncOptions, type SyncReport } from './trust/sync.js';
export { assertKnownTypeProfile, typeProfile, typeProfileNames, typeProfileNamesOf } from './trust/type-profiles.js';
export { requestTypeProfile, type RequestTypeProfile } from './trust/request-type-profile.js';
export type { NonceStoreLike, ReplayCacheLike, Awaitable } from './replay/stores.js';
export { memoryState, type MemoryStateOptions } from './state/memory.js';
export { connectRedisState, redactCacheUrl, DEFAULT_CACHE_PREFIX, type RedisState, type RedisStateOptions } from './state/redis.js';
export { ensureCacheSecret, cacheSecretFile, CACHE_SECRET_ENV } from './state/secret.js';
export { CacheUnavailableError, type CacheHealth, type VerifierState } from './state/types.js';
/** OpenID4VP verifier: requests (signed, x509 for HAIP), the routes that take the answers, the admin token; assertDcqlQuery with the verifier's DCQL options (as holder/index.ts has the wallet's). */
export {
  assertDcqlQuery,
  createAuthorizationRequest,
  createOid4vpRouter,
  createVerifierDevChain,
  ensureVerifierAdminToken,
  ephemeralVerifierDidKey,
  handleAuthorizationResponse,
  loadVerifierX509,
  oid4vpRoutesFor,
  pipelineVerifier,
  readVerifierAdminToken,
  ReplayGuard,
  requestQrPng,
  requestQrTerminal,
  RequestStore,
  unsatisfiedClaim,
  VERIFIER_ADMIN_TOKEN_ENV,
  verifierAdminTokenFile,
  verifierX509,
  type Oid4vpRouter,
  type Oid4vpRouterOptions,
  type PresentationVerifier,
  type RequestUriMethod,
  type ResponseMode,
  type Verdict,
  type VerifierDidKey,
  type VerifierX509,
} from './oid4vp/index.js';
/** A nonce store at its cap refuses new nonces (NONCE_STORE_FULL). */
export { DEFAULT_MAX_OUTSTANDING_NONCES, NonceStoreFullError } from './replay/nonce-store.js';
