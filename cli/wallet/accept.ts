import type { Command } from 'commander';
import type { WalletAcceptOpts } from './accept.run.js';

/** `netcred wallet accept <offer-uri>`: the OpenID4VCI pre-authorized code flow into this wallet. */
export function registerWalletAccept(wallet: Command): void {
  wallet
    .command('accept')
    .description('accept an OpenID4VCI credential offer (openid-credential-offer://...) into the wallet')
    .argument('<offer-uri>', 'the credential offer URI (from the QR code)')
    .option('--tx-code-from-env', 'read the transaction code from NETCRED_TX_CODE instead of asking')
    .option('--batch <n>', 'request n credentials, each bound to a fresh key (unlinkable)', '1')
    .option('--config <id>', 'credential configuration to request (default: the first offered)')
    .option('--json', 'print the imported credentials as JSON')
    .action(async (offerUri: string, opts: WalletAcceptOpts, cmd: Command) => (await import('./accept.run.js')).runWalletAccept(offerUri, opts, cmd));
}
