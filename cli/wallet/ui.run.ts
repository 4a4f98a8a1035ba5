import type { Command } from 'commander';
import { InvalidInputError } from '../../core/index.js';
import { DEFAULT_KIOSK_AUD, startWalletUi } from '../../holder/index.js';
import { dataDirOf } from '../context.js';
import { parsePort, parseSeconds } from '../parse.js';

export type WalletUiOpts = { port: string; lockAfter: string; kioskId?: string };

/** Serves the wallet page until Ctrl-C (SIGINT) or SIGTERM; then the wallet is locked and closed. */
export async function runWalletUi(opts: WalletUiOpts, cmd: Command): Promise<void> {
  const port = parsePort(opts.port);
  const lockAfter = parseSeconds(opts.lockAfter, '--lock-after');
  if (lockAfter < 10) throw new InvalidInputError('--lock-after must be at least 10 seconds', [{ path: 'lockAfter', message: opts.lockAfter }]);
  const ui = await startWalletUi({
    dataDir: dataDirOf(cmd),
    port,
    idleLockMs: lockAfter * 1000,
    kioskAud: opts.kioskId ?? (process.env.NETCRED_KIOSK_ID || DEFAULT_KIOSK_AUD),
  });
  process.stdout.write(`wallet page: ${ui.url}\n`);
  process.stderr.write(
    `open the URL above in a browser on this machine (it carries this launch's session token); the wallet locks after ${lockAfter} s without a click; Ctrl-C stops\n`,
  );
  await new Promise<void>((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      // A request still in flight (an answer being posted to a verifier) gets a few seconds.
      const force = setTimeout(() => process.exit(0), 5000);
      force.unref();
      void ui.close().finally(resolve);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}
