import type { Command } from 'commander';
import { MAX_CREDENTIAL_BYTES } from '../../holder/credential.js';
import { importCredential } from '../../holder/import.js';
import { readInput } from '../decode.js';
import { printJson } from '../context.js';
import { withUnlockedWallet } from './session.js';

export function registerWalletImport(wallet: Command): void {
  wallet
    .command('import')
    .argument('[file]', 'file with the SD-JWT, or - for stdin', '-')
    .description('check an issued SD-JWT (issuer signature, typ, cnf = a key of this wallet, no KB-JWT) and store it encrypted')
    .option('--json', 'print the stored credential metadata')
    .action(async (file: string, opts: { json?: boolean }, cmd: Command) => {
      const text = (await readInput(file, MAX_CREDENTIAL_BYTES, 'credential')).trim();
      const info = await withUnlockedWallet(cmd, (w) => importCredential(w, text));
      if (opts.json) printJson(info);
      else process.stdout.write(`imported ${info.id} (${info.vct ?? info.format}) from ${info.iss}\n`);
    });
}
