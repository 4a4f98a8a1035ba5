import type { Command } from 'commander';
import type { AuthorizationOpts } from './authorization.run.js';

/**
 * `netcred issuer authorization show|approve|deny <reference>`: the enrollment point's decision on
 * a wallet's authorization request (the reference its browser shows), on the data dir, also while
 * `issuer serve` runs. The same as POST /admin/authorizations/{reference}/approve|deny.
 */
export function registerIssuerAuthorization(issuer: Command): void {
  const authorization = issuer
    .command('authorization')
    .description('approve or deny a wallet authorization request (authorization code flow) at the enrollment point');
  const impl = () => import('./authorization.run.js');
  authorization
    .command('show')
    .description("print an authorization request's state")
    .argument('<reference>', "the reference the resident's browser shows (XXXX-XXXX)")
    .option('--json', 'print JSON')
    .action(async (reference: string, opts: AuthorizationOpts, cmd: Command) => (await impl()).runAuthorization('show', reference, opts, cmd));
  authorization
    .command('approve')
    .description('approve it for an enrollment (claims + chip/face evidence recorded by `issuer offer`)')
    .argument('<reference>', "the reference the resident's browser shows (XXXX-XXXX)")
    .option('--enrollment <offerId>', 'the enrollment (offerId); optional when the request came with its offer')
    .option('--json', 'print JSON')
    .action(async (reference: string, opts: AuthorizationOpts, cmd: Command) => (await impl()).runAuthorization('approve', reference, opts, cmd));
  authorization
    .command('deny')
    .description('refuse it: the browser goes back to the wallet with access_denied')
    .argument('<reference>', "the reference the resident's browser shows (XXXX-XXXX)")
    .option('--json', 'print JSON')
    .action(async (reference: string, opts: AuthorizationOpts, cmd: Command) => (await impl()).runAuthorization('deny', reference, opts, cmd));
}
