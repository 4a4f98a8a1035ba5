import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';

/**
 * The write turn of `issuer serve --workers N` on SQLite (issuer/store/cluster-write-gate.ts),
 * with real node:cluster processes: one worker at a time between enter and exit, and a worker
 * that dies holding its turn does not stop the others.
 */
const FIXTURE = path.join(repoRoot, 'test/issuer-scale/fixtures/gate-cluster.ts');

function runCluster(scenario: string): Promise<string[]> {
  const tmp = tempDir('netcred-gate-');
  const log = path.join(tmp.dir, 'log');
  const args = ['--import', 'tsx', FIXTURE];
  return new Promise((resolve, reject) =>
    execFile(process.execPath, [...args, log, scenario], { timeout: 60_000 }, (err, _out, stderr) => {
      try {
        if (err) return reject(new Error(`${err.message}\n${stderr}`));
        resolve(readFileSync(log, 'utf8').trim().split('\n'));
      } finally {
        tmp.cleanup();
      }
    }),
  );
}

describe('the write turn the workers of issuer serve --workers N hand each other', () => {
  it('is held by one worker at a time, each turn granted by the primary', async () => {
    const lines = await runCluster('turns');
    const turns = lines.filter((l) => l.startsWith('enter') || l.startsWith('exit'));
    expect(turns).toHaveLength(80);
    for (let i = 0; i < turns.length; i += 2) {
      const [enter, exit] = [turns[i]!.split(' '), turns[i + 1]!.split(' ')];
      expect([enter[0], exit[0], exit[1]]).toEqual(['enter', 'exit', enter[1]]);
    }
    expect(new Set(turns.map((l) => l.split(' ')[1])).size).toBe(2);
    expect(lines.filter((l) => l.startsWith('granted'))).toHaveLength(40);
  });

  it('is taken back from a worker that exits holding it and granted to the one waiting', async () => {
    const lines = await runCluster('holder-dies');
    const [first, second] = lines.filter((l) => l.startsWith('enter')).map((l) => l.split(' ')[1]);
    expect(first).not.toBe(second);
    // The second worker's turn was granted by the primary after the first died, not taken after a timeout.
    const gone = lines.indexOf(`gone ${first}`);
    const granted = lines.indexOf(`granted ${second}`);
    expect(gone).toBeGreaterThanOrEqual(0);
    expect(granted).toBeGreaterThan(gone);
    expect(lines.indexOf(`enter ${second}`)).toBeGreaterThan(granted);
  });
});
