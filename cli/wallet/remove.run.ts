import type { Command } from 'commander';
import { deleteCredential, findCredential, listCredentials, WalletError } from '../../holder/index.js';
import { printJson } from '../context.js';
import { askYesNo } from './prompt.js';
import { withUnlockedWallet } from './session.js';

export async function runWalletRemove(id: string, opts: { yes?: boolean; json?: boolean }, cmd: Command): Promise<void> {
  if (!opts.yes && !process.stdin.isTTY)
    throw new WalletError('CONFIRMATION_REQUIRED', 'removing a credential needs a confirmation on the terminal: run it on a terminal, or pass --yes');
  const removed = await withUnlockedWallet(cmd, async (w) => {
    const info = findCredential(await listCredentials(w), id);
    if (!opts.yes) {
      const what = `${info.vct ?? info.format} from ${info.iss}, imported ${new Date(info.importedAt).toISOString()}`;
      if (!(await askYesNo(`Remove credential ${info.id} (${what})? This cannot be undone. [y/N] `)))
        throw new WalletError('CONFIRMATION_DECLINED', 'the holder declined to remove the credential');
    }
    await deleteCredential(w, info.id);
    return info.id;
  });
  if (opts.json) printJson({ removed });
  else process.stdout.write(`removed ${removed}\n`);
}
