import type { Command } from 'commander';
import { withReportOptions } from './report-options.js';
import type { ConformanceWalletOpts } from './wallet.run.js';

/** `netcred conformance wallet`: plays a hostile OpenID4VP verifier against a wallet; exit 0 all pass, 1 some fail, 2 usage. */
export function registerConformanceWallet(conformance: Command): void {
  withReportOptions(
    conformance
      .command('wallet')
      .description(
        'play an OpenID4VP verifier that sends a wallet hostile requests (wrong signature, unknown client id prefix, oversize DCQL, a response_uri on another host...) and a valid one, and report what it did; exit 0 all pass, 1 some fail, 2 usage',
      )
      .option('--cmd <template>', 'wallet command per case, with placeholders {uri} {request_uri} {client_id} {trust_root} {case} (values are shell-quoted)')
      .option('--interactive', 'no command: print each URI and its QR code, wait for the wallet (Enter: the next case)')
      .option('--listen <host>', 'address the verifier listens on', '127.0.0.1')
      .option('--port <port>', 'port (0: a free one)', '0')
      .option('--public-url <url>', "base URL the wallet reaches the verifier at; its host name is the certificate's DNS name (default http://localhost:PORT)")
      .option('--other-url <url>', 'the same server under another host name, for the response_uri of the other-host case (default http://127.0.0.1:PORT)')
      .option('--dcql <file>', "the valid request's DCQL query (JSON): a credential the wallet holds (default: netcred's identity, given_name)")
      .option('--trust-root-out <file>', 'also write the CA the wallet must trust (PEM), e.g. to install it on a phone before the run')
      .option('--only <cases>', 'only these cases, comma separated (the valid one always runs)')
      .option('--code-regex <regex>', "read the wallet's error code from its output (first capture group; default: an UPPER_SNAKE word)")
      .option('--timeout <seconds>', 'per case: the command, or the wait for the wallet', '60'),
  ).action(async (opts: ConformanceWalletOpts) => (await import('./wallet.run.js')).runConformanceWallet(opts));
}
