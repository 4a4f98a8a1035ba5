/** Public API of what every role shares: typed errors, JOSE, DIDs, SD-JWT, status lists, QR transport. */

export {
  DidError,
  InputTooLargeError,
  InvalidInputError,
  isNetcredError,
  JoseError,
  NetcredError,
  SecretError,
  StorageError,
  toNetcredError,
  type ErrorDetail,
  type StorageErrorCode,
} from './errors.js';
export { storageError, storageErrorOf } from './storage-errors.js';
// Every error code with its class (whose fault): HTTP status, OAuth error and CLI exit code follow from it.
export { CLASS_CONTRACT, ERROR_CODES, errorClassOf, exitCodeOf, isErrorCode, type ErrorClass, type ErrorCode, type ErrorCodeSpec } from './errors/codes.js';
/** The verdict codes of a negative verification, and the error that carries one. */
export { isVerifyCode, toVerificationError, VerificationError, VERIFY_CODES, type VerifyCode } from './verification-errors.js';

// JOSE over node:crypto.
export { isSupportedAlg, SUPPORTED_ALGS, type JwsAlg } from './jose/alg.js';
export { decodeCompact, type DecodedJws } from './jose/decode.js';
export { importPublicJwk, jwkThumbprint, publicJwkOf, sameJwk, type PublicJwk } from './jose/jwk.js';
export { signCompact, type JwsHeader } from './jose/sign.js';
export { keyObjectSigner, type JwsSigner } from './jose/signer.js';
export { verifyCompact, type VerifyOptions } from './jose/verify.js';
/** Verifies a JWS already decoded by decodeCompact. */
export { verifyDecoded } from './jose/verify.js';
/** The JWS alg of a key object, and node:crypto's sign parameters for an alg. */
export { algForKey, nodeSignParams } from './jose/alg.js';
/** The one JWT time-claims check (iat, nbf, exp, clock skew) every JWT netcred reads goes through. */
export { checkTimeClaims, JwtClaimError, type TimeClaimsOptions } from './jose/claims.js';
/** JWE with ECDH-ES (A128GCM, A256GCM): the encrypted OpenID4VP answers of direct_post.jwt. */
export { decryptEcdhEs, encryptEcdhEs, isJweEnc, JWE_ALG, JWE_ENCS, JweError, type JweEnc } from './jose/jwe.js';

// DID resolution: did:key, did:jwk offline, did:web over HTTPS.
export { createDidResolver, resolveDidDocument, resolvePublicJwk, resolvePublicKey, type DidResolverOptions } from './did/resolve.js';
export type { DIDDocument } from './did/document.js';
/** did:key of a public JWK, and back. */
export { didKeyFromJwk, jwkFromDidKey } from './did/did-key.js';
/** did:jwk of a public JWK, and back. */
export { didJwkFromJwk, jwkFromDidJwk } from './did/did-jwk.js';
/** did:web of an HTTPS URL, and the URL of its DID document. */
export { didWebFromUrl, didWebToUrl } from './did/did-web.js';
/** The public JWK a DID document holds under a key id. */
export { jwkFromDocument } from './did/resolve.js';
/** A DID document with one verification method (what did:key, did:jwk and a did:web issuer publish). */
export { singleKeyDocument } from './did/document.js';

// SD-JWT (RFC 9901): issue, parse, decode, verify (key binding included).
export { issueSdJwt, NEVER_DISCLOSABLE, type IssueSdJwtInput } from './sd-jwt/issue.js';
export { parseSdJwt, SdJwtFormatError, type Disclosure, type ParsedSdJwt } from './sd-jwt/parse.js';
export { decodeSdJwt, type DecodedDisclosure, type DecodedSdJwt } from './sd-jwt/decode.js';
export { verifySdJwt, type IssuerKeyResolver, type KeyBindingPolicy, type VerifiedSdJwt, type VerifySdJwtOptions } from './sd-jwt/verify.js';
export { isSdHashAlg, SD_HASH_ALGS, type SdHashAlg } from './sd-jwt/hash.js';
/** Salts and disclosure digests under an `_sd_alg`. */
export { generateSalt, sdDigest, sdJwtHasher } from './sd-jwt/hash.js';
/** One disclosure from its base64url text. */
export { parseDisclosure } from './sd-jwt/parse.js';
/** The size bound of what decodeSdJwt reads. */
export { MAX_DECODE_INPUT } from './sd-jwt/decode.js';
/** The size bound of a presentation verifySdJwt accepts unless told otherwise. */
export { DEFAULT_MAX_PRESENTATION_BYTES } from './sd-jwt/verify.js';

// Credential formats (core/vc): typ values, VCDM 2.0, issuer key discovery.
/** The credential formats (one list of typ values) and the size bound of a credential. */
export {
  CREDENTIAL_FORMATS,
  isCredentialFormat,
  MAX_CREDENTIAL_BYTES,
  SD_JWT_VC_TYP,
  VC_JWT_TYP,
  W3C_SD_JWT_TYP,
  type CredentialFormat,
} from './vc/formats.js';
/** VCDM 2.0 secured with SD-JWT: the context, the JOSE header and credential shape checks. */
export { checkVcdm2, checkVcJoseHeader, credentialOfClaims, VC_V2_CONTEXT } from './vc/vcdm2.js';
/** The EnvelopedVerifiableCredential around an SD-JWT, and back. */
export { envelope, unenvelope, type EnvelopedVerifiableCredential } from './vc/envelope.js';
/** JWT VC Issuer Metadata (SD-JWT VC): which issuers qualify, where it lives, how it is read. */
export { isUrlIssuer, jwtVcIssuerMetadataUrl, parseJwkSet, parseJwtVcIssuerMetadata, type JwkSet, type JwtVcIssuerMetadata } from './vc/jwt-vc-issuer.js';
/** Which mechanism gives an issuer's key: x5c, else JWT VC Issuer Metadata, else the DID. */
export { issuerKeyMechanism, type IssuerKeyMechanism } from './vc/issuer-key.js';

/** DCQL (OpenID4VP): one validator and matcher, wallet and verifier differing by options. */
export * from './dcql/index.js';

/** X.509: x5c chains, development CAs, the issuer SAN rule. */
export * from './x509/index.js';

// OAuth rules of OpenID4VCI and HAIP.
/** PKCE with S256 (RFC 7636). */
export { createPkcePair, isCodeVerifier, pkceMatches, s256Challenge } from './oauth/pkce.js';
/** DPoP proofs (RFC 9449): made by a wallet, checked by the issuer. */
export {
  accessTokenHash,
  createDpopKey,
  createDpopProof,
  DpopNonceError,
  DpopProofError,
  dpopHeaderValue,
  normalizeHtu,
  verifyDpopProof,
  type DpopKey,
} from './oauth/dpop.js';
/** OAuth attestation-based client authentication (a wallet attestation and its PoP). */
export { ClientAttestationError, clientAttestationHeaders, verifyClientAttestation } from './oauth/client-attestation.js';

/** OpenID4VP client identifier prefixes (x509_san_dns, x509_hash). */
export { CLIENT_ID_PREFIXES, isX509Prefix, splitClientId, type X509ClientIdPrefix } from './oid4vp/client-id.js';

// Encodings, bounded JSON, sealing at rest.
/** base64url without padding. */
export { b64uDecode, b64uEncode } from './encoding/base64url.js';
/** JSON a user can reach is bounded in depth and size before it is parsed (INPUT_TOO_DEEP). */
export { assertJsonDepth, InputTooDeepError, MAX_JSON_BYTES, MAX_JSON_DEPTH, parseJsonBounded, type JsonBounds } from './encoding/json.js';
/** AES-256-GCM sealing with a versioned byte layout (secrets and keys at rest). */
export { openSealed, seal, type SealFormat } from './crypto/seal.js';

// HTTP: the thin adapters both apps share.
/** Serving an app: one RunningServer; a taken port is PORT_IN_USE. */
export { listen, ListenError, type ListenOptions, type RunningServer } from './http/listen.js';
/** The one HTTP error contract: status and OAuth error follow from the code's class. */
export { httpErrorHandler, httpStatusOf, oauthErrorOf, type OAuthErrorBody } from './http/errors.js';
/** Bearer-token auth of admin routes. */
export { bearerAuth, type BearerAuthOptions } from './http/bearer-auth.js';
/** Rate limits per client IP. */
export { DEFAULT_RATE_LIMIT_PER_MINUTE, rateLimitSetting, type RateLimitSetting } from './http/rate-limit.js';
/** Server timeouts and connection cap, applied before listen. */
export { applyServerLimits, DEFAULT_SERVER_LIMITS, resolveServerLimits, type ServerLimits } from './http/server-limits.js';
/** fetch with size, time and redirect bounds (did:web, syncs, metadata). */
export { fetchBounded, FetchBoundedError, parseFetchUrl } from './http/fetch-bounded.js';

// Token Status List and W3C Bitstring Status List codecs.
export * from './status/index.js';

// One-way QR transport.
export * from './qr/index.js';
