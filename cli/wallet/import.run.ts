import type { Command } from 'commander';
import { MAX_CREDENTIAL_BYTES } from '../../core/index.js';
import { importCredential } from '../../holder/index.js';
import { printJson } from '../context.js';
import { readInput } from '../read-input.js';
import { withUnlockedWallet } from './session.js';

export async function runWalletImport(file: string, opts: { json?: boolean }, cmd: Command): Promise<void> {
  const text = (await readInput(file, MAX_CREDENTIAL_BYTES, 'credential')).trim();
  const info = await withUnlockedWallet(cmd, (w) => importCredential(w, text));
  if (opts.json) printJson(info);
  else process.stdout.write(`imported ${info.id} (${info.vct ?? info.format}) from ${info.iss}\n`);
}
