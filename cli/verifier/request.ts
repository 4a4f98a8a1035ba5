import type { Command } from 'commander';
// Only a constant from this small module: the OpenID4VP code loads when the command runs.
// Not verifier/index.js: this file loads at startup (--help, test/cli/startup); the constant's module is all it needs.
import { VERIFIER_ADMIN_TOKEN_ENV } from '../../verifier/oid4vp/admin-token.js';
import type { VerifierRequestOpts } from './request.run.js';

/**
 * `netcred verifier request`: asks a running verifier app (admin call, bearer token) for a new
 * OpenID4VP request and prints its openid4vp:// URI and QR code; with --wait, follows the
 * verdict until the wallet answered or the request expired (exit 0 valid, 1 otherwise).
 */
export function registerVerifierRequest(verifier: Command): void {
  verifier
    .command('request')
    .description('create an OpenID4VP request on a running verifier app and show it as a QR code')
    .option(
      '--profile <name>',
      "what to ask for: lite, upgraded, or by name a profile (named DCQL query) of a registered credential type in the verifier's trust bundle (PROFILE_AMBIGUOUS when issuers define it differently: give --dcql)",
    )
    .option('--dcql <file>', 'what to ask for: a DCQL query (JSON file, or - for stdin), instead of --profile')
    .requiredOption('--url <base>', 'the verifier app base URL, e.g. http://127.0.0.1:8081')
    .option('--token <token>', `admin token (default: $${VERIFIER_ADMIN_TOKEN_ENV}, else <data>/verifier/admin-token)`)
    .option(
      '--client-id-prefix <prefix>',
      "redirect_uri, decentralized_identifier (signed request), x509_san_dns or x509_hash (a verifier serving with --x509-cert); default: the verifier's",
    )
    .option('--response-mode <mode>', "direct_post or direct_post.jwt (encrypted answer; signed requests only); default: the verifier's")
    .option('--by-value', 'show the whole request in the URI (redirect_uri only) instead of a request_uri')
    .option('--no-qr', 'do not draw the QR code')
    .option('--wait [seconds]', 'wait for the verdict (default: until the request expires)')
    .option('--json', 'JSON output')
    .action(async (opts: VerifierRequestOpts, cmd: Command) => (await import('./request.run.js')).runVerifierRequest(opts, cmd));
}
