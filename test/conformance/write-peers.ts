import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from '../helpers/cli.js';
import { peerMatrix, runPeers } from './peers.js';

// npm run conformance:peers: regenerates docs/conformance/peers.md.
const reports = await runPeers();
const file = path.join(repoRoot, 'docs/conformance/peers.md');
mkdirSync(path.dirname(file), { recursive: true });
writeFileSync(file, peerMatrix(reports));
for (const r of reports) process.stdout.write(`${r.implementation}: ${r.passed}/${r.total}\n`);
process.stdout.write(`wrote ${path.relative(process.cwd(), file)}\n`);
