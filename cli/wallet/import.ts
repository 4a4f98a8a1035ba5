import type { Command } from 'commander';

export function registerWalletImport(wallet: Command): void {
  wallet
    .command('import')
    .argument('[file]', 'file with the SD-JWT, or - for stdin', '-')
    .description('check an issued SD-JWT (issuer signature, typ, cnf = a key of this wallet, no KB-JWT) and store it encrypted')
    .option('--json', 'print the stored credential metadata')
    .action(async (file: string, opts: { json?: boolean }, cmd: Command) => (await import('./import.run.js')).runWalletImport(file, opts, cmd));
}
