import path from 'node:path';
import { generateSuite, writeSuite, type VectorAlg, type VectorFormat } from '../../conformance/index.js';
import { printJson } from '../context.js';
import { parseNow } from '../parse.js';

export type VectorsGenerateOpts = { out: string; alg: string; format: string; seed: string; now?: string; json?: boolean };

export async function runVectorsGenerate(opts: VectorsGenerateOpts): Promise<void> {
  const now = parseNow(opts.now);
  const generated = await generateSuite({ alg: opts.alg as VectorAlg, format: opts.format as VectorFormat, seed: opts.seed, ...(now ? { now } : {}) });
  const out = path.resolve(opts.out);
  const index = writeSuite(out, generated);
  if (opts.json) return printJson(index);
  const accepts = index.cases.filter((c) => c.expect === 'accept').length;
  const groups = [...new Set(index.cases.map((c) => c.group))].map((g) => `${g} ${index.cases.filter((c) => c.group === g).length}`).join(', ');
  process.stdout.write(
    `${index.cases.length} cases (${accepts} accept, ${index.cases.length - accepts} reject) in ${out}\n  ${groups}\n  ${index.alg}, ${index.format}, seed ${JSON.stringify(index.seed)}, now ${index.now}\n  run them: netcred conformance verifier --cases ${opts.out} --cmd "..."\n`,
  );
}
