import { NetcredError } from '../../core/errors.js';

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

const STATUS: Record<Oid4vciErrorCode, number> = {
  invalid_request: 400,
  invalid_grant: 400,
  unsupported_grant_type: 400,
  invalid_token: 401,
  invalid_credential_request: 400,
  unknown_credential_configuration: 400,
  invalid_proof: 400,
  invalid_nonce: 400,
  credential_request_denied: 400,
  invalid_client: 401,
  invalid_scope: 400,
  invalid_dpop_proof: 400,
  use_dpop_nonce: 400,
};

/**
 * A protocol error: `error` is the OAuth/OpenID4VCI code sent on the wire, `code` the
 * stable NetcredError code (`OID4VCI_INVALID_GRANT`, ...).
 */
export class Oid4vciError extends NetcredError {
  readonly error: Oid4vciErrorCode;
  readonly status: number;

  constructor(error: Oid4vciErrorCode, description: string, options: { cause?: unknown } = {}) {
    super(`OID4VCI_${error.toUpperCase()}`, description, options);
    this.error = error;
    this.status = STATUS[error];
  }

  /** The RFC 6749 section 5.2 body. */
  body(): { error: Oid4vciErrorCode; error_description: string } {
    return { error: this.error, error_description: this.message };
  }
}
