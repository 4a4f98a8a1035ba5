import type { Command } from 'commander';

/** `netcred issuer offer` (OpenID4VCI credential offer). STUB. */
export function registerIssuerOffer(issuer: Command): void {
  void issuer;
}
