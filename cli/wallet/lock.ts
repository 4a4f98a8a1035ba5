import type { Command } from 'commander';
import { openWallet } from '../../holder/wallet.js';
import { dataDirOf, printJson } from '../context.js';
import { withUnlockedWallet } from './session.js';

/**
 * There is no unlocked session between CLI calls: every call unlocks with the PIN for its own
 * duration and locks again. `unlock` checks the PIN (and resets the failure count); `lock`
 * reports the lock state at rest.
 */
export function registerWalletLock(wallet: Command): void {
  wallet
    .command('unlock')
    .description('check the PIN (each command unlocks the wallet for its own duration only)')
    .option('--json', 'print {"unlocked": true}')
    .action(async (opts: { json?: boolean }, cmd: Command) => {
      await withUnlockedWallet(cmd, async () => undefined);
      if (opts.json) printJson({ unlocked: true });
      else process.stdout.write('PIN accepted; the wallet is locked again when this command ends\n');
    });
  wallet
    .command('lock')
    .description('show the lock state: the wallet is always locked between commands')
    .option('--json', 'print {"locked": true, "failures", "nextAttemptAt"}')
    .action(async (opts: { json?: boolean }, cmd: Command) => {
      const w = await openWallet(dataDirOf(cmd));
      try {
        const state = await w.pinState();
        if (opts.json) printJson({ locked: true, ...state });
        else process.stdout.write(`locked (no key material is kept between commands); ${state.failures} failed PIN attempt(s)\n`);
      } finally {
        await w.close();
      }
    });
}
