import { NetcredError } from '../core/errors.js';

/**
 * Errors of the holder wallet. Codes are stable: WALLET_LOCKED, PIN_INVALID, PIN_LOCKED_OUT,
 * PIN_TOO_WEAK, WALLET_NOT_INITIALIZED, WALLET_EXISTS, WALLET_CORRUPT, CREDENTIAL_NOT_BOUND_TO_WALLET,
 * KB_JWT_PRESENT, CREDENTIAL_INVALID, CREDENTIAL_EXISTS, CREDENTIAL_NOT_FOUND, CREDENTIAL_ID_AMBIGUOUS, DCQL_INVALID,
 * DCQL_NOT_SATISFIED, CONFIRMATION_REQUIRED, CONFIRMATION_DECLINED, STATUS_FETCH_FAILED.
 */
export class WalletError extends NetcredError {}

/** A PIN attempt refused because of earlier failures; `retryAfterMs` says how long to wait. */
export class PinLockedOutError extends WalletError {
  readonly retryAfterMs: number;
  readonly nextAttemptAt: number;
  constructor(nextAttemptAt: number, now: number) {
    const wait = Math.max(0, nextAttemptAt - now);
    super('PIN_LOCKED_OUT', `too many wrong PINs: try again in ${Math.ceil(wait / 1000)} s`, {
      details: [{ path: 'retry_after_ms', message: String(wait) }],
    });
    this.retryAfterMs = wait;
    this.nextAttemptAt = nextAttemptAt;
  }
}

export function walletLocked(): WalletError {
  return new WalletError('WALLET_LOCKED', 'the wallet is locked: unlock it with the PIN first');
}
