import type { Command } from 'commander';
import { listCredentialTypes, openIssuer, readTypeDirectory, registerCredentialType, type CredentialTypeSummary } from '../../issuer/index.js';
import { dataDirOf, printJson } from '../context.js';

export type TypeAddOpts = { replace?: boolean; json?: boolean };
export type TypeListOpts = { json?: boolean };

function line(t: CredentialTypeSummary): string {
  const profiles = t.profiles.length ? ` profiles: ${t.profiles.join(', ')}` : '';
  return `${t.vct}  ${t.name}${t.builtIn ? ' (built-in)' : ''}${profiles}\n`;
}

export async function runTypeAdd(dir: string, opts: TypeAddOpts, cmd: Command): Promise<void> {
  // The directory is read and checked before the issuer is opened: a bad one touches nothing.
  const files = readTypeDirectory(dir);
  const ctx = await openIssuer({ dataDir: dataDirOf(cmd) });
  try {
    const added = await registerCredentialType(ctx, files, { replace: opts.replace === true });
    if (opts.json) printJson(added);
    else process.stdout.write(`registered ${line(added)}issue it with: netcred issuer issue --type ${added.vct} --holder DID --claims FILE\n`);
  } finally {
    await ctx.close();
  }
}

export async function runTypeList(opts: TypeListOpts, cmd: Command): Promise<void> {
  const ctx = await openIssuer({ dataDir: dataDirOf(cmd) });
  try {
    const types = await listCredentialTypes(ctx);
    if (opts.json) printJson(types);
    else for (const t of types) process.stdout.write(line(t));
  } finally {
    await ctx.close();
  }
}
