import type { Command } from 'commander';
import { registerWalletImport } from './import.js';
import { registerWalletInit } from './init.js';
import { registerWalletList } from './list.js';
import { registerWalletLock } from './lock.js';
import { registerWalletPresent } from './present.js';
import { registerWalletSync } from './sync.js';
import { registerWalletAccept } from './accept.js';
import { registerWalletRespond } from './respond.js';
import { registerWalletTrust } from './trust.js';
import { registerWalletUi } from './ui.js';
import { registerWalletRemove } from './remove.js';
import { registerWalletBackup } from './backup.js';

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
  registerWalletAccept(wallet);
  registerWalletRespond(wallet);
  registerWalletTrust(wallet);
  registerWalletUi(wallet);
  registerWalletRemove(wallet);
  registerWalletBackup(wallet);
}
