export { verifyPresentation, createVerifier, DEFAULTS, type Verifier, type VerifierOptions, type VerifyRequest } from './verify.js';
export type { VerificationResult } from './result.js';
export { VERIFY_CODES, VerificationError, isVerifyCode, toVerificationError, type VerifyCode } from './errors.js';
export { verifySdJwt, type VerifySdJwtOptions, type VerifiedSdJwt, type IssuerKeyResolver, type KeyBindingPolicy } from './sd-jwt/verify-sd-jwt.js';
export { TrustStore } from './trust/store.js';
export { loadTrustBundle, readTrustBundle, readOrCreateTrustBundle, writeTrustBundle } from './trust/load.js';
export { emptyTrustBundle, parseTrustBundle, TRUST_BUNDLE_FORMAT, TRUST_BUNDLE_VERSION, TrustBundleError, type TrustBundle, type TrustedIssuer, type TypeMetadataEntry, type StatusListEntry } from './trust/bundle.js';
export { NonceStore } from './replay/nonce-store.js';
export { ReplayCache } from './replay/replay-cache.js';
