/** Public API of what every role shares: typed errors, JOSE, DIDs, SD-JWT, status lists, QR transport. */

export { DidError, InputTooLargeError, InvalidInputError, isNetcredError, JoseError, NetcredError, SecretError, StorageError, toNetcredError, type ErrorDetail, type StorageErrorCode } from './errors.js';
export { storageError, storageErrorOf } from './storage-errors.js';
// Every error code with its class (whose fault): HTTP status, OAuth error and CLI exit code follow from it.
export { CLASS_CONTRACT, ERROR_CODES, errorClassOf, exitCodeOf, isErrorCode, type ErrorClass, type ErrorCode, type ErrorCodeSpec } from './errors/codes.js';

// JOSE over node:crypto.
export { isSupportedAlg, SUPPORTED_ALGS, type JwsAlg } from './jose/alg.js';
export { decodeCompact, type DecodedJws } from './jose/decode.js';
export { importPublicJwk, jwkThumbprint, publicJwkOf, sameJwk, type PublicJwk } from './jose/jwk.js';
export { signCompact, type JwsHeader } from './jose/sign.js';
export { keyObjectSigner, type JwsSigner } from './jose/signer.js';
export { verifyCompact, type VerifyOptions } from './jose/verify.js';

// DID resolution: did:key, did:jwk offline, did:web over HTTPS.
export { createDidResolver, resolveDidDocument, resolvePublicJwk, resolvePublicKey, type DidResolverOptions } from './did/resolve.js';
export type { DIDDocument } from './did/document.js';

// SD-JWT (RFC 9901): issue, parse, decode, verify (key binding included).
export { issueSdJwt, NEVER_DISCLOSABLE, type IssueSdJwtInput } from './sd-jwt/issue.js';
export { parseSdJwt, SdJwtFormatError, type Disclosure, type ParsedSdJwt } from './sd-jwt/parse.js';
export { decodeSdJwt, type DecodedDisclosure, type DecodedSdJwt } from './sd-jwt/decode.js';
export { verifySdJwt, type IssuerKeyResolver, type KeyBindingPolicy, type VerifiedSdJwt, type VerifySdJwtOptions } from './sd-jwt/verify.js';
export { isSdHashAlg, SD_HASH_ALGS, type SdHashAlg } from './sd-jwt/hash.js';

// Token Status List and W3C Bitstring Status List codecs.
export * from './status/index.js';

// One-way QR transport.
export * from './qr/index.js';
