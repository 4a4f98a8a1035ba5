import type { Command } from 'commander';
import type { OfferOpts } from './offer.run.js';

/**
 * `netcred issuer offer`: registers an enrollment (claims + proofing evidence) and prints a
 * credential offer. Works on the data dir while `issuer serve` runs (SQLite WAL).
 */
export function registerIssuerOffer(issuer: Command): void {
  issuer
    .command('offer')
    .description('enroll a resident (verified claims + evidence) and print an OpenID4VCI credential offer')
    .requiredOption('--claims <file>', 'JSON file with the verified identity claims')
    .option('--tx-code', 'protect the offer with a 6-digit transaction code')
    .option('--evidence-method <method>', 'how the identity was proven: chip+face or face', 'chip+face')
    .option('--station <id>', 'enrollment station id', 'cli')
    .option('--format <format>', 'dc+sd-jwt or vc+sd-jwt', 'dc+sd-jwt')
    .option('--type <vct>', 'a registered credential type (netcred issuer type list; dc+sd-jwt, pre-authorized code); default: the resident identity')
    .option(
      '--grant <grant>',
      'pre-authorized_code, authorization_code (the wallet asks; approve its reference with POST /admin/authorizations/{id}/approve) or both',
      'pre-authorized_code',
    )
    .option('--by-reference', 'print the offer as credential_offer_uri (a smaller QR code) instead of by value')
    .option('--qr', 'also print the offer as a terminal QR code')
    .option('--json', 'print {"offer", "txCode", "offerUri", "expiresAt", "offerId"} as JSON')
    .action(async (opts: OfferOpts, cmd: Command) => (await import('./offer.run.js')).runIssuerOffer(opts, cmd));
}
