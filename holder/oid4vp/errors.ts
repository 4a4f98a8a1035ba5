import { WalletError } from '../errors.js';

/**
 * Stable codes of the OpenID4VP responder:
 * - OID4VP_URI_INVALID: the openid4vp:// URI cannot be parsed
 * - OID4VP_REQUEST_FETCH_FAILED: request_uri unreachable, not 200, too large or too slow
 * - OID4VP_REQUEST_INVALID: the request object is malformed, unsigned where it must be signed, badly signed or expired
 * - OID4VP_CLIENT_INVALID: client_id and response_uri (or signer) do not match
 * - OID4VP_UNSUPPORTED: a feature we do not speak (response mode, client id prefix, presentation_definition)
 * - OID4VP_RESPONSE_REFUSED: the verifier answered the vp_token with an error
 * - OID4VP_RESPONSE_FAILED: the vp_token could not be delivered
 */
export type Oid4vpWalletCode =
  | 'OID4VP_URI_INVALID'
  | 'OID4VP_REQUEST_FETCH_FAILED'
  | 'OID4VP_REQUEST_INVALID'
  | 'OID4VP_CLIENT_INVALID'
  | 'OID4VP_UNSUPPORTED'
  | 'OID4VP_RESPONSE_REFUSED'
  | 'OID4VP_RESPONSE_FAILED';

export function oid4vpError(
  code: Oid4vpWalletCode,
  message: string,
  options: { cause?: unknown; details?: { path: string; message: string }[] } = {},
): WalletError {
  return new WalletError(code, message, options);
}
