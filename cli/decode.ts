import type { Command } from 'commander';
import type { DecodeOpts } from './decode.run.js';

/** `netcred decode [FILE|-]`: header, payload, disclosures with digests, KB-JWT, as JSON. Verifies nothing. */
export function registerDecode(program: Command): void {
  program
    .command('decode')
    .description(
      'decode an SD-JWT (or SD-JWT+KB, vc+jwt, EnvelopedVerifiableCredential, a wallet QR text NC1:..., a QR image) without verifying it; prints JSON',
    )
    .argument('[file]', 'file holding the token, or - for stdin', '-')
    .option('--qr-image <file.png>', 'read the token from a QR code in a PNG image (what wallet present --qr writes)')
    .option('--json', 'print JSON (the default; accepted for symmetry)')
    .action(async (file: string, opts: DecodeOpts) => (await import('./decode.run.js')).runDecode(file, opts));
}
