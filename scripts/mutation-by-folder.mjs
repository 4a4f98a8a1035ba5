#!/usr/bin/env node
// Mutation score per folder and every mutant no test killed, from the report `npm run
// test:mutation` writes (reports/mutation/mutation.json, the mutation-testing-report-schema):
// the table and the survivor list of docs/testing.md.
//   node scripts/mutation-by-folder.mjs [mutation.json] [--survivors] [--json]
// Score as Stryker counts it: (killed + timeout) / (killed + timeout + survived + no coverage);
// compile and runtime errors are not valid mutants.
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

const args = process.argv.slice(2);
const file = args.find((a) => !a.startsWith('--')) ?? 'reports/mutation/mutation.json';
const report = JSON.parse(readFileSync(resolve(file), 'utf8'));
const STATUSES = ['Killed', 'Timeout', 'Survived', 'NoCoverage'];
const empty = () => ({ files: 0, mutants: 0, ...Object.fromEntries(STATUSES.map((s) => [s, 0])) });
const folders = new Map();
const total = empty();
const survivors = [];

for (const [path, result] of Object.entries(report.files).sort(([a], [b]) => a.localeCompare(b))) {
  const folder = dirname(path);
  const g = folders.get(folder) ?? empty();
  g.files += 1;
  total.files += 1;
  for (const m of result.mutants) {
    if (!STATUSES.includes(m.status)) continue;
    for (const t of [g, total]) {
      t.mutants += 1;
      t[m.status] += 1;
    }
    if (m.status === 'Survived' || m.status === 'NoCoverage') {
      const { line, column } = m.location.start;
      survivors.push({ file: path, line, column, status: m.status, mutator: m.mutatorName, replacement: m.replacement ?? '' });
    }
  }
  folders.set(folder, g);
}

const score = (g) => (g.mutants === 0 ? 'n/a' : `${((100 * (g.Killed + g.Timeout)) / g.mutants).toFixed(1)} %`);
if (args.includes('--json')) {
  console.log(JSON.stringify({ folders: Object.fromEntries(folders), total, survivors }, null, 2));
} else {
  console.log('| folder | files | mutants | killed | timeout | survived | no coverage | score |');
  console.log('|---|---:|---:|---:|---:|---:|---:|---:|');
  for (const [folder, g] of folders)
    console.log(`| \`${folder}/\` | ${g.files} | ${g.mutants} | ${g.Killed} | ${g.Timeout} | ${g.Survived} | ${g.NoCoverage} | ${score(g)} |`);
  console.log(
    `| **all** | ${total.files} | ${total.mutants} | ${total.Killed} | ${total.Timeout} | ${total.Survived} | ${total.NoCoverage} | **${score(total)}** |`,
  );
  if (args.includes('--survivors')) {
    console.log('');
    for (const s of survivors) {
      const shown = s.replacement.replace(/\s+/g, ' ').slice(0, 80);
      console.log(`- \`${s.file}:${s.line}:${s.column}\` ${s.mutator}${s.status === 'NoCoverage' ? ' (no coverage)' : ''}: \`${shown}\``);
    }
  }
}
