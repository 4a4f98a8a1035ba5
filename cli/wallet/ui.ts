import type { Command } from 'commander';
import type { WalletUiOpts } from './ui.run.js';

/** Spelled out here so `--help` loads no holder code; test/cli/startup checks it against DEFAULT_IDLE_LOCK_MS. */
const LOCK_AFTER_HELP = '300';

export function registerWalletUi(wallet: Command): void {
  wallet
    .command('ui')
    .description(
      'serve the wallet page on 127.0.0.1 only (unlock, credentials, lite QR, scan a request, accept an offer, sync); prints the URL to open, with its session token',
    )
    .option('--port <port>', 'listen port on 127.0.0.1 (0: any)', '8082')
    .option('--lock-after <seconds>', 'lock the wallet again after this long without a click in the page', LOCK_AFTER_HELP)
    .option('--kiosk-id <aud>', 'KB-JWT audience of the lite QR (default $NETCRED_KIOSK_ID or netcred:kiosk)')
    .action(async (opts: WalletUiOpts, cmd: Command) => (await import('./ui.run.js')).runWalletUi(opts, cmd));
}
