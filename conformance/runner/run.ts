import { InvalidInputError } from '../../core/index.js';
import { runHttp, type HttpMapping } from './http-mapping.js';
import { loadSuite, type LoadedCase } from './load.js';
import { Progress } from './progress.js';
import { judge, type CaseResult, type Observation, type RunReport } from './result.js';
import { runCommand, type CommandVerdictRules } from './run-command.js';
import { caseValues, checkTemplate, fill, shellQuote } from './template.js';

/** How the implementation under test is reached: a command line per case, an HTTP endpoint, or a function (library adapters). */
export type Target =
  | { kind: 'command'; template: string; rules: CommandVerdictRules }
  | { kind: 'http'; url: string; mapping: HttpMapping; timeoutMs: number }
  | { kind: 'function'; verify: (c: LoadedCase) => Promise<Observation> };

export type RunOptions = {
  cases: string;
  target: Target;
  /** Name shown in reports (default: the command, the URL or "adapter"). */
  name?: string;
  only?: RegExp;
  /** Cases run at once (default 1). */
  jobs?: number;
  /** Fail a rejection with another code than the case's (needs a code from the implementation). */
  strictCodes?: boolean;
  /** Progress bar stream (default stderr; drawn only on a TTY). */
  progress?: NodeJS.WriteStream;
};

function observe(target: Target, c: LoadedCase): Promise<Observation> {
  if (target.kind === 'function') return target.verify(c);
  const values = caseValues(c);
  if (target.kind === 'command') return runCommand(fill(target.template, values, shellQuote), target.rules);
  return runHttp(target.url, target.mapping, values, target.timeoutMs);
}

/** Runs every case of a suite against one implementation, `jobs` at a time, in the suite's order. */
export async function runConformance(options: RunOptions): Promise<RunReport> {
  const { target } = options;
  if (target.kind === 'command') checkTemplate(target.template, '--cmd');
  const jobs = options.jobs ?? 1;
  if (!Number.isSafeInteger(jobs) || jobs < 1 || jobs > 64) throw new InvalidInputError('--jobs must be 1 to 64');
  const loaded = loadSuite(options.cases, options.only);
  const results: CaseResult[] = new Array(loaded.cases.length);
  const progress = new Progress(loaded.cases.length, options.progress);
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < loaded.cases.length; i = next++) {
      const c = loaded.cases[i]!;
      let seen: Observation;
      try {
        seen = await observe(target, c);
      } catch (err) {
        seen = { verdict: 'error', said: `adapter failed: ${(err as Error).message}` };
      }
      results[i] = judge(c.file, seen, options.strictCodes ?? false);
      progress.tick(results[i]!.pass, c.file.name);
    }
  };
  await Promise.all(Array.from({ length: Math.min(jobs, loaded.cases.length) }, worker));
  progress.end();
  const passed = results.filter((r) => r.pass).length;
  const name =
    options.name ?? (target.kind === 'command' ? target.template.split(/\s+/).slice(0, 2).join(' ') : target.kind === 'http' ? target.url : 'adapter');
  const s = loaded.suite;
  return {
    implementation: name,
    suite: { dir: loaded.dir, alg: s.alg, format: s.format, seed: s.seed, now: s.now },
    total: results.length,
    passed,
    failed: results.length - passed,
    results,
  };
}
