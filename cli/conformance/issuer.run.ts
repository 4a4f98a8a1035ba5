import { writeFileSync } from 'node:fs';
import { checkIssuer, junitReport, jsonReport, markdownReport, terminalReport } from '../../conformance/index.js';
import { EXIT } from '../run.js';

export type ConformanceIssuerOpts = {
  offer: string;
  txCode?: string;
  secondOffer?: string;
  secondTxCode?: string;
  name?: string;
  junit?: string;
  json?: string;
  md?: string;
};

export async function runConformanceIssuer(opts: ConformanceIssuerOpts): Promise<void> {
  const report = await checkIssuer({
    offer: opts.offer,
    ...(opts.txCode ? { txCode: opts.txCode } : {}),
    ...(opts.secondOffer ? { secondOffer: opts.secondOffer } : {}),
    ...(opts.secondTxCode ? { secondTxCode: opts.secondTxCode } : {}),
    ...(opts.name ? { name: opts.name } : {}),
  });
  if (opts.junit) writeFileSync(opts.junit, junitReport(report));
  if (opts.json) writeFileSync(opts.json, jsonReport(report));
  if (opts.md) writeFileSync(opts.md, markdownReport(report));
  process.stdout.write(terminalReport(report));
  process.exitCode = report.failed === 0 ? EXIT.OK : EXIT.REJECTED;
}
