import type { Command } from 'commander';
import { collect } from '../parse.js';
import type { TrustAddOpts, TrustListOpts } from './trust.run.js';

const impl = () => import('./trust.run.js');

/** `netcred verifier trust add|list`: the trust bundle by hand, no network. */
export function registerVerifierTrust(verifier: Command): void {
  const trust = verifier.command('trust').description('manage the trust bundle');
  trust
    .command('add')
    .description('trust a did:key or did:jwk issuer (no network)')
    .argument('<did>', 'issuer DID')
    .option('--vct <vct>', 'accepted credential type (repeatable; default the resident identity type)', collect, [])
    .requiredOption('--bundle <file>', 'trust bundle file (created if missing)')
    .option('--json', 'print the entry as JSON')
    .action(async (did: string, opts: TrustAddOpts) => (await impl()).runTrustAdd(did, opts));
  trust
    .command('list')
    .description('show the trusted issuers and cached status lists')
    .requiredOption('--bundle <file>', 'trust bundle file')
    .option('--json', 'JSON output')
    .action(async (opts: TrustListOpts) => (await impl()).runTrustList(opts));
}
