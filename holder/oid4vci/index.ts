export { acceptOffer, type AcceptOfferOptions, type AcceptOfferResult } from './accept.js';
export { resolveCredentialOffer, type CredentialOffer, type TxCodeSpec } from './offer.js';
export { fetchIssuerEndpoints, wellKnownUrl, type IssuerEndpoints } from './metadata.js';
export { createProofJwt } from './proof.js';
export { Oid4vciClientError } from './errors.js';
export { obtainAuthorizationCode, DEFAULT_CLIENT_ID, type AuthorizationStep, type AuthorizationCodeResult } from './authorize.js';
export { DpopSession, postWithDpop } from './dpop.js';
export { listenForRedirect, type LoopbackRedirect } from './loopback.js';
export { requestAccessToken, requestCredential, type AccessToken } from './token.js';
