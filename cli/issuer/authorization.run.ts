import type { Command } from 'commander';
import { approveAuthorization, authorizationView, denyAuthorization, openIssuer, type AuthorizationView } from '../../issuer/index.js';
import { dataDirOf, printJson } from '../context.js';

export type AuthorizationOpts = { enrollment?: string; json?: boolean };

export async function runAuthorization(action: 'show' | 'approve' | 'deny', reference: string, opts: AuthorizationOpts, cmd: Command): Promise<void> {
  const ctx = await openIssuer({ dataDir: dataDirOf(cmd) });
  try {
    const id = reference.trim().toUpperCase();
    let view: AuthorizationView;
    if (action === 'approve') view = await approveAuthorization(ctx, id, opts.enrollment === undefined ? undefined : { enrollment: opts.enrollment });
    else if (action === 'deny') view = await denyAuthorization(ctx, id);
    else view = await authorizationView(ctx, id);
    if (opts.json) printJson(view);
    else for (const [k, v] of Object.entries(view)) process.stdout.write(`${k}: ${v}\n`);
  } finally {
    await ctx.close();
  }
}
