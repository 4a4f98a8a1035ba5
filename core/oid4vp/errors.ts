import { NetcredError } from '../errors.js';

/**
 * Why an OpenID4VP request or response was refused by a rule of this folder:
 * - OID4VP_REQUEST_INVALID: the request object or its client_metadata is malformed
 * - OID4VP_UNSUPPORTED: something we do not speak (an encryption algorithm, a key type)
 * - REQUEST_SIGNATURE_INVALID: the request object does not verify with its x5c leaf key
 * - CLIENT_ID_MISMATCH: the certificate does not name the client_id (x509_hash, or not a DNS name)
 * - RESPONSE_URI_MISMATCH: the response_uri is not on the x509_san_dns host
 */
export type Oid4vpRuleCode = 'OID4VP_REQUEST_INVALID' | 'OID4VP_UNSUPPORTED' | 'REQUEST_SIGNATURE_INVALID' | 'CLIENT_ID_MISMATCH' | 'RESPONSE_URI_MISMATCH';

export class Oid4vpRuleError extends NetcredError {
  declare readonly code: Oid4vpRuleCode;
  constructor(code: Oid4vpRuleCode, message: string, options: { cause?: unknown } = {}) {
    super(code, message, options);
  }
}
