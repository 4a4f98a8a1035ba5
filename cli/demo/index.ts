import type { Command } from 'commander';
import { EXIT } from '../run.js';

/** `netcred demo` (what `npm run demo` runs): the identity story end to end, narrated. */
export function registerDemo(program: Command): void {
  program
    .command('demo')
    .description('play the identity story end to end: issuer and verifier on 127.0.0.1, wallets, in a temp dir')
    .option('--no-qr', 'do not draw QR codes in the terminal (PNG files are still written)')
    .option('--json', 'print the steps and their outcome as JSON')
    .option('--keep', 'keep the temporary directory (data dirs, trust bundle, QR PNGs)')
    .action(async (opts: { qr: boolean; json?: boolean; keep?: boolean }) => {
      const write = (s: string) => process.stdout.write(`${s}\n`);
      // Loaded on use: the demo pulls in every role, which other commands should not pay for at startup.
      const { runDemo } = await import('./run.js');
      const result = await runDemo({ showQr: opts.qr && !opts.json, keep: opts.keep ?? false, ...(opts.json ? {} : { out: write }) });
      if (opts.json) {
        write(JSON.stringify(result, null, 2));
      } else {
        write('');
        const passed = result.steps.filter((s) => s.ok).length;
        write(result.ok ? `All ${passed} steps turned out as narrated.` : `FAILED: ${passed} of 6 steps turned out as narrated.`);
        write(opts.keep ? `Data, trust bundle and QR codes kept in ${result.root}` : 'The temporary data was removed (--keep keeps it).');
      }
      process.exitCode = result.ok ? EXIT.OK : EXIT.REJECTED;
    });
}
