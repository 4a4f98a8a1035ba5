import type { Command } from 'commander';
import type { IssuerCertOpts } from './cert.run.js';

const impl = () => import('./cert.run.js');

/** `netcred issuer cert`: the issuer's X.509 chain (x5c) for an issuer whose `iss` is its URL. */
export function registerIssuerCert(issuer: Command): void {
  issuer
    .command('cert')
    .description('the issuer certificate chain (x5c): create one with a development CA, import one from a real CA, or show the root verifiers trust')
    .option('--import <file>', "PEM chain from your CA: the issuer key's leaf first, then intermediates (the root optional); - for stdin")
    .option('--show', 'print the root certificate (PEM) verifiers add with `netcred verifier trust add-cert`')
    .option('--chain', 'with --show: print the whole chain, leaf first')
    .option('--replace', 'replace an existing chain (verifiers must then trust the new root)')
    .option('--days <n>', 'validity of a development leaf certificate, in days (default 730)')
    .option('--json', 'print JSON')
    .action(async (opts: IssuerCertOpts, cmd: Command) => (await impl()).runIssuerCert(opts, cmd));
}
