import { tempDir } from '../../helpers/tmp.js';
import { initWallet, type HolderKeyInfo, type InitWalletOptions, type Wallet } from '../../../holder/index.js';

export const TEST_PIN = '482913';
/** Low scrypt cost so tests stay fast; the CLI tests use the real default. */
export const FAST_KDF = { N: 1024, r: 8, p: 1 };

export type TestWallet = { dir: string; wallet: Wallet; key: HolderKeyInfo; cleanup: () => Promise<void> };

export async function newTestWallet(options: InitWalletOptions = {}): Promise<TestWallet> {
  const tmp = tempDir('netcred-wallet-');
  const { wallet, key } = await initWallet(tmp.dir, TEST_PIN, { kdf: FAST_KDF, ...options });
  return {
    dir: tmp.dir,
    wallet,
    key,
    cleanup: async () => {
      await wallet.close().catch(() => undefined);
      tmp.cleanup();
    },
  };
}
