import { disclosureCases } from './cases/disclosures.js';
import { buildCase, type CaseDef } from './cases/define.js';
import { jwsCases } from './cases/jws.js';
import { keyBindingCases } from './cases/key-binding.js';
import { sdJwtVcCases } from './cases/sd-jwt-vc.js';
import { sizeCases } from './cases/size.js';
import { statusCases } from './cases/status.js';
import { structureCases } from './cases/structure.js';
import { timeCases } from './cases/times.js';
import { loadDeterministicEcdsa, type VectorAlg } from './keys.js';
import { Suite, type VectorCase, type VectorFormat } from './suite.js';

export type GenerateOptions = {
  alg?: VectorAlg;
  format?: VectorFormat;
  seed?: string;
  /** The verification time of every case (default 2026-01-01T00:00:00Z, so a seed alone fixes the output). */
  now?: Date;
};

export const DEFAULT_SEED = 'netcred';
export const DEFAULT_NOW = new Date('2026-01-01T00:00:00Z');

export const CASE_GROUPS: readonly (readonly [string, readonly CaseDef[]])[] = [
  ['disclosures', disclosureCases],
  ['key-binding', keyBindingCases],
  ['sd-jwt-vc', sdJwtVcCases],
  ['jws', jwsCases],
  ['times', timeCases],
  ['status', statusCases],
  ['structure', structureCases],
  ['size', sizeCases],
];

export type GeneratedSuite = { suite: Suite; cases: VectorCase[]; options: Required<GenerateOptions> };

/** Builds every case that applies to the algorithm and format, in memory. */
export async function generateSuite(options: GenerateOptions = {}): Promise<GeneratedSuite> {
  const full: Required<GenerateOptions> = {
    alg: options.alg ?? 'EdDSA',
    format: options.format ?? 'dc+sd-jwt',
    seed: options.seed ?? DEFAULT_SEED,
    now: options.now ?? DEFAULT_NOW,
  };
  if (full.alg === 'ES256') await loadDeterministicEcdsa();
  const suite = new Suite(full.seed, full.alg, full.format, full.now.getTime());
  const cases: VectorCase[] = [];
  const names = new Set<string>();
  for (const [group, defs] of CASE_GROUPS) {
    for (const def of defs) {
      if (def.only?.alg && def.only.alg !== full.alg) continue;
      if (def.only?.format && def.only.format !== full.format) continue;
      if (names.has(def.name)) throw new Error(`case ${def.name} is defined twice`);
      names.add(def.name);
      cases.push(buildCase(suite, group, def));
    }
  }
  return { suite, cases, options: full };
}
