import type { Command } from 'commander';

export function registerWalletList(wallet: Command): void {
  wallet
    .command('list')
    .description('list holder keys and stored credentials (metadata only, no claim values)')
    .option('--json', 'print {"keys": [...], "credentials": [...]}')
    .action(async (opts: { json?: boolean }, cmd: Command) => (await import('./list.run.js')).runWalletList(opts, cmd));
}
