import type { Command } from 'commander';

/** `netcred wallet backup --out FILE` and `netcred wallet restore FILE`: an encrypted copy of the whole wallet. */
export function registerWalletBackup(wallet: Command): void {
  wallet
    .command('backup')
    .description('write an encrypted backup of the whole wallet (keys, credentials): restoring it needs the PIN the wallet has now')
    .requiredOption('--out <file>', 'where to write the backup (mode 0600)')
    .option('--json', 'print {"file", "bytes"}')
    .action(async (opts: { out: string; json?: boolean }, cmd: Command) => (await import('./backup.run.js')).runWalletBackup(opts, cmd));
  wallet
    .command('restore')
    .description('restore a wallet from a backup (the PIN it had when backed up); refuses to replace an existing wallet without --force')
    .argument('<file>', 'the backup file (netcred wallet backup --out)')
    .option('--force', 'replace the wallet that is already in the data dir')
    .option('--json', 'print {"file", "backupCreatedAt"}')
    .action(async (file: string, opts: { force?: boolean; json?: boolean }, cmd: Command) =>
      (await import('./backup.run.js')).runWalletRestore(file, opts, cmd),
    );
}
