import { checkIssuer } from '../../conformance/index.js';
import { reportRun } from './report-out.js';

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
  reportRun(report, opts);
}
