import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/cli.js';
import { NETCRED_DISCREPANCIES } from './known.js';
import { PEERS, peerMatrix, runPeers } from './peers.js';

// The peers run for the record (docs/conformance/peers.md, npm run conformance:peers): a peer's
// verdicts never fail this test, only netcred's do, and an adapter that cannot give a verdict.
describe('conformance matrix: netcred and the peer libraries', () => {
  it('runs every case through each adapter; netcred passes all but the known discrepancies', async () => {
    const reports = await runPeers();
    expect(reports.map((r) => r.implementation)).toStrictEqual(PEERS.map((p) => p.name));
    const [netcred, ...peers] = reports;
    expect(netcred!.results.filter((c) => !c.pass).map((c) => c.name)).toStrictEqual([...NETCRED_DISCREPANCIES]);
    for (const r of peers) {
      expect(r.total).toBe(netcred!.total);
      expect(
        r.results.filter((c) => c.verdict === 'error').map((c) => `${c.name}: ${c.said}`),
        r.implementation,
      ).toStrictEqual([]);
    }
    // The committed matrix covers the same cases (regenerate it with npm run conformance:peers).
    const committed = readFileSync(path.join(repoRoot, 'docs/conformance/peers.md'), 'utf8');
    const rows = (md: string) =>
      md
        .split('\n')
        .filter((l) => l.startsWith('| `'))
        .map((l) => l.split('|')[1]!.trim());
    expect(rows(committed)).toStrictEqual(rows(peerMatrix(reports)));
  });
});
