import type { Command } from 'commander';
import { withReportOptions } from './report-options.js';
import type { ConformanceVerifierOpts } from './verifier.run.js';

/** `netcred conformance verifier`: every case against a command-line or HTTP verifier; exit 0 all pass, 1 some fail, 2 usage. */
export function registerConformanceVerifier(conformance: Command): void {
  withReportOptions(
    conformance
      .command('verifier')
      .description(
        'run every case of a suite against a verifier: a command line per case (--cmd) or an HTTP endpoint (--url); exit 0 all pass, 1 some fail, 2 usage',
      )
      .requiredOption('--cases <dir>', 'the suite (netcred vectors generate --out DIR)')
      .option(
        '--cmd <template>',
        'command per case, with placeholders: {presentation} {issuer_jwk} {nonce} {aud} {now} {status_dir} {trust_bundle} ... (values are shell-quoted)',
      )
      .option('--url <url>', 'HTTP verifier base URL (with --mapping, or netcred POST /verify)')
      .option('--mapping <file>', 'JSON: the request to send per case and how to read the verdict (docs/conformance.md)')
      .option('--accept-exit <codes>', 'exit codes meaning accepted (comma separated)', '0')
      .option('--reject-exit <codes>', 'exit codes meaning rejected (default: any other; an exit outside both lists is no verdict)')
      .option('--accept-stdout <regex>', 'accepted when stdout matches (instead of the exit code; ^ and $ match at each line)')
      .option('--code-regex <regex>', "read the implementation's error code from its output (first capture group)")
      .option('--strict-codes', "fail a rejection whose code is not the case's (needs --code-regex, or the mapping's codePointer)")
      .option('--only <regex>', 'run only the cases whose name matches')
      .option('--jobs <n>', 'cases run at once', '1')
      .option('--timeout <seconds>', 'per case', '30'),
  ).action(async (opts: ConformanceVerifierOpts) => (await import('./verifier.run.js')).runConformanceVerifier(opts));
}
