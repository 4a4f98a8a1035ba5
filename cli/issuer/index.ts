import type { Command } from 'commander';
import { registerIssuerIssue } from './issue.js';
import { registerIssuerSetup } from './setup.js';
import { registerIssuerStatus } from './status.js';
import { registerIssuerOffer } from './offer.js';
import { registerIssuerCert } from './cert.js';
import { registerIssuerAuthorization } from './authorization.js';
import { registerIssuerPublish } from './publish.js';
import { registerIssuerType } from './type.js';

export function registerIssuer(program: Command): void {
  const issuer = program.command('issuer').description('run an issuer: DIDs, minting, status lists, OpenID4VCI');
  registerIssuerSetup(issuer);
  registerIssuerCert(issuer);
  registerIssuerIssue(issuer);
  registerIssuerStatus(issuer);
  registerIssuerOffer(issuer);
  registerIssuerAuthorization(issuer);
  registerIssuerPublish(issuer);
  registerIssuerType(issuer);
}
