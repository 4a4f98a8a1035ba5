import type { Command } from 'commander';
import { registerVerifierCert } from './cert.js';
import { registerVerifierRequest } from './request.js';
import { registerVerifierServe } from './serve.js';
import { registerVerifierSync } from './sync.js';
import { registerVerifierTrust } from './trust.js';

/** Usage errors must reach cli/run.ts (exit 2), not commander's own process.exit(1). */
function overrideExit(cmd: Command): void {
  cmd.exitOverride();
  for (const c of cmd.commands) overrideExit(c);
}

/** `netcred verifier ...`: each command loads the verifier code only when it runs (its .run.ts). */
export function registerVerifier(program: Command): void {
  const verifier = program.command('verifier').description('offline verifier: trust bundle, sync, HTTP service');
  registerVerifierTrust(verifier);
  registerVerifierSync(verifier);
  registerVerifierServe(verifier);
  registerVerifierRequest(verifier);
  registerVerifierCert(verifier);
  overrideExit(verifier);
}
