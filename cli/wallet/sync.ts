import type { Command } from 'commander';

export function registerWalletSync(wallet: Command): void {
  wallet
    .command('sync')
    .description('fetch the status lists of stored credentials (online): delete revoked ones, mark suspended ones')
    .option('--json', 'print {deleted, suspended, valid, unchecked, errors}')
    .action(async (opts: { json?: boolean }, cmd: Command) => (await import('./sync.run.js')).runWalletSync(opts, cmd));
}
