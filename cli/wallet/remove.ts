import type { Command } from 'commander';

/** `netcred wallet remove ID`: deletes one stored credential (and its lite companion). */
export function registerWalletRemove(wallet: Command): void {
  wallet
    .command('remove')
    .description('delete a stored credential (an id `netcred wallet list` prints, or an unambiguous prefix of 8+ characters); asks first unless --yes')
    .argument('<id>', 'credential id or prefix')
    .option('--yes', 'do not ask for confirmation (scripts)')
    .option('--json', 'print {"removed": id}')
    .action(async (id: string, opts: { yes?: boolean; json?: boolean }, cmd: Command) => (await import('./remove.run.js')).runWalletRemove(id, opts, cmd));
}
