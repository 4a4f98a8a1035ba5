import type { Command } from 'commander';
import { collect } from '../parse.js';

/** `netcred wallet respond <openid4vp-uri>`: answers an OpenID4VP request with the fewest disclosures, after confirmation. */
export function registerWalletRespond(wallet: Command): void {
  wallet
    .command('respond')
    .description('answer an OpenID4VP request (openid4vp://...) with the fewest disclosures that satisfy it')
    .argument('<openid4vp-uri>', 'the request URI (from the verifier QR code)')
    .option('--yes', 'disclose without asking for confirmation')
    .option(
      '--trust-root <pem-file>',
      'also trust this CA to vouch for x509 verifiers, for this answer only (repeatable; see wallet trust add-cert)',
      collect,
      [],
    )
    .option('--json', 'JSON output')
    .action(async (uri: string, opts: { yes?: boolean; json?: boolean; trustRoot: string[] }, cmd: Command) =>
      (await import('./respond.run.js')).runWalletRespond(uri, opts, cmd),
    );
}
