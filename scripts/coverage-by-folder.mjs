#!/usr/bin/env node
// Line, branch and function coverage per folder, from the json-summary that `npm run test:coverage`
// writes (coverage/coverage-summary.json): the table of docs/testing.md.
//   node scripts/coverage-by-folder.mjs [summary.json] [--depth N] [--json]
// --depth 1 (default) groups by top-level folder (core, issuer, ...), 2 by their subfolders.
import { readFileSync } from 'node:fs';
import { relative, resolve, sep } from 'node:path';

const args = process.argv.slice(2);
const flag = (name) => args.includes(name);
const depthAt = args.indexOf('--depth');
const depth = depthAt >= 0 ? Number(args[depthAt + 1]) : 1;
const file = args.find((a, i) => !a.startsWith('--') && args[i - 1] !== '--depth') ?? 'coverage/coverage-summary.json';
if (!Number.isInteger(depth) || depth < 1) throw new Error('--depth takes a whole number >= 1');

const repo = resolve(import.meta.dirname, '..');
const summary = JSON.parse(readFileSync(resolve(file), 'utf8'));
const METRICS = ['lines', 'branches', 'functions'];
const groups = new Map();
const add = (key, entry) => {
  const g = groups.get(key) ?? { files: 0, ...Object.fromEntries(METRICS.map((m) => [m, { total: 0, covered: 0 }])) };
  g.files += 1;
  for (const m of METRICS) {
    g[m].total += entry[m].total;
    g[m].covered += entry[m].covered;
  }
  groups.set(key, g);
};
for (const [path, entry] of Object.entries(summary)) {
  if (path === 'total') continue;
  const parts = relative(repo, path).split(sep);
  add(parts.length > depth ? parts.slice(0, depth).join('/') : parts.slice(0, -1).join('/') || '.', entry);
  add('all', entry);
}
const pct = ({ total, covered }) => (total === 0 ? 100 : (100 * covered) / total);
const rows = [...groups.entries()].sort(([a], [b]) => (a === 'all' ? 1 : b === 'all' ? -1 : a.localeCompare(b)));
if (flag('--json')) {
  const out = Object.fromEntries(
    rows.map(([k, g]) => [k, { files: g.files, ...Object.fromEntries(METRICS.map((m) => [m, { ...g[m], pct: Number(pct(g[m]).toFixed(1)) }])) }]),
  );
  process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
} else {
  process.stdout.write('| folder | files | lines | branches | functions |\n|---|---:|---:|---:|---:|\n');
  for (const [k, g] of rows) {
    const cell = (m) => `${pct(g[m]).toFixed(1)}% (${g[m].covered}/${g[m].total})`;
    process.stdout.write(`| ${k === 'all' ? '**all**' : `\`${k}/\``} | ${g.files} | ${METRICS.map(cell).join(' | ')} |\n`);
  }
}
