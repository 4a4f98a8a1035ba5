import type { Command } from 'commander';
import { EXIT } from '../run.js';

/** `netcred demo` (what `npm run demo` runs): the identity story end to end, narrated; `--haip`: the HAIP 1.0 story. */
export function registerDemo(program: Command): void {
  program
    .command('demo')
    .description('play the identity story end to end: issuer and verifier on 127.0.0.1, wallets, in a temp dir')
    .option(
      '--haip',
      'play the HAIP 1.0 story: X.509 issuer, authorization code flow with PAR, PKCE and DPoP, x509_san_dns request answered with direct_post.jwt',
    )
    .option('--no-qr', 'do not draw QR codes in the terminal (PNG files are still written)')
    .option('--json', 'print the steps and their outcome as JSON')
    .option('--keep', 'keep the temporary directory (data dirs, trust bundle, QR PNGs)')
    .action(async (opts: { qr: boolean; json?: boolean; keep?: boolean; haip?: boolean }) => {
      const write = (s: string) => process.stdout.write(`${s}\n`);
      // Loaded on use: the demo pulls in every role, which other commands should not pay for at startup.
      const run = opts.haip ? (await import('./run-haip.js')).runHaipDemo : (await import('./run.js')).runDemo;
      const result = await run({ showQr: opts.qr && !opts.json, keep: opts.keep ?? false, ...(opts.json ? {} : { out: write }) });
      if (opts.json) {
        write(JSON.stringify(result, null, 2));
      } else {
        write('');
        const passed = result.steps.filter((s) => s.ok).length;
        write(result.ok ? `All ${passed} steps turned out as narrated.` : `FAILED: ${passed} of ${result.expectedSteps} steps turned out as narrated.`);
        write(opts.keep ? `Data, trust bundle and QR codes kept in ${result.root}` : 'The temporary data was removed (--keep keeps it).');
      }
      process.exitCode = result.ok ? EXIT.OK : EXIT.REJECTED;
    });
}
