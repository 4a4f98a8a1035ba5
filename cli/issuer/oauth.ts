import type { Command } from 'commander';
import { collect } from '../parse.js';

/** The OAuth options of `issuer init` and `issuer settings` (HAIP, the authorization code flow, wallet attestation). */
export function addOAuthOptions(cmd: Command, settings: boolean): Command {
  cmd
    .option('--haip', 'OpenID4VC HAIP 1.0: the authorization code flow with PAR required, DPoP required on every token and credential request')
    .option('--authorization-code', 'the authorization code flow (PAR, PKCE S256, approval at the enrollment point) without HAIP');
  if (settings) cmd.option('--no-haip', 'HAIP off').option('--no-authorization-code', 'the authorization code flow off (unless --haip)');
  return cmd
    .option('--wallet-attestation <mode>', 'wallet attestation at PAR and token: required, optional or off')
    .option(
      '--wallet-provider-key <file>',
      'a trusted wallet provider key: a public JWK or a JWK Set file (repeatable; replaces the configured keys)',
      collect,
      [],
    );
}
