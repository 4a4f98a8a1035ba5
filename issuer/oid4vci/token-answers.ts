import { Oid4vciError } from './errors.js';

/** The one answer for an offer out of `pending`, whatever tx_code was sent (the right one included). */
export const CLOSED = 'the pre-authorized code was already used, burned or has expired';

export function wrongTxCode(left: number): Oid4vciError {
  if (left <= 0) return new Oid4vciError('invalid_grant', 'wrong tx_code; the pre-authorized code is now burned');
  return new Oid4vciError('invalid_grant', `wrong tx_code (${left} ${left === 1 ? 'try' : 'tries'} left)`);
}

/** `token_type` DPoP when the request carried a DPoP proof: the token is then bound to its key (RFC 9449 5). */
export type TokenResponse = { access_token: string; token_type: 'Bearer' | 'DPoP'; expires_in: number };
