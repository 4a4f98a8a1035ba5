import type { Command } from 'commander';
import { registerWalletImport } from './wallet/import.js';
import { registerWalletInit } from './wallet/init.js';
import { registerWalletList } from './wallet/list.js';
import { registerWalletLock } from './wallet/lock.js';
import { registerWalletPresent } from './wallet/present.js';
import { registerWalletSync } from './wallet/sync.js';

/** `netcred wallet ...`: the holder's PIN-locked wallet (data in <data>/wallet/). */
export function registerWallet(program: Command): void {
  const wallet = program
    .command('wallet')
    .description('holder wallet: PIN-locked keys and credentials, selective presentations, QR codes, status sync (PIN from $NETCRED_PIN or the terminal)');
  registerWalletInit(wallet);
  registerWalletImport(wallet);
  registerWalletList(wallet);
  registerWalletPresent(wallet);
  registerWalletSync(wallet);
  registerWalletLock(wallet);
}
