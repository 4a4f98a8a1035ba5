// Ctrl-C during `netcred demo` removes its temp dir, issuer secret.key included (issue 15, item 10).
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { cliNodeArgs, repoRoot } from '../helpers/cli.js';

function interruptedDemo(signal: NodeJS.Signals): Promise<{ root: string; code: number | null; rootExistedAtSignal: boolean }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...cliNodeArgs(), 'demo', '--no-qr'], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let root = '';
    let existed = false;
    const timer = setTimeout(() => child.kill('SIGKILL'), 90_000);
    child.stdout.on('data', (d) => {
      out += d;
      const m = /data in (\S+)/.exec(out);
      if (m && !root) {
        root = m[1]!;
        existed = existsSync(root);
        child.kill(signal);
      }
    });
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ root, code, rootExistedAtSignal: existed });
    });
  });
}

describe('netcred demo interrupted', () => {
  for (const [signal, exit] of [
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const) {
    it(`${signal} mid-story removes the temp dir and exits ${exit}`, { timeout: 120_000 }, async () => {
      const r = await interruptedDemo(signal);
      expect(r.root).toMatch(/netcred-demo-/);
      expect(r.rootExistedAtSignal).toBe(true);
      expect(r.code).toBe(exit);
      expect(existsSync(r.root)).toBe(false);
    });
  }
});
