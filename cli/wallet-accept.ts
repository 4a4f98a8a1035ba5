import type { Command } from 'commander';

/** `netcred wallet accept <offer-uri>` (OpenID4VCI). STUB. */
export function registerWalletAccept(wallet: Command): void {
  void wallet;
}
