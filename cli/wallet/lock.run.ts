import type { Command } from 'commander';
import { openWallet } from '../../holder/index.js';
import { dataDirOf, printJson } from '../context.js';
import { withUnlockedWallet } from './session.js';

export async function runWalletUnlock(opts: { json?: boolean }, cmd: Command): Promise<void> {
  await withUnlockedWallet(cmd, async () => undefined);
  if (opts.json) printJson({ unlocked: true });
  else process.stdout.write('PIN accepted; the wallet is locked again when this command ends\n');
}

export async function runWalletLock(opts: { json?: boolean }, cmd: Command): Promise<void> {
  const w = await openWallet(dataDirOf(cmd));
  try {
    const state = await w.pinState();
    if (opts.json) printJson({ locked: true, ...state });
    else process.stdout.write(`locked (no key material is kept between commands); ${state.failures} failed PIN attempt(s)\n`);
  } finally {
    await w.close();
  }
}
