import type { Command } from 'commander';

/** `netcred verifier request` (OpenID4VP request). STUB. */
export function registerVerifierRequest(verifier: Command): void {
  void verifier;
}
