import type { Command } from 'commander';
import { listCredentials } from '../../holder/index.js';
import { printJson } from '../context.js';
import { withUnlockedWallet } from './session.js';

export async function runWalletList(opts: { json?: boolean }, cmd: Command): Promise<void> {
  const { keys, credentials } = await withUnlockedWallet(cmd, async (w) => ({ keys: await w.listKeys(), credentials: await listCredentials(w) }));
  if (opts.json) {
    printJson({ keys: keys.map(({ id, did, kid, alg }) => ({ id, did, kid, alg })), credentials });
    return;
  }
  for (const k of keys) process.stdout.write(`key ${k.alg} ${k.did}\n`);
  if (credentials.length === 0) process.stdout.write('no credentials\n');
  for (const c of credentials) {
    const exp = c.expiresAt ? new Date(c.expiresAt * 1000).toISOString().slice(0, 10) : '-';
    process.stdout.write(`${c.id}  ${c.state.padEnd(9)} ${c.vct ?? c.format}${c.companion ? ' (+ lite companion)' : ''}  iss ${c.iss}  expires ${exp}\n`);
  }
}
