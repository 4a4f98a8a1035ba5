import type { Command } from 'commander';
import { InvalidInputError } from '../../core/index.js';
import { openIssuer, publishStatusDir } from '../../issuer/index.js';
import { dataDirOf, printJson } from '../context.js';

export type IssuerPublishOpts = { out?: string; json?: boolean };

export async function runIssuerPublish(opts: IssuerPublishOpts, cmd: Command): Promise<void> {
  if (typeof opts.out !== 'string' || opts.out.length === 0) throw new InvalidInputError('--out DIR is required', [{ path: 'out', message: 'required' }]);
  const ctx = await openIssuer({ dataDir: dataDirOf(cmd) });
  try {
    const manifest = await publishStatusDir(ctx, opts.out);
    if (opts.json) printJson(manifest);
    else {
      for (const f of manifest.files) process.stdout.write(`${f.urlPath} -> ${f.file} ${f.contentType} max-age=${f.maxAge}\n`);
      process.stdout.write(`${manifest.files.length} file(s); re-publish before ${manifest.republishBefore ?? '-'}\n`);
    }
  } finally {
    await ctx.close();
  }
}
