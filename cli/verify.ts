import type { Command } from 'commander';
import type { VerifyOpts } from './verify.run.js';

export { parseNow, parseSeconds } from './parse.js';

export function registerVerify(program: Command): void {
  program
    .command('verify')
    .description(
      'verify an SD-JWT (+KB) or a wallet QR text offline, against a trust bundle (exit 0 valid, 1 rejected, 2 usage or input that is not a presentation)',
    )
    .argument('[file]', 'file with the presentation, or - for stdin', '-')
    .option('--bundle <file>', 'trust bundle (netcred verifier trust add / sync); this or --issuer-key')
    .option('--issuer-key <jwk|file>', "the issuer's public JWK (inline JSON or a file) instead of a bundle: no status list, so also --no-require-status")
    .option(
      '--no-key-binding',
      'accept an SD-JWT without a key-binding proof (not with --profile upgraded or --nonce); the result says key binding was not checked',
    )
    .option('--qr-image <file.png>', 'read the presentation from a QR code in a PNG image (what wallet present --qr writes)')
    .option(
      '--profile <name>',
      "require a disclosure profile: lite, upgraded, or by name a profile (named DCQL query) of a registered credential type, from the trust bundle (the credential's own issuer and type decide which)",
    )
    .option('--nonce <nonce>', 'the nonce this verifier gave the wallet (required by --profile upgraded)')
    .option('--aud <aud>', "this verifier's identifier: the KB-JWT aud must equal it")
    .option('--now <iso>', 'verify as of this time (ISO 8601)')
    .option('--max-age <seconds>', 'maximum KB-JWT age', '300')
    .option('--max-status-age <seconds>', 'use a status list offline up to this long after it was fetched', String(7 * 24 * 3600))
    .option('--no-require-status', 'accept credentials that have no status reference')
    .option('--replay-file <file>', 'remember accepted proofs across runs (kiosk): a second use is KB_JWT_REPLAYED')
    .option('--json', 'print the whole result as JSON')
    // Usage errors must reach cli/run.ts (exit 2), not commander's own process.exit(1).
    .exitOverride()
    // The verifier is loaded only when the command runs: `--help` and other commands stay fast.
    .action(async (file: string, opts: VerifyOpts) => (await import('./verify.run.js')).runVerify(file, opts));
}
