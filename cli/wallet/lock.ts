import type { Command } from 'commander';

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
    .action(async (opts: { json?: boolean }, cmd: Command) => (await import('./lock.run.js')).runWalletUnlock(opts, cmd));
  wallet
    .command('lock')
    .description('show the lock state: the wallet is always locked between commands')
    .option('--json', 'print {"locked": true, "failures", "nextAttemptAt"}')
    .action(async (opts: { json?: boolean }, cmd: Command) => (await import('./lock.run.js')).runWalletLock(opts, cmd));
}
