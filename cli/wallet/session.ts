import type { Command } from 'commander';
import { unlockWallet, type Wallet } from '../../holder/index.js';
import { dataDirOf } from '../context.js';
import { readPin } from './prompt.js';

/** One CLI call = one unlock: open, unlock with the PIN, run, lock and close. */
export async function withUnlockedWallet<T>(cmd: Command, fn: (wallet: Wallet) => Promise<T>): Promise<T> {
  const dataDir = dataDirOf(cmd);
  const pin = await readPin();
  const wallet = await unlockWallet(dataDir, pin);
  try {
    return await fn(wallet);
  } finally {
    await wallet.close();
  }
}
