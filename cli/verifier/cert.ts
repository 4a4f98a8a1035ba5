import type { Command } from 'commander';
import type { VerifierCertOpts } from './cert.run.js';

/** `netcred verifier cert`: a development CA and a leaf certificate for the verifier's DNS name (x509_san_dns / x509_hash requests). */
export function registerVerifierCert(verifier: Command): void {
  verifier
    .command('cert')
    .description('create a development CA and a verifier certificate for a DNS name (for verifier serve --x509-cert/--x509-key; wallets trust the CA)')
    .requiredOption('--dns <name>', 'the DNS name the verifier is reached at (the x509_san_dns client id)')
    .option('--name <name>', 'the name wallets show (certificate subject CN; default the DNS name)')
    .option('--days <n>', 'validity of the leaf certificate in days', '365')
    .option('--out <dir>', 'where to write ca.pem, chain.pem and key.pem (default <data>/verifier/x509)')
    .option('--force', 'overwrite existing files')
    .option('--json', 'JSON output')
    .action(async (opts: VerifierCertOpts, cmd: Command) => (await import('./cert.run.js')).runVerifierCert(opts, cmd));
}
