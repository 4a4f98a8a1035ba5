import type { CaseResult, RunReport } from './result.js';

const xml = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const md = (s: string): string => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** JUnit XML: one testsuite per case group, a failure element per failed case. */
export function junitReport(r: RunReport): string {
  const groups = new Map<string, CaseResult[]>();
  for (const c of r.results) groups.set(c.group, [...(groups.get(c.group) ?? []), c]);
  const suites = [...groups].map(([group, cases]) => {
    const failures = cases.filter((c) => !c.pass).length;
    const body = cases
      .map((c) => {
        const name = `${c.name}: ${c.title}`;
        const out = `<system-out>${xml(`expect ${c.expect}${c.expect === 'reject' ? ` (${c.expectedCode})` : ''}; got ${c.verdict}${c.code ? ` (${c.code})` : ''}: ${c.said}`)}</system-out>`;
        if (c.pass) return `    <testcase classname="${xml(`${r.implementation}.${group}`)}" name="${xml(name)}">${out}</testcase>`;
        return `    <testcase classname="${xml(`${r.implementation}.${group}`)}" name="${xml(name)}"><failure message="${xml(c.failure ?? '')}" type="${xml(c.section)}">${xml(c.rationale)}</failure>${out}</testcase>`;
      })
      .join('\n');
    return `  <testsuite name="${xml(group)}" tests="${cases.length}" failures="${failures}">\n${body}\n  </testsuite>`;
  });
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="${xml(`netcred conformance: ${r.implementation}`)}" tests="${r.total}" failures="${r.failed}">\n${suites.join('\n')}\n</testsuites>\n`;
}

export function jsonReport(r: RunReport): string {
  return `${JSON.stringify(r, null, 2)}\n`;
}

/** Markdown: the summary, the failures with the rule each broke, then every case. */
export function markdownReport(r: RunReport): string {
  const lines = [
    `# Conformance report: ${r.implementation}`,
    '',
    `Suite: ${r.suite.alg}, ${r.suite.format}, seed \`${r.suite.seed}\`, now ${r.suite.now}. **${r.passed}/${r.total} passed**, ${r.failed} failed.`,
    '',
  ];
  const failed = r.results.filter((c) => !c.pass);
  if (failed.length > 0) {
    lines.push('## Failures', '', '| Case | Expected | Got | What it said | Rule broken |', '| --- | --- | --- | --- | --- |');
    for (const c of failed)
      lines.push(
        `| \`${c.name}\` | ${c.expect}${c.expect === 'reject' ? ` (${c.expectedCode})` : ''} | ${c.verdict}${c.code ? ` (${c.code})` : ''} | ${md(c.said)} | ${md(c.section)}: ${md(c.rationale)} |`,
      );
    lines.push('');
  }
  lines.push('## All cases', '', '| Case | Group | Expected | Got | Result |', '| --- | --- | --- | --- | --- |');
  for (const c of r.results)
    lines.push(`| \`${c.name}\` | ${c.group} | ${c.expect} | ${c.verdict}${c.code ? ` (${c.code})` : ''} | ${c.pass ? 'pass' : '**FAIL**'} |`);
  return `${lines.join('\n')}\n`;
}

/** The terminal table: failures first in full, then a line per group. */
export function terminalReport(r: RunReport): string {
  const out: string[] = [];
  const failed = r.results.filter((c) => !c.pass);
  const width = Math.max(4, ...r.results.map((c) => c.name.length));
  if (failed.length > 0) {
    out.push(`${'CASE'.padEnd(width)}  EXPECTED  GOT       RULE`);
    for (const c of failed) {
      out.push(`${c.name.padEnd(width)}  ${c.expect.padEnd(8)}  ${c.verdict.padEnd(8)}  ${c.section}`);
      out.push(`${''.padEnd(width)}  said: ${c.said}`);
      if (c.failure) out.push(`${''.padEnd(width)}  ${c.failure}`);
    }
    out.push('');
  }
  const groups = new Map<string, { pass: number; total: number }>();
  for (const c of r.results) {
    const g = groups.get(c.group) ?? { pass: 0, total: 0 };
    g.total++;
    if (c.pass) g.pass++;
    groups.set(c.group, g);
  }
  out.push(`${'GROUP'.padEnd(14)} PASSED`);
  for (const [name, g] of groups) out.push(`${name.padEnd(14)} ${g.pass}/${g.total}`);
  out.push(`${r.implementation}: ${r.passed}/${r.total} cases passed, ${r.failed} failed`);
  return `${out.join('\n')}\n`;
}
