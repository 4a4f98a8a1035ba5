import type { Command } from 'commander';
import { registerConformanceIssuer } from './issuer.js';
import { registerConformanceVerifier } from './verifier.js';
import { registerConformanceWallet } from './wallet.js';

/** `netcred conformance ...`: runs a generated suite against another implementation (loaded only when it runs). */
export function registerConformance(program: Command): void {
  const conformance = program.command('conformance').description('run conformance suites (netcred vectors generate) against any implementation');
  registerConformanceVerifier(conformance);
  registerConformanceIssuer(conformance);
  registerConformanceWallet(conformance);
  conformance.exitOverride();
  for (const c of conformance.commands) c.exitOverride();
}
