import type { Command } from 'commander';

export function registerIssuerStatus(issuer: Command): void {
  void issuer;
}
