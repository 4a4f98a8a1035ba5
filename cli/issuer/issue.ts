import type { Command } from 'commander';

export function registerIssuerIssue(issuer: Command): void {
  void issuer;
}
