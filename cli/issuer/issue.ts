import type { Command } from 'commander';
import type { IssueOpts } from './issue.run.js';

export function registerIssuerIssue(issuer: Command): void {
  issuer
    .command('issue')
    .description('mint a credential for a holder DID: the resident identity, or a registered type with --type (prints the SD-JWT)')
    .requiredOption('--holder <did>', 'holder DID (did:key, did:jwk or did:web): the key the credential is bound to')
    .requiredOption('--claims <file>', 'JSON file with the identity claims, or - for stdin')
    .option('--type <vct>', 'a registered credential type (netcred issuer type list); default: the resident identity')
    .option('--format <format>', 'dc+sd-jwt (SD-JWT VC) or vc+sd-jwt (W3C VCDM 2.0)', 'dc+sd-jwt')
    .option(
      '--companion <file>',
      'also write the lite companion (a dc+sd-jwt credential only) to this file, for `netcred wallet import` (docs/qr-transport.md)',
    )
    .option('--json', 'print {id, credential, companion, format, vct, holderDid, issuedAt, expiresAt}')
    .action(async (opts: IssueOpts, cmd: Command) => (await import('./issue.run.js')).runIssuerIssue(opts, cmd));
}
