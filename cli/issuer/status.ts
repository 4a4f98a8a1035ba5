import type { Command } from 'commander';
import type { ChangeOpts, DeviceLostOpts, AuditOpts, StatusOpts } from './status.run.js';

/**
 * Spelled out here so `--help` loads no issuer code; test/cli checks it against
 * STATUS_REASONS (issuer/status/lifecycle.ts), which the commands enforce.
 */
export const STATUS_REASONS_HELP = 'superseded, device_lost, deceased, fraud, holder_request, admin';

/** The issuer code loads only when one of these commands runs (status.run.ts). */
const impl = () => import('./status.run.js');

export function registerIssuerStatus(issuer: Command): void {
  const ops = [
    ['revoke', 'revoke a credential (final)'],
    ['suspend', 'suspend a credential (can be reinstated)'],
    ['reinstate', 'reinstate a suspended credential (a revoked one stays revoked)'],
  ] as const;
  for (const [name, description] of ops) {
    issuer
      .command(name)
      .description(description)
      .requiredOption('--credential <id>', 'credential id (the issuance record id, which `netcred wallet list` shows), or its first 8+ characters')
      .option('--reason <reason>', `one of ${STATUS_REASONS_HELP}`, 'admin')
      .option('--json', 'print JSON')
      .action(async (opts: ChangeOpts, cmd: Command) => (await impl()).runStatusChange(name, opts, cmd));
  }

  issuer
    .command('device-lost')
    .description('revoke every credential bound to a holder DID or holder key thumbprint')
    .option('--holder <did>', 'holder DID')
    .option('--thumbprint <jkt>', 'holder key JWK thumbprint (RFC 7638)')
    .option('--json', 'print JSON')
    .action(async (opts: DeviceLostOpts, cmd: Command) => (await impl()).runDeviceLost(opts, cmd));

  issuer
    .command('audit')
    .description('show the status change log')
    .option('--credential <id>', 'only this credential')
    .option('--limit <n>', 'most recent N changes', '1000')
    .option('--json', 'print JSON')
    .action(async (opts: AuditOpts, cmd: Command) => (await impl()).runAudit(opts, cmd));

  issuer
    .command('status')
    .description("show a credential's status")
    .requiredOption('--credential <id>', 'credential id, or its first 8+ characters')
    .option('--json', 'print JSON')
    .action(async (opts: StatusOpts, cmd: Command) => (await impl()).runStatus(opts, cmd));
}
