import type { Command } from 'commander';

/** `netcred wallet respond <openid4vp-uri>` (OpenID4VP). STUB. */
export function registerWalletRespond(wallet: Command): void {
  void wallet;
}
