/** The wallet page server of `netcred wallet ui` (docs/wallet.md, "The wallet page"). */
export { startWalletUi, createWalletUiApp, type WalletUiOptions, type RunningWalletUi } from './app.js';
export { DEFAULT_IDLE_LOCK_MS } from './session.js';
export { DEFAULT_QR_TIMING, type QrTiming } from './api.js';
