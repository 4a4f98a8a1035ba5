import type { Command } from 'commander';
import { registerIssuerIssue } from './issuer/issue.js';
import { registerIssuerSetup } from './issuer/setup.js';
import { registerIssuerStatus } from './issuer/status.js';
import { registerIssuerOffer } from './issuer/offer.js';

export function registerIssuer(program: Command): void {
  const issuer = program.command('issuer').description('run an issuer: DIDs, minting, status lists, OpenID4VCI');
  registerIssuerSetup(issuer);
  registerIssuerIssue(issuer);
  registerIssuerStatus(issuer);
  registerIssuerOffer(issuer);
}
