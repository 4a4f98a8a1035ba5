import type { Command } from 'commander';

const impl = () => import('./trust.run.js');

/** `netcred wallet trust add-cert|list|remove`: the roots that vouch for verifiers (x509_san_dns, x509_hash). */
export function registerWalletTrust(wallet: Command): void {
  const trust = wallet
    .command('trust')
    .description('trusted verifier roots: CA certificates that vouch for x509_san_dns / x509_hash verifiers (no PIN needed)');
  trust
    .command('add-cert')
    .description('trust a CA certificate (PEM, one or several) to vouch for verifiers')
    .argument('<pem-file>', 'the root (or CA) certificate file, - for stdin')
    .option('--json', 'JSON output')
    .action(async (file: string, opts: { json?: boolean }, cmd: Command) => (await impl()).runWalletTrustAdd(file, opts, cmd));
  trust
    .command('list')
    .description('show the trusted verifier roots')
    .option('--json', 'JSON output')
    .action(async (opts: { json?: boolean }, cmd: Command) => (await impl()).runWalletTrustList(opts, cmd));
  trust
    .command('remove')
    .description('stop trusting a root, by its SHA-256 fingerprint (as `wallet trust list` shows it)')
    .argument('<fingerprint>', 'SHA-256 fingerprint')
    .option('--json', 'JSON output')
    .action(async (fingerprint: string, opts: { json?: boolean }, cmd: Command) => (await impl()).runWalletTrustRemove(fingerprint, opts, cmd));
}
