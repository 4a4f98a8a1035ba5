import type { Command } from 'commander';
import { collect } from '../parse.js';
import type { TrustAddCertOpts, TrustAddOpts, TrustListOpts } from './trust.run.js';

const impl = () => import('./trust.run.js');

/** `netcred verifier trust add|add-cert|list`: the trust bundle by hand, no network. */
export function registerVerifierTrust(verifier: Command): void {
  const trust = verifier.command('trust').description('manage the trust bundle');
  trust
    .command('add')
    .description('trust a did:key or did:jwk issuer (no network)')
    .argument('<did>', 'issuer DID')
    .option('--vct <vct>', 'accepted credential type (repeatable; default the resident identity type and its lite companion)', collect, [])
    .requiredOption('--bundle <file>', 'trust bundle file (created if missing)')
    .option('--json', 'print the entry as JSON')
    .action(async (did: string, opts: TrustAddOpts) => (await impl()).runTrustAdd(did, opts));
  trust
    .command('add-cert')
    .description('trust an X.509 root: credentials whose x5c chain ends at it, and whose leaf names their iss (no network)')
    .argument('<pem>', 'PEM file of the root certificate(s) (- for stdin)')
    .option('--vct <vct>', 'accepted credential type (repeatable; default the resident identity type and its lite companion)', collect, [])
    .requiredOption('--bundle <file>', 'trust bundle file (created if missing)')
    .option('--json', 'print the entries as JSON')
    .action(async (pem: string, opts: TrustAddCertOpts) => (await impl()).runTrustAddCert(pem, opts));
  trust
    .command('list')
    .description('show the trusted issuers, X.509 roots and cached status lists')
    .requiredOption('--bundle <file>', 'trust bundle file')
    .option('--json', 'JSON output')
    .action(async (opts: TrustListOpts) => (await impl()).runTrustList(opts));
}
