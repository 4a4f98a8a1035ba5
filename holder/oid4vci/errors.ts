import { isErrorCode, type ErrorCode } from '../../core/errors/codes.js';
import { WalletError } from '../errors.js';

/**
 * Errors of the OpenID4VCI client. Codes: OFFER_INVALID, OFFER_FETCH_FAILED,
 * ISSUER_METADATA_INVALID, TX_CODE_REQUIRED, TX_CODE_INVALID, and OID4VCI_<ERROR> for an
 * OAuth/OpenID4VCI error answered by the issuer (OID4VCI_INVALID_GRANT, OID4VCI_INVALID_PROOF,
 * OID4VCI_NOT_FOUND, OID4VCI_SLOW_DOWN, ...: the table in core/errors/codes.ts).
 */
export class Oid4vciClientError extends WalletError {
  /** The `error` the issuer answered with, if any. */
  readonly error?: string;
  constructor(code: ErrorCode, message: string, options: { error?: string; cause?: unknown } = {}) {
    super(code, message, options.cause === undefined ? {} : { cause: options.cause });
    if (options.error) this.error = options.error;
  }
}

/** An error response of the issuer, as a typed error. */
export function fromErrorResponse(what: string, status: number, body: unknown): Oid4vciClientError {
  const b = (body && typeof body === 'object' ? body : {}) as { error?: unknown; error_description?: unknown };
  const error = typeof b.error === 'string' && /^[a-z_]{1,64}$/.test(b.error) ? b.error : undefined;
  const description = typeof b.error_description === 'string' ? b.error_description.slice(0, 300) : `HTTP ${status}`;
  if (!error) return new Oid4vciClientError('OID4VCI_HTTP_ERROR', `${what} failed: HTTP ${status}`);
  // An error netcred knows keeps its code; another issuer's own error is OID4VCI_HTTP_ERROR, with `error` kept.
  const code = `OID4VCI_${error.toUpperCase()}`;
  return new Oid4vciClientError(isErrorCode(code) ? code : 'OID4VCI_HTTP_ERROR', `${what} failed: ${error}: ${description}`, { error });
}
