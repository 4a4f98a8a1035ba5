import type { Command } from 'commander';

/** `netcred decode [FILE|-]`: header, payload, disclosures with digests, KB-JWT, as JSON. Verifies nothing. */
export function registerDecode(program: Command): void {
  program
    .command('decode')
    .description('decode an SD-JWT (or SD-JWT+KB, vc+jwt, EnvelopedVerifiableCredential) without verifying it; prints JSON')
    .argument('[file]', 'file holding the token, or - for stdin', '-')
    .option('--json', 'print JSON (the default; accepted for symmetry)')
    .action(async (file: string) => (await import('./decode.run.js')).runDecode(file));
}
