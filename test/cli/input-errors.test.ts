// What the CLI does with input that is not what a command needs (issue 15, item 10): no silent wait
// on a terminal, garbage is an input error (exit 2) not a verdict, usage errors honour --json, and
// --version answers.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliNodeArgs, repoRoot, runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';
import { party } from '../verifier/helpers/fixture.js';

const tmp = tempDir('netcred-cli-input-');
let bundle: string;

beforeAll(async () => {
  bundle = path.join(tmp.dir, 'bundle.json');
  const added = await runCli(['verifier', 'trust', 'add', party().did, '--bundle', bundle]);
  expect(added.code).toBe(0);
});
afterAll(() => tmp.cleanup());

/** Runs the CLI with stdin on a pseudo-terminal (util-linux `script`), as a person at a shell would. */
function runOnTerminal(args: string[]): { code: number; output: string } {
  const command = [process.execPath, ...cliNodeArgs(), ...args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
  try {
    const output = execFileSync('script', ['-qec', command, '/dev/null'], {
      cwd: repoRoot,
      encoding: 'utf8',
      timeout: 30_000,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    return { code: 0, output };
  } catch (err) {
    const e = err as { status: number | null; stdout: string; signal?: string };
    if (e.signal) throw new Error(`the CLI did not return on a terminal stdin (killed by ${e.signal})`);
    return { code: e.status ?? -1, output: e.stdout };
  }
}

describe('netcred CLI input errors', () => {
  it('--version prints the package version', async () => {
    const { version } = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { version: string };
    const r = await runCli(['--version']);
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe(version);
  });

  it('a usage error with --json is a typed error on stdout, exit 2', async () => {
    const r = await runCli(['verify', '--bogus', '--json']);
    expect(r.code).toBe(2);
    expect(JSON.parse(r.stdout)).toEqual({ error: { code: 'INVALID_INPUT', message: "unknown option '--bogus'" } });
  });

  it('garbage given to verify is an input error (exit 2, MALFORMED), not a rejected credential', async () => {
    const r = await runCli(['verify', '-', '--bundle', bundle], { input: 'this is not a presentation\n' });
    expect(r.stdout).toMatch(/^rejected MALFORMED: /);
    expect(r.code).toBe(2);
    const json = await runCli(['verify', '-', '--bundle', bundle, '--json'], { input: 'NC1:abc' });
    expect(JSON.parse(json.stdout)).toMatchObject({ valid: false, code: 'MALFORMED' });
    expect(json.code).toBe(2);
  });

  it('verify, decode and wallet import refuse to wait on a terminal when no file is named', () => {
    for (const args of [['verify', '--bundle', bundle], ['decode'], ['wallet', 'import']]) {
      const r = runOnTerminal(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.output, args.join(' ')).toMatch(/error INVALID_INPUT: no .* given: name a file, or pipe it into stdin/);
    }
  });
});
