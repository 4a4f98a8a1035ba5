/**
 * Every error code netcred raises, each with its class: whose fault it is. The HTTP status, the
 * OAuth `error` and the CLI exit code of an error follow from this one table (core/http/errors.ts,
 * cli/run.ts). docs/error-codes.md documents the same list (test/readme/error-codes.test.ts).
 *
 * - input: the caller sent something wrong (HTTP 400, or the status given here; CLI exit 2)
 * - verdict: a presentation was refused (HTTP 400 where it is not a verdict body; CLI exit 1)
 * - storage: a store cannot take or serve the operation now; nothing was stored (HTTP 503 with
 *   Retry-After; CLI exit 2, the message says what to do)
 * - setup: the operator's data dir, secret or configuration is missing or wrong (HTTP 500: the
 *   client can do nothing about it; CLI exit 2, the message says what to do)
 * - internal: a bug (HTTP 500; CLI exit 3)
 */
export type ErrorClass = 'input' | 'verdict' | 'storage' | 'setup' | 'internal';

/** What the table says of one code: its class, an HTTP status other than its class's, an OAuth `error` other than its status's. */
export type ErrorCodeSpec = { readonly class: ErrorClass; readonly status?: 401 | 403 | 404 | 409 | 413 | 415 | 429; readonly error?: string };

/** HTTP status and CLI exit code of each class. */
export const CLASS_CONTRACT: Readonly<Record<ErrorClass, { status: number; exit: number }>> = {
  input: { status: 400, exit: 2 },
  verdict: { status: 400, exit: 1 },
  storage: { status: 503, exit: 2 },
  setup: { status: 500, exit: 2 },
  internal: { status: 500, exit: 3 },
};

const input = { class: 'input' } as const;
const verdict = { class: 'verdict' } as const;
const storage = { class: 'storage' } as const;
const setup = { class: 'setup' } as const;
const internal = { class: 'internal' } as const;
/** An OpenID4VCI error of the issuer: its OAuth `error` on the wire is the lower-case name. */
const oid4vci = <E extends string>(error: E, status?: 401) => ({ class: 'input', error, ...(status ? { status } : {}) }) as const;

/**
 * Every error code netcred can throw, with its class (whose fault) and, where it differs from the
 * class default, its HTTP status. A code, once published, never changes meaning (docs/error-codes.md).
 */
export const ERROR_CODES = {
  // Shared core: input, JOSE, DIDs, SD-JWT, status lists, bounded fetch, QR, OAuth (DPoP, client attestation)
  INVALID_INPUT: input,
  INPUT_TOO_LARGE: { class: 'input', status: 413 },
  INPUT_TOO_DEEP: input,
  CHARSET_UNSUPPORTED: { class: 'input', status: 415 },
  CONTENT_ENCODING_UNSUPPORTED: { class: 'input', status: 415 },
  INTERNAL: internal,
  RATE_LIMITED: { class: 'input', status: 429 },
  JWS_MALFORMED: input,
  JWK_INVALID: input,
  KEY_UNSUPPORTED: input,
  ALG_KEY_MISMATCH: input,
  JWT_CLAIM_INVALID: input,
  JWT_EXPIRED: input,
  JWT_NOT_YET_VALID: input,
  JWS_CRIT_UNSUPPORTED: input,
  ALG_NOT_ALLOWED: input,
  SIGNATURE_INVALID: input,
  TYP_INVALID: input,
  DID_INVALID: input,
  DID_UNSUPPORTED_METHOD: input,
  DID_UNSUPPORTED_KEY: input,
  DID_NOT_FOUND: input,
  KID_MISMATCH: input,
  MALFORMED: input,
  DISCLOSURE_MALFORMED: input,
  DISCLOSURE_UNREFERENCED: input,
  DISCLOSURE_DUPLICATE_DIGEST: input,
  DISCLOSURE_FORBIDDEN_NAME: input,
  DISCLOSURE_NAME_COLLISION: input,
  SD_ALG_UNSUPPORTED: input,
  SD_RESERVED_CLAIM: internal,
  STATUS_LIST_INVALID: input,
  STATUS_LIST_TOKEN_INVALID: input,
  STATUS_LIST_URI_MISMATCH: input,
  STATUS_LIST_EXPIRED: input,
  STATUS_INDEX_OUT_OF_RANGE: input,
  STATUS_VALUE_INVALID: input,
  STATUS_REFERENCE_INVALID: input,
  STATUS_TYPE_UNSUPPORTED: input,
  FETCH_URL_INVALID: input,
  FETCH_URL_REFUSED: input,
  FETCH_UNREACHABLE: input,
  FETCH_TOO_LARGE: input,
  FETCH_READ_FAILED: input,
  QR_MALFORMED: input,
  QR_TOO_LARGE: input,
  QR_IMAGE_INVALID: input,
  // OAuth (core/oauth): as they stand, the answers of a resource server (RFC 9449 7.1, 9); the
  // issuer's authorization server answers them as OID4VCI_INVALID_DPOP_PROOF / _USE_DPOP_NONCE / _INVALID_CLIENT.
  DPOP_PROOF_INVALID: { class: 'input', status: 401, error: 'invalid_dpop_proof' },
  DPOP_NONCE_REQUIRED: { class: 'input', status: 401, error: 'use_dpop_nonce' },
  CLIENT_ATTESTATION_INVALID: { class: 'input', status: 401, error: 'invalid_client' },

  // X.509 (core/x509): x5c chains, trust roots, the issuer's own certificate (also verdicts, but X509_KEY_MISMATCH)
  X509_CHAIN_INVALID: input,
  X509_CERT_EXPIRED: input,
  X509_UNTRUSTED: input,
  X509_NOT_CA: input,
  X509_KEY_USAGE: input,
  X509_SAN_MISMATCH: input,
  X509_KEY_MISMATCH: input,

  // Verification verdicts (also thrown as input errors: the rows above, and the list and time codes here)
  ISSUER_UNTRUSTED: verdict,
  CREDENTIAL_EXPIRED: input,
  CREDENTIAL_NOT_YET_VALID: input,
  KB_JWT_MISSING: verdict,
  KB_JWT_INVALID: verdict,
  KB_JWT_SD_HASH_MISMATCH: verdict,
  KB_JWT_NONCE_MISMATCH: verdict,
  KB_JWT_AUD_MISMATCH: verdict,
  KB_JWT_STALE: verdict,
  KB_JWT_REPLAYED: verdict,
  STATUS_REVOKED: verdict,
  STATUS_SUSPENDED: verdict,
  STATUS_LIST_STALE: input,
  STATUS_LIST_MISMATCH: input,
  STATUS_UNKNOWN: verdict,
  SCHEMA_INVALID: verdict,
  PROFILE_NOT_SATISFIED: verdict,
  WALLET_DECLINED: verdict,
  TOO_MANY_REQUESTS: storage,

  // Issuer
  ISSUER_NOT_INITIALIZED: setup,
  ISSUER_EXISTS: input,
  TYPE_DEFINITION_INVALID: input,
  ISSUER_CONFIG_INVALID: setup,
  ISSUER_CORRUPT: setup,
  STORAGE_FULL: storage,
  STORAGE_UNAVAILABLE: storage,
  STORE_CORRUPT: storage,
  SECRET_MISSING: setup,
  SECRET_INVALID: setup,
  SECRET_MISMATCH: setup,
  SEALED_INVALID: setup,
  KEY_NOT_FOUND: setup,
  KEY_INVALID: internal,
  KEY_TYPE_UNSUPPORTED: internal,
  KEY_NOT_IN_DID_DOCUMENT: internal,
  NOT_SUPPORTED: internal,
  UNSUPPORTED: input,
  PORT_IN_USE: input,
  LISTEN_FAILED: input,
  PUBLIC_URL_MISMATCH: setup,
  PUBLIC_URL_LOCKED: input,
  CREDENTIAL_NOT_FOUND: { class: 'input', status: 404 },
  CREDENTIAL_ID_AMBIGUOUS: input,
  STATUS_REASON_INVALID: input,
  STATUS_REVOKED_FINAL: { class: 'input', status: 409 },
  STATUS_NOT_SUSPENDED: { class: 'input', status: 409 },
  STATUS_ALLOCATION_FAILED: setup,
  STATUS_ALREADY_ALLOCATED: input,
  STATUS_CONFIG_INVALID: setup,
  STATUS_PUBLISH_FAILED: setup,
  ISSUANCE_RECORDS_UNAVAILABLE: setup,
  OID4VCI_INVALID_REQUEST: oid4vci('invalid_request'),
  OID4VCI_INVALID_GRANT: oid4vci('invalid_grant'),
  OID4VCI_UNSUPPORTED_GRANT_TYPE: oid4vci('unsupported_grant_type'),
  OID4VCI_INVALID_TOKEN: oid4vci('invalid_token', 401),
  OID4VCI_INVALID_CREDENTIAL_REQUEST: oid4vci('invalid_credential_request'),
  OID4VCI_UNKNOWN_CREDENTIAL_CONFIGURATION: oid4vci('unknown_credential_configuration'),
  OID4VCI_INVALID_PROOF: oid4vci('invalid_proof'),
  OID4VCI_INVALID_NONCE: oid4vci('invalid_nonce'),
  OID4VCI_CREDENTIAL_REQUEST_DENIED: oid4vci('credential_request_denied'),
  OID4VCI_INVALID_CLIENT: oid4vci('invalid_client', 401),
  OID4VCI_INVALID_SCOPE: oid4vci('invalid_scope'),
  OID4VCI_INVALID_DPOP_PROOF: oid4vci('invalid_dpop_proof'),
  OID4VCI_USE_DPOP_NONCE: oid4vci('use_dpop_nonce'),
  // The authorization code flow's admin decision (issuer/oid4vci/approve.ts)
  AUTHORIZATION_NOT_FOUND: { class: 'input', status: 404 },
  AUTHORIZATION_NOT_PENDING: { class: 'input', status: 409 },
  ENROLLMENT_NOT_FOUND: { class: 'input', status: 404 },
  ENROLLMENT_NOT_APPROVABLE: { class: 'input', status: 409 },

  // Holder wallet
  WALLET_NOT_INITIALIZED: setup,
  WALLET_EXISTS: input,
  WALLET_LOCKED: input,
  WALLET_CORRUPT: setup,
  WALLET_IO: storage,
  WALLET_BUSY: storage,
  PIN_INVALID: input,
  PIN_LOCKED_OUT: input,
  PIN_TOO_WEAK: input,
  PIN_REQUIRED: input,
  PIN_MISMATCH: input,
  BACKUP_INVALID: input,
  // The wallet page server (netcred wallet ui, holder/ui-server/)
  WALLET_UI_ORIGIN_REFUSED: { class: 'input', status: 403, error: 'access_denied' },
  WALLET_UI_SESSION_INVALID: { class: 'input', status: 401 },
  WALLET_UI_CONSENT_UNKNOWN: { class: 'input', status: 404 },
  KDF_FAILED: setup,
  SEALED_RECORD_INVALID: setup,
  CANCELLED: input,
  CONFIRMATION_REQUIRED: input,
  CONFIRMATION_DECLINED: input,
  CREDENTIAL_EXISTS: input,
  CREDENTIAL_INVALID: input,
  CREDENTIAL_TYP_INVALID: input,
  CREDENTIAL_SIGNATURE_INVALID: input,
  CREDENTIAL_NOT_BOUND_TO_WALLET: input,
  KB_JWT_PRESENT: input,
  DCQL_INVALID: input,
  DCQL_NOT_SATISFIED: input,
  PROFILE_UNKNOWN: input,
  PROFILE_INVALID: input,
  PROFILE_AMBIGUOUS: input,
  CLAIM_UNKNOWN: input,
  CREDENTIAL_UNUSABLE: input,
  CREDENTIAL_DOES_NOT_SATISFY: input,
  STATUS_FETCH_FAILED: input,
  OFFER_INVALID: input,
  OFFER_FETCH_FAILED: input,
  ISSUER_METADATA_INVALID: input,
  TX_CODE_REQUIRED: input,
  TX_CODE_INVALID: input,
  OID4VCI_HTTP_ERROR: input,
  OID4VCI_NOT_FOUND: input,
  OID4VCI_SLOW_DOWN: input,
  OID4VCI_SERVER_ERROR: input,
  OID4VCI_TEMPORARILY_UNAVAILABLE: input,
  OID4VCI_ACCESS_DENIED: input,
  AUTHORIZATION_REQUIRED: input,
  AUTHORIZATION_RESPONSE_INVALID: input,
  AUTHORIZATION_TIMED_OUT: input,
  OID4VP_URI_INVALID: input,
  OID4VP_REQUEST_FETCH_FAILED: input,
  OID4VP_REQUEST_INVALID: input,
  OID4VP_CLIENT_INVALID: input,
  OID4VP_UNSUPPORTED: input,
  OID4VP_RESPONSE_FAILED: input,
  OID4VP_RESPONSE_REFUSED: input,
  // OpenID4VP per HAIP (core/oid4vp, core/jose/jwe.ts): x509 request objects, client_metadata, encrypted responses
  REQUEST_SIGNATURE_INVALID: input,
  CLIENT_ID_MISMATCH: input,
  RESPONSE_URI_MISMATCH: input,
  CREDENTIAL_ALG_UNSUPPORTED: input,
  JWE_INVALID: input,
  JWE_DECRYPTION_FAILED: input,
  RESPONSE_ENCRYPTION_REQUIRED: verdict,
  VERIFIER_X509_INVALID: setup,

  // Verifier (trust bundle, CLI)
  TRUST_BUNDLE_NOT_FOUND: input,
  TRUST_BUNDLE_INVALID: input,
  SYNC_FAILED: input,
  VERIFIER_UNREACHABLE: input,
  VERIFIER_UNAUTHORIZED: input,
  VERIFIER_REFUSED: input,
  VERIFIER_ANSWER_INVALID: input,
  FILE_UNREADABLE: input,
  NONCE_STORE_FULL: storage,
  CACHE_UNAVAILABLE: storage,
  CACHE_SECRET_MISMATCH: setup,

  // Demo
  OFFLINE: input,
  DEMO_ENROLLMENT_FAILED: internal,
  DEMO_ISSUANCE_FAILED: internal,
  DEMO_UNEXPECTED_ANSWER: internal,
} as const satisfies Record<string, ErrorCodeSpec>;

/** A published error code: a key of ERROR_CODES. */
export type ErrorCode = keyof typeof ERROR_CODES;

/** Whether `value` is one of the published error codes. */
export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && Object.hasOwn(ERROR_CODES, value);
}

/** The table's row of a code (a code outside the table, e.g. from another system's answer: internal). */
export function specOf(code: string): ErrorCodeSpec {
  return isErrorCode(code) ? ERROR_CODES[code] : internal;
}

/** The class of an error code (input, verdict, storage, setup, internal); an unknown code is `internal`. */
export function errorClassOf(code: string): ErrorClass {
  return specOf(code).class;
}

/** CLI exit code of an error code: 1 verdict, 2 input / storage / setup, 3 internal. */
export function exitCodeOf(code: string): number {
  return CLASS_CONTRACT[errorClassOf(code)].exit;
}
