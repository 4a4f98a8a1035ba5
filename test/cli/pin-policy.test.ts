// The wallet PIN policy through the real CLI (issue 15, item 10): 123456 and its kind are refused,
// and on a terminal a weak PIN is refused before it is asked a second time.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cliNodeArgs, repoRoot, runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';

const tmp = tempDir('netcred-pin-policy-');
afterAll(() => tmp.cleanup());

describe('wallet init PIN policy', () => {
  it('refuses runs and repeated groups of digits (PIN_TOO_WEAK, exit 2); accepts an ordinary PIN', { timeout: 60_000 }, async () => {
    for (const pin of ['123456', '654321', '0123456789', '121212', '123123']) {
      const home = path.join(tmp.dir, `weak-${pin}`);
      const r = await runCli(['wallet', 'init'], { env: { NETCRED_PIN: pin, NETCRED_HOME: home } });
      expect(r.code, pin).toBe(2);
      expect(r.stderr, pin).toMatch(/^error PIN_TOO_WEAK: /);
      expect(existsSync(path.join(home, 'wallet', 'wallet.sqlite')), pin).toBe(false);
    }
    const ok = await runCli(['wallet', 'init'], { env: { NETCRED_PIN: '246810', NETCRED_HOME: path.join(tmp.dir, 'ok') } });
    expect(ok.code, ok.stderr).toBe(0);
  });

  it('on a terminal, a weak PIN is refused before "repeat the PIN"', () => {
    const home = path.join(tmp.dir, 'tty');
    const command = [`NETCRED_HOME='${home}'`, 'NETCRED_PIN=', process.execPath, ...cliNodeArgs(), 'wallet', 'init']
      .map((a, i) => (i < 2 ? a : `'${a}'`))
      .join(' ');
    let output: string;
    try {
      output = execFileSync('script', ['-qec', `env ${command}`, '/dev/null'], { cwd: repoRoot, encoding: 'utf8', timeout: 30_000, input: '123456\r' });
    } catch (err) {
      output = (err as { stdout: string }).stdout;
    }
    expect(output).toContain('new wallet PIN');
    expect(output).toContain('PIN_TOO_WEAK');
    expect(output).not.toContain('repeat the PIN');
  });
});
