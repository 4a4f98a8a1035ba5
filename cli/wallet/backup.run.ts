import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import { backupWallet, restoreWallet, walletFile, WalletError } from '../../holder/index.js';
import { dataDirOf, printJson } from '../context.js';
import { readPin } from './prompt.js';
import { withUnlockedWallet } from './session.js';

export async function runWalletBackup(opts: { out: string; json?: boolean }, cmd: Command): Promise<void> {
  const written = await withUnlockedWallet(cmd, (w) => backupWallet(w, opts.out));
  if (opts.json) printJson(written);
  else process.stdout.write(`wallet backed up to ${written.file} (${written.bytes} bytes, encrypted: restoring it needs the wallet's PIN)\n`);
}

export async function runWalletRestore(file: string, opts: { force?: boolean; json?: boolean }, cmd: Command): Promise<void> {
  const dataDir = dataDirOf(cmd);
  // Before the PIN is asked: nothing to type when the answer is no anyway.
  if (existsSync(walletFile(dataDir)) && !opts.force)
    throw new WalletError('WALLET_EXISTS', `a wallet already exists in ${dataDir}: restoring would replace it (give --force to replace it)`);
  const pin = await readPin('PIN of the backed-up wallet: ');
  const restored = await restoreWallet(file, dataDir, pin, { force: opts.force === true });
  if (opts.json) printJson({ file: restored.file, backupCreatedAt: restored.createdAt });
  else process.stdout.write(`wallet restored to ${restored.file} from the backup of ${restored.createdAt}\n`);
}
