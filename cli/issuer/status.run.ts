import os from 'node:os';
import type { Command } from 'commander';
import { InvalidInputError } from '../../core/index.js';
import {
  auditLog,
  credentialStatus,
  openIssuer,
  reinstateCredential,
  reportDeviceLost,
  revokeCredential,
  suspendCredential,
  type IssuerContext,
  type StatusChangeResult,
  type StatusReason,
} from '../../issuer/index.js';
import { dataDirOf, printJson } from '../context.js';

export type ChangeOpts = { credential?: string; reason: string; json?: boolean };
export type DeviceLostOpts = { holder?: string; thumbprint?: string; json?: boolean };
export type AuditOpts = { credential?: string; limit: string; json?: boolean };
export type StatusOpts = { credential?: string; json?: boolean };

const CHANGES = { revoke: revokeCredential, suspend: suspendCredential, reinstate: reinstateCredential } as const;

/** Who made a change from the command line, for the audit log. */
function cliActor(): string {
  let user = 'unknown';
  try {
    user = os.userInfo().username;
  } catch {
    // No passwd entry (containers): keep 'unknown'.
  }
  return `cli:${user}`;
}

async function withIssuer<T>(cmd: Command, fn: (ctx: IssuerContext) => Promise<T>): Promise<T> {
  const ctx = await openIssuer({ dataDir: dataDirOf(cmd) });
  try {
    return await fn(ctx);
  } finally {
    await ctx.close();
  }
}

function requireCredential(value: unknown): string {
  if (typeof value !== 'string' || value.length === 0)
    throw new InvalidInputError('--credential ID is required', [{ path: 'credential', message: 'required' }]);
  return value;
}

function printChange(r: StatusChangeResult, json?: boolean): void {
  if (json) printJson(r);
  else process.stdout.write(`${r.credentialId} ${r.status}${r.changed ? '' : ' (unchanged)'} reason=${r.reason ?? '-'} list=${r.uri} idx=${r.idx}\n`);
}

export async function runStatusChange(name: keyof typeof CHANGES, opts: ChangeOpts, cmd: Command): Promise<void> {
  const op = CHANGES[name];
  const id = requireCredential(opts.credential);
  const result = await withIssuer(cmd, (ctx) => op(ctx, id, opts.reason as StatusReason, cliActor()));
  printChange(result, opts.json);
}

export async function runDeviceLost(opts: DeviceLostOpts, cmd: Command): Promise<void> {
  if ((opts.holder === undefined) === (opts.thumbprint === undefined)) {
    throw new InvalidInputError('give exactly one of --holder DID or --thumbprint T', [{ path: 'holder', message: 'exactly one of --holder, --thumbprint' }]);
  }
  const selector = opts.holder !== undefined ? { holderDid: opts.holder } : { thumbprint: opts.thumbprint! };
  const result = await withIssuer(cmd, (ctx) => reportDeviceLost(ctx, selector, cliActor()));
  if (opts.json) printJson(result);
  else {
    process.stdout.write(`revoked ${result.revoked.length} of ${result.credentialIds.length} credential(s)\n`);
    for (const id of result.revoked) process.stdout.write(`${id}\n`);
  }
}

export async function runAudit(opts: AuditOpts, cmd: Command): Promise<void> {
  if (!/^[1-9][0-9]{0,5}$/.test(opts.limit))
    throw new InvalidInputError('--limit must be a positive integer', [{ path: 'limit', message: 'not a positive integer' }]);
  const entries = await withIssuer(cmd, (ctx) => auditLog(ctx, { credentialId: opts.credential, limit: Number(opts.limit) }));
  if (opts.json) printJson({ entries });
  else for (const e of entries) process.stdout.write(`${e.at} ${e.credentialId} ${e.from} -> ${e.to} reason=${e.reason} actor=${e.actor}\n`);
}

export async function runStatus(opts: StatusOpts, cmd: Command): Promise<void> {
  const id = requireCredential(opts.credential);
  const r = await withIssuer(cmd, (ctx) => credentialStatus(ctx, id));
  if (opts.json) printJson(r);
  else process.stdout.write(`${r.credentialId} ${r.status} reason=${r.reason ?? '-'} updated=${r.updatedAt} list=${r.uri} idx=${r.idx}\n`);
}
