import type { Command } from 'commander';

/** `netcred wallet respond <openid4vp-uri>`: answers an OpenID4VP request with the fewest disclosures, after confirmation. */
export function registerWalletRespond(wallet: Command): void {
  wallet
    .command('respond')
    .description('answer an OpenID4VP request (openid4vp://...) with the fewest disclosures that satisfy it')
    .argument('<openid4vp-uri>', 'the request URI (from the verifier QR code)')
    .option('--yes', 'disclose without asking for confirmation')
    .option('--json', 'JSON output')
    .action(async (uri: string, opts: { yes?: boolean; json?: boolean }, cmd: Command) => (await import('./respond.run.js')).runWalletRespond(uri, opts, cmd));
}
