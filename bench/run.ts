import { execFileSync } from 'node:child_process';
import os from 'node:os';
import type { BenchRow, BenchSuite } from './harness.js';
import { suites } from './suites/index.js';

/**
 * `npm run bench [-- --json] [-- --only NAME]`: runs every suite and prints a table (or JSON rows).
 * Each suite runs in a child process of its own (same Node flags): a suite that ran before
 * leaves JIT feedback and heap behind (measured: stock Veramo's kms-local running earlier in
 * the process slows the next issuance rows by ~14%), and the rows of a suite are compared with
 * the baselines measured in its own process.
 */
const args = process.argv.slice(2);
const json = args.includes('--json');
const only = args.includes('--only') ? args[args.indexOf('--only') + 1] : undefined;

function inChild(name: string): BenchRow[] {
  const out = execFileSync(process.execPath, [...process.execArgv, process.argv[1]!, '--only', name, '--json'], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 16 * 1024 * 1024,
  });
  return (JSON.parse(out) as { rows: BenchRow[] }).rows;
}

if (only && !suites.some((s) => s.name === only)) {
  process.stderr.write(`no suite named ${only} (${suites.map((s) => s.name).join(', ')})\n`);
  process.exit(2);
}
const rows: BenchRow[] = [];
for (const suite of suites as BenchSuite[]) {
  if (only && suite.name !== only) continue;
  if (!json) process.stderr.write(`running ${suite.name}...\n`);
  rows.push(...(only ? await suite.run() : inChild(suite.name)));
}

const machine = { date: new Date().toISOString(), node: process.version, cpu: os.cpus()[0]?.model ?? 'unknown', cores: os.cpus().length };
if (json) {
  process.stdout.write(`${JSON.stringify({ machine, rows }, null, 2)}\n`);
} else {
  process.stdout.write(`# netcred benchmarks (${machine.date}, Node ${machine.node}, ${machine.cpu}, ${machine.cores} cores)\n\n`);
  process.stdout.write('| suite | name | ops/s | ratios | extra |\n|---|---|---:|---|---|\n');
  for (const r of rows) {
    const ratios = Object.entries(r.ratios ?? {})
      .map(([k, v]) => `${k}=${v}`)
      .join(', ');
    const extra = Object.entries(r.extra ?? {})
      .map(([k, v]) => `${k}=${v}`)
      .join(', ');
    process.stdout.write(`| ${r.suite} | ${r.name} | ${r.opsPerSec > 0 ? r.opsPerSec.toFixed(0) : '–'} | ${ratios} | ${extra} |\n`);
  }
}
process.exit(0);
