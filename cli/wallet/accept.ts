import type { Command } from 'commander';
import type { WalletAcceptOpts } from './accept.run.js';

/** `netcred wallet accept <offer-uri>`: the OpenID4VCI pre-authorized code or authorization code flow into this wallet. */
export function registerWalletAccept(wallet: Command): void {
  wallet
    .command('accept')
    .description('accept an OpenID4VCI credential offer (openid-credential-offer://...) into the wallet')
    .argument('<offer-uri>', 'the credential offer URI (from the QR code)')
    .option('--tx-code-from-env', 'read the transaction code from NETCRED_TX_CODE instead of asking')
    .option('--batch <n>', 'request n credentials, each bound to a fresh key (unlinkable)', '1')
    .option('--config <id>', 'credential configuration to request (default: the first offered)')
    .option('--authorization-code', "use the offer's authorization code grant (PAR, PKCE, DPoP): open the printed URL in a browser to authorize")
    .option('--client-id <id>', 'the wallet client_id of the authorization code flow', 'netcred-wallet')
    .option('--authorization-timeout <seconds>', 'how long to wait for the browser to come back', '600')
    .option('--json', 'print the imported credentials as JSON')
    .action(async (offerUri: string, opts: WalletAcceptOpts, cmd: Command) => (await import('./accept.run.js')).runWalletAccept(offerUri, opts, cmd));
}
