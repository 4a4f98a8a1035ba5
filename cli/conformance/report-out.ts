import { writeFileSync } from 'node:fs';
import { junitReport, jsonReport, markdownReport, terminalReport, type RunReport } from '../../conformance/index.js';
import { EXIT } from '../run.js';

/** The report files asked for (--junit, --json, --md), the table on stdout, and the exit code: 0 all passed, 1 some failed. */
export function reportRun(report: RunReport, opts: { junit?: string; json?: string; md?: string }): void {
  if (opts.junit) writeFileSync(opts.junit, junitReport(report));
  if (opts.json) writeFileSync(opts.json, jsonReport(report));
  if (opts.md) writeFileSync(opts.md, markdownReport(report));
  process.stdout.write(terminalReport(report));
  process.exitCode = report.failed === 0 ? EXIT.OK : EXIT.REJECTED;
}
