import { NetcredError } from '../../core/errors.js';

/** Errors of the wallet page server: WALLET_UI_ORIGIN_REFUSED, WALLET_UI_SESSION_INVALID, WALLET_UI_CONSENT_UNKNOWN. */
export class WalletUiError extends NetcredError {}
