export {
  createAuthorizationRequest,
  encodeRequestObjectFor,
  OID4VP_PATHS,
  DEFAULT_REQUEST_TTL_SECONDS,
  VERIFIER_ALGS,
  type CreateAuthorizationRequestOptions,
} from './create-request.js';
export { createOid4vpRouter, describeRequest, type Oid4vpRouter, type Oid4vpRouterOptions } from './router.js';
export { handleAuthorizationResponse, type PresentationVerifier, type PresentationOutcome, type ResponseResult } from './handle-response.js';
export { handleResponseForm } from './encrypted-response.js';
export { loadVerifierX509, verifierX509, x509ClientId, type VerifierX509, type VerifierX509Options } from './x509-client.js';
export { createVerifierDevChain, type VerifierDevChain } from './x509-dev.js';
export { newResponseKey, type ResponseKey } from './response-key.js';
export { RequestStore, type RequestEntry, type RequestStoreLike, type ClaimResult, type SettleOutcome } from './request-store.js';
export { ReplayGuard, type ReplayGuardLike } from './replay-guard.js';
export { encodeRequestObject, REQUEST_OBJECT_TYP, REQUEST_OBJECT_MEDIA_TYPE, type VerifierDidKey } from './request-object.js';
export { requestQrPng, requestQrTerminal } from './qr.js';
export { openid4vpUri, openid4vpUriByValue } from './uri.js';
export { assertDcqlQuery, unsatisfiedClaim } from './dcql.js';
export type {
  AuthorizationRequestPayload,
  ClientIdPrefix,
  PendingRequest,
  RequestUriMethod,
  ResponseMode,
  Verdict,
  VerdictStatus,
  VerifiedCredential,
} from './types.js';
export { pipelineVerifier } from './pipeline.js';
export { oid4vpRoutesFor, ephemeralVerifierDidKey } from './mount.js';
export { ensureVerifierAdminToken, readVerifierAdminToken, verifierAdminTokenFile, VERIFIER_ADMIN_TOKEN_ENV } from './admin-token.js';
