import type { Command } from 'commander';
import { collect } from '../parse.js';
import type { VerifierSyncOpts } from './sync.run.js';

/** `netcred verifier sync`: the online step that fills the trust bundle from an issuer. */
export function registerVerifierSync(verifier: Command): void {
  verifier
    .command('sync')
    .description('fetch (online) an issuer DID document, type metadata and every status list into the bundle')
    .requiredOption('--issuer <url>', 'issuer base URL (https, or http://127.0.0.1)')
    .requiredOption('--bundle <file>', 'trust bundle file (created if missing)')
    .option('--vct <vct>', 'accept only this type (repeatable; default every advertised type)', collect, [])
    .option('--timeout <seconds>', 'per-request timeout', '10')
    .option('--wait <seconds>', 'while the issuer refuses connections (just started), retry for up to this long', '0')
    .option('--json', 'JSON output')
    .action(async (opts: VerifierSyncOpts) => (await import('./sync.run.js')).runVerifierSync(opts));
}
