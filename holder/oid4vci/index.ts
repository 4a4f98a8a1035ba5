export { acceptOffer, type AcceptOfferOptions, type AcceptOfferResult } from './accept.js';
export { resolveCredentialOffer, type CredentialOffer, type TxCodeSpec } from './offer.js';
export { fetchIssuerEndpoints, wellKnownUrl, type IssuerEndpoints } from './metadata.js';
export { createProofJwt } from './proof.js';
export { Oid4vciClientError } from './errors.js';
