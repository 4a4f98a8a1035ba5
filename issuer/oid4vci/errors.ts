import { NetcredError } from '../../core/errors.js';
import { httpStatusOf } from '../../core/http/errors.js';

/** OAuth 2.0 / OpenID4VCI error codes this issuer answers with. */
export type Oid4vciErrorCode =
  | 'invalid_request'
  | 'invalid_grant'
  | 'unsupported_grant_type'
  | 'invalid_token'
  | 'invalid_credential_request'
  | 'unknown_credential_configuration'
  | 'invalid_proof'
  | 'invalid_nonce'
  | 'credential_request_denied'
  | 'invalid_client'
  | 'invalid_scope'
  | 'invalid_dpop_proof'
  | 'use_dpop_nonce';

/**
 * A protocol error: `error` is the OAuth/OpenID4VCI code sent on the wire, `code` the
 * stable NetcredError code (`OID4VCI_INVALID_GRANT`, ...), whose row in core/errors/codes.ts
 * gives the HTTP status (`invalid_token`: 401, the others 400) and the `error` of the answer.
 */
export class Oid4vciError extends NetcredError {
  declare readonly code: `OID4VCI_${Uppercase<Oid4vciErrorCode>}`;
  readonly error: Oid4vciErrorCode;
  readonly status: number;

  constructor(error: Oid4vciErrorCode, description: string, options: { cause?: unknown } = {}) {
    const code = `OID4VCI_${error.toUpperCase() as Uppercase<Oid4vciErrorCode>}` as const;
    super(code, description, options);
    this.error = error;
    this.status = httpStatusOf(this);
  }
}
