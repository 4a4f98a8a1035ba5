import { Option, type Command } from 'commander';
import type { VectorsGenerateOpts } from './generate.run.js';

/** `netcred vectors generate`: loads the generator only when it runs. */
export function registerVectors(program: Command): void {
  const vectors = program.command('vectors').description('SD-JWT (VC) conformance test vectors');
  vectors
    .command('generate')
    .description('write a suite of accept/reject cases (RFC 9901, SD-JWT VC, Token Status List, JOSE), each citing the section that requires its verdict')
    .requiredOption('--out <dir>', 'folder to write the suite to (its cases/ is replaced)')
    .addOption(new Option('--alg <alg>', 'signature algorithm of every key').choices(['EdDSA', 'ES256']).default('EdDSA'))
    .addOption(
      new Option('--format <typ>', 'credential format: SD-JWT VC, or W3C VCDM 2.0 secured with SD-JWT')
        .choices(['dc+sd-jwt', 'vc+sd-jwt'])
        .default('dc+sd-jwt'),
    )
    .option('--seed <seed>', 'keys, salts, decoys and nonces derive from it: the same seed gives byte-identical output', 'netcred')
    .option('--now <iso>', 'the verification time of every case (default 2026-01-01T00:00:00Z)')
    .option('--json', 'print the suite index as JSON')
    .action(async (opts: VectorsGenerateOpts) => (await import('./generate.run.js')).runVectorsGenerate(opts));
  vectors.exitOverride();
  for (const c of vectors.commands) c.exitOverride();
}
