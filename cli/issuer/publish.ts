import type { Command } from 'commander';
import type { IssuerPublishOpts } from './publish.run.js';

const impl = () => import('./publish.run.js');

/** `netcred issuer publish --out DIR`: the status lists as static files for a CDN or object store. */
export function registerIssuerPublish(issuer: Command): void {
  issuer
    .command('publish')
    .description(
      'write every status list token, W3C list credential and the aggregation as static files (with manifest.json, _headers, _redirects) for a CDN; re-run before half their validity is over',
    )
    .requiredOption('--out <dir>', 'output directory (files are replaced atomically)')
    .option('--json', 'print the manifest as JSON')
    .action(async (opts: IssuerPublishOpts, cmd: Command) => (await impl()).runIssuerPublish(opts, cmd));
}
