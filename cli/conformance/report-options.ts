import type { Command } from 'commander';

/** The report options every conformance command takes (written by report-out.ts). */
export function withReportOptions(cmd: Command): Command {
  return cmd
    .option('--name <name>', 'implementation name in the reports')
    .option('--junit <file>', 'write a JUnit XML report')
    .option('--json <file>', 'write a JSON report')
    .option('--md <file>', 'write a Markdown report');
}
