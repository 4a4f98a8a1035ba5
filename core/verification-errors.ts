import { NetcredError } from './errors.js';

/**
 * Every code a verification can be rejected with, by any role (the verifier's verdicts, the
 * issuer's W3C verification). Stable: published in docs/error-codes.md.
 */
export const VERIFY_CODES = [
  'MALFORMED',
  'INPUT_TOO_LARGE',
  'INPUT_TOO_DEEP',
  'ALG_NOT_ALLOWED',
  'SIGNATURE_INVALID',
  'ISSUER_UNTRUSTED',
  'KID_MISMATCH',
  'ISSUER_METADATA_INVALID',
  'X509_CHAIN_INVALID',
  'X509_CERT_EXPIRED',
  'X509_UNTRUSTED',
  'X509_NOT_CA',
  'X509_KEY_USAGE',
  'X509_SAN_MISMATCH',
  'TYP_INVALID',
  'CREDENTIAL_EXPIRED',
  'CREDENTIAL_NOT_YET_VALID',
  'DISCLOSURE_MALFORMED',
  'DISCLOSURE_UNREFERENCED',
  'DISCLOSURE_DUPLICATE_DIGEST',
  'DISCLOSURE_FORBIDDEN_NAME',
  'DISCLOSURE_NAME_COLLISION',
  'SD_ALG_UNSUPPORTED',
  'KB_JWT_MISSING',
  'KB_JWT_INVALID',
  'KB_JWT_SD_HASH_MISMATCH',
  'KB_JWT_NONCE_MISMATCH',
  'KB_JWT_AUD_MISMATCH',
  'KB_JWT_STALE',
  'KB_JWT_REPLAYED',
  'STATUS_REVOKED',
  'STATUS_SUSPENDED',
  'STATUS_LIST_STALE',
  'STATUS_LIST_MISMATCH',
  'STATUS_UNKNOWN',
  'SCHEMA_INVALID',
  'PROFILE_NOT_SATISFIED',
] as const;

/** A verdict code of a negative verification, e.g. `SIGNATURE_INVALID`, `CREDENTIAL_REVOKED`. */
export type VerifyCode = (typeof VERIFY_CODES)[number];

const KNOWN = new Set<string>(VERIFY_CODES);

/** Whether `code` is one of the verdict codes of a negative verification (VERIFY_CODES). */
export function isVerifyCode(code: unknown): code is VerifyCode {
  return typeof code === 'string' && KNOWN.has(code);
}

/** A rejected presentation: the verdict is negative, the input was understood well enough to say why. */
export class VerificationError extends NetcredError {
  declare readonly code: VerifyCode;
  constructor(code: VerifyCode, message: string, options: { cause?: unknown } = {}) {
    super(code, message, options);
  }
}

/** Codes from core/ (JOSE, SD-JWT parsing, DIDs) mapped to verification codes. */
const CORE_CODE_MAP: Record<string, VerifyCode> = {
  JWS_MALFORMED: 'MALFORMED',
  INVALID_INPUT: 'MALFORMED',
  ALG_KEY_MISMATCH: 'SIGNATURE_INVALID',
  KEY_UNSUPPORTED: 'ISSUER_UNTRUSTED',
  JWK_INVALID: 'ISSUER_UNTRUSTED',
  DID_INVALID: 'ISSUER_UNTRUSTED',
  DID_NOT_FOUND: 'ISSUER_UNTRUSTED',
  DID_UNSUPPORTED_METHOD: 'ISSUER_UNTRUSTED',
  DID_UNSUPPORTED_KEY: 'ISSUER_UNTRUSTED',
};

/**
 * Turns anything thrown during verification into a VerificationError with a stable code.
 * Unknown errors (a bug, a RangeError from hostile nesting) become MALFORMED with the cause kept,
 * so no input ever produces an untyped error.
 */
export function toVerificationError(err: unknown): VerificationError {
  if (err instanceof VerificationError) return err;
  if (err instanceof NetcredError) {
    const code = isVerifyCode(err.code) ? err.code : (CORE_CODE_MAP[err.code] ?? 'MALFORMED');
    return new VerificationError(code, err.message, { cause: err });
  }
  const message = err instanceof Error ? err.message : String(err);
  return new VerificationError('MALFORMED', `cannot process the presentation: ${message}`, { cause: err });
}
