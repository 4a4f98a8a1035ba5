import type { Command } from 'commander';
import { syncWallet } from '../../holder/index.js';
import { printJson } from '../context.js';
import { EXIT } from '../run.js';
import { withUnlockedWallet } from './session.js';

export async function runWalletSync(opts: { json?: boolean }, cmd: Command): Promise<void> {
  const report = await withUnlockedWallet(cmd, (w) => syncWallet(w));
  if (opts.json) printJson(report);
  else {
    for (const d of report.deleted) process.stdout.write(`deleted   ${d.id} (${d.vct ?? ''}): revoked by ${d.iss}\n`);
    for (const s of report.suspended) process.stdout.write(`suspended ${s.id} (${s.vct ?? ''})\n`);
    for (const v of report.valid) process.stdout.write(`valid     ${v.id} (${v.vct ?? ''})\n`);
    for (const u of report.unchecked) process.stdout.write(`no status ${u.id}\n`);
    for (const e of report.errors) process.stdout.write(`error     ${e.id}: ${e.code} ${e.message}\n`);
    for (const p of report.profiles ?? []) if (p.names.length) process.stdout.write(`profiles  ${p.vct}: ${p.names.join(', ')}\n`);
    for (const e of report.profileErrors ?? []) process.stdout.write(`profiles  not learned from ${e.iss}: ${e.code} ${e.message}\n`);
  }
  // Some statuses could not be checked: the report is partial.
  if (report.errors.length) process.exitCode = EXIT.REJECTED;
}
