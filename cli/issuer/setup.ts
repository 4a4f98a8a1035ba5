import type { Command } from 'commander';

export function registerIssuerSetup(issuer: Command): void {
  void issuer;
}
