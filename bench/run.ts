import os from 'node:os';
import type { BenchRow, BenchSuite } from './harness.js';
import { suites } from './suites/index.js';

/** `npm run bench [-- --json] [-- --only NAME]`: runs every suite and prints a table (or JSON rows). */
const args = process.argv.slice(2);
const json = args.includes('--json');
const only = args.includes('--only') ? args[args.indexOf('--only') + 1] : undefined;

const rows: BenchRow[] = [];
for (const suite of suites as BenchSuite[]) {
  if (only && suite.name !== only) continue;
  if (!json) process.stderr.write(`running ${suite.name}...\n`);
  rows.push(...(await suite.run()));
}

const machine = { date: new Date().toISOString(), node: process.version, cpu: os.cpus()[0]?.model ?? 'unknown', cores: os.cpus().length };
if (json) {
  process.stdout.write(`${JSON.stringify({ machine, rows }, null, 2)}\n`);
} else {
  process.stdout.write(`# netcred benchmarks (${machine.date}, Node ${machine.node}, ${machine.cpu}, ${machine.cores} cores)\n\n`);
  process.stdout.write('| suite | name | ops/s | ratios | extra |\n|---|---|---:|---|---|\n');
  for (const r of rows) {
    const ratios = Object.entries(r.ratios ?? {}).map(([k, v]) => `${k}=${v}`).join(', ');
    const extra = Object.entries(r.extra ?? {}).map(([k, v]) => `${k}=${v}`).join(', ');
    process.stdout.write(`| ${r.suite} | ${r.name} | ${r.opsPerSec > 0 ? r.opsPerSec.toFixed(0) : "–"} | ${ratios} | ${extra} |\n`);
  }
}
process.exit(0);
