import type { Command } from 'commander';
import { registerConformanceVerifier } from './verifier.js';

/** `netcred conformance ...`: runs a generated suite against another implementation (loaded only when it runs). */
export function registerConformance(program: Command): void {
  const conformance = program.command('conformance').description('run conformance suites (netcred vectors generate) against any implementation');
  registerConformanceVerifier(conformance);
  conformance.exitOverride();
  for (const c of conformance.commands) c.exitOverride();
}
