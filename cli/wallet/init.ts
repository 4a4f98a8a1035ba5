import type { Command } from 'commander';
import type { WalletInitOpts } from './init.run.js';

export function registerWalletInit(wallet: Command): void {
  wallet
    .command('init')
    .description('create the wallet: a PIN-protected store and a first holder key (prints the holder DID)')
    .option('--did-method <method>', 'jwk or key', 'jwk')
    .option('--alg <alg>', 'ES256 (P-256) or EdDSA (Ed25519)', 'ES256')
    .option('--json', 'print {"did", "kid", "alg"}')
    .action(async (opts: WalletInitOpts, cmd: Command) => (await import('./init.run.js')).runWalletInit(opts, cmd));
}
