import type { Command } from 'commander';
import { withReportOptions } from './report-options.js';
import type { ConformanceIssuerOpts } from './issuer.run.js';

/** `netcred conformance issuer`: plays a wallet with bad requests against an OpenID4VCI issuer; exit 0 all pass, 1 some fail, 2 usage. */
export function registerConformanceIssuer(conformance: Command): void {
  withReportOptions(
    conformance
      .command('issuer')
      .description(
        'run the OpenID4VCI pre-authorized flow against an issuer with bad codes, tokens, proofs and nonces, and report what it did (uses the offer: give a fresh one)',
      )
      .requiredOption('--offer <uri>', 'a credential offer with a pre-authorized code (openid-credential-offer://?credential_offer=...)')
      .option('--tx-code <code>', 'the transaction code of the offer, when it asks for one')
      .option('--second-offer <uri>', 'another fresh offer of the issuer: checks that a used c_nonce is refused')
      .option('--second-tx-code <code>', 'the transaction code of the second offer'),
  ).action(async (opts: ConformanceIssuerOpts) => (await import('./issuer.run.js')).runConformanceIssuer(opts));
}
