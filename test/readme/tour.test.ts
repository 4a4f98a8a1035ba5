import { spawn } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { cliNodeArgs, repoRoot } from '../helpers/cli.js';
import { freePort } from '../helpers/issuer.js';
import { tempDir } from '../helpers/tmp.js';

/** The README's "CLI tour" block: its command lines as written (blank and comment-only lines dropped). */
function tourLines(): string[] {
  const readme = readFileSync(path.join(repoRoot, 'README.md'), 'utf8');
  const section = /^## CLI tour\s*\n([\s\S]*?)(?=^## )/m.exec(readme)?.[1] ?? '';
  const block = /```sh\n([\s\S]*?)```/.exec(section)?.[1] ?? '';
  return block.split('\n').filter((l) => l.trim() !== '' && !l.trim().startsWith('#'));
}

/** The comment of a tour line (what the README promises of it), or ''. */
const commentOf = (line: string) => /\s#\s(.*)$/.exec(line)?.[1] ?? '';

/** The exit code the README promises for a line: `exit N` in its comment, else 0. */
const promisedExit = (line: string) => Number(/\bexit (\d)\b/.exec(commentOf(line))?.[1] ?? 0);

/** The verdict a `netcred verify` line promises: the error code in its comment, else `valid` when it says so. */
function promisedVerdict(line: string): string | undefined {
  const comment = commentOf(line);
  return /\b([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+)\b/.exec(comment)?.[1] ?? (/\bvalid\b/.test(comment) ? 'valid' : undefined);
}

/**
 * `netcred` as the reader has it after `npm link`: a command on the PATH. The wrapper starts the
 * CLI as the other CLI tests do (dist/ when it is current, else the sources through tsx, whose
 * loader is given by path: the tour runs outside the repo).
 */
function writeNetcredWrapper(binDir: string): void {
  const tsxLoader = pathToFileURL(createRequire(path.join(repoRoot, 'package.json')).resolve('tsx')).href;
  const args = cliNodeArgs().map((a) => (a === 'tsx' ? tsxLoader : a));
  const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
  mkdirSync(binDir, { recursive: true });
  const file = path.join(binDir, 'netcred');
  writeFileSync(file, `#!/bin/sh\nexec ${[process.execPath, ...args].map(quote).join(' ')} "$@"\n`);
  chmodSync(file, 0o755);
}

/**
 * One bash script running the tour's lines as written, in one shell (variables and the background
 * job carry over), each with its own stdout, stderr and exit code recorded in `out/`; the jobs
 * still known to the shell at the end are recorded too, so the test can clean up after a tour that
 * forgot to stop its server.
 */
function tourScript(lines: string[], outDir: string): string {
  const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
  const parts = lines.map(
    (line, i) => `exec 1>${q(path.join(outDir, `${i}.out`))} 2>${q(path.join(outDir, `${i}.err`))}\n${line}\necho $? > ${q(path.join(outDir, `${i}.rc`))}\n`,
  );
  return `${parts.join('')}exec 1>/dev/null 2>&1\njobs -p > ${q(path.join(outDir, 'jobs'))}\n`;
}

function runBash(script: string, options: { cwd: string; env: NodeJS.ProcessEnv; timeoutMs: number }): Promise<number | null> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', [script], { cwd: options.cwd, env: options.env, stdio: 'ignore' });
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve(code);
    });
  });
}

/** Whether something accepts connections on 127.0.0.1:port. */
async function answers(port: number): Promise<boolean> {
  try {
    await fetch(`http://127.0.0.1:${port}/health`, { signal: AbortSignal.timeout(2000) });
    return true;
  } catch {
    return false;
  }
}

describe('README: the CLI tour runs as written', () => {
  const tmp = tempDir('netcred-tour-');
  const leftovers: number[] = [];
  afterAll(() => {
    for (const pid of leftovers) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    tmp.cleanup();
  });

  it('puts netcred on the PATH before the block, serves and syncs before presenting, captures the holder DID, stops the server', () => {
    const readme = readFileSync(path.join(repoRoot, 'README.md'), 'utf8');
    const section = /^## CLI tour\s*\n([\s\S]*?)(?=^## )/m.exec(readme)?.[1] ?? '';
    const beforeBlock = section.slice(0, section.indexOf('```sh'));
    expect(beforeBlock).toContain('npm link');
    const lines = tourLines();
    const index = (re: RegExp) => lines.findIndex((l) => re.test(l));
    const serve = index(/^netcred issuer serve\b.*&/);
    const sync = index(/^netcred verifier sync\b/);
    const present = index(/^netcred wallet present\b/);
    expect(serve, 'the tour serves the issuer in the background').toBeGreaterThan(-1);
    expect(sync).toBeGreaterThan(serve);
    expect(present, 'the first presentation is made after the first sync, just before it is verified').toBeGreaterThan(sync);
    expect(lines[present + 1]).toMatch(/^netcred verify\b/);
    expect(lines.join('\n')).not.toContain('<holder DID>');
    expect(lines.at(-1)).toMatch(/^kill\b/);
  });

  it('every line exits as promised; verify says valid, then STATUS_REVOKED (exit 1); the background server is stopped', { timeout: 240_000 }, async () => {
    const lines = tourLines();
    expect(lines.length).toBeGreaterThan(10);
    // The tour is run from the clone's root: the files it reads from the checkout are there.
    const work = path.join(tmp.dir, 'clone');
    cpSync(path.join(repoRoot, 'docs/examples'), path.join(work, 'docs/examples'), { recursive: true });
    const bin = path.join(tmp.dir, 'bin');
    writeNetcredWrapper(bin);
    const out = path.join(tmp.dir, 'out');
    mkdirSync(out);
    const script = path.join(tmp.dir, 'tour.sh');
    writeFileSync(script, tourScript(lines, out));

    const port = await freePort();
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      PATH: `${bin}${path.delimiter}${process.env.PATH ?? ''}`,
      PORT: String(port),
      NETCRED_PIN: 'tour-pin-4921-x',
      NETCRED_HOME: path.join(tmp.dir, 'home'),
    };
    for (const name of ['NETCRED_SECRET', 'NETCRED_ADMIN_TOKEN', 'NETCRED_PUBLIC_URL', 'NETCRED_KIOSK_ID', 'NETCRED_VERIFIER_PUBLIC_URL']) delete env[name];
    await runBash(script, { cwd: work, env, timeoutMs: 200_000 });

    const jobs = existsSync(path.join(out, 'jobs')) ? readFileSync(path.join(out, 'jobs'), 'utf8').split(/\s+/).filter(Boolean).map(Number) : [];
    leftovers.push(...jobs);
    const read = (i: number, ext: 'out' | 'err' | 'rc') => {
      const f = path.join(out, `${i}.${ext}`);
      return existsSync(f) ? readFileSync(f, 'utf8') : '';
    };
    lines.forEach((line, i) => {
      const rc = read(i, 'rc').trim();
      expect({ line, rc: rc === '' ? 'not run' : Number(rc) }, `stdout: ${read(i, 'out')}\nstderr: ${read(i, 'err')}`).toEqual({
        line,
        rc: promisedExit(line),
      });
    });

    // The server is the reader's: on the port they chose, with a public URL that matches (no warning).
    const serve = lines.findIndex((l) => /^netcred issuer serve\b/.test(l));
    expect(read(serve, 'out')).toContain(`listening on http://127.0.0.1:${port}`);
    expect(read(serve, 'err')).not.toContain('warning');

    // The promised verdicts, in order.
    const verifies = lines.map((l, i) => ({ l, i })).filter(({ l }) => /^netcred verify\b/.test(l));
    expect(verifies.map(({ l }) => promisedVerdict(l))).toEqual(['valid', 'STATUS_REVOKED']);
    for (const { l, i } of verifies) {
      const verdict = promisedVerdict(l)!;
      if (verdict === 'valid') expect(read(i, 'out')).toMatch(/^valid: /);
      else expect(read(i, 'out')).toMatch(new RegExp(`^rejected ${verdict}: `));
    }
    // The re-issued credential went to a file, not the terminal.
    const reissue = lines.findIndex((l, i) => i > verifies[0]!.i && /^netcred issuer issue\b/.test(l));
    expect(read(reissue, 'out')).toBe('');

    // The tour's last line stopped the background server: its port closes and it says so.
    let open = true;
    for (let i = 0; i < 50 && open; i++) {
      open = await answers(port);
      if (open) await new Promise((r) => setTimeout(r, 200));
    }
    expect(open, 'the issuer started by the tour still answers').toBe(false);
    let stopped = '';
    for (let i = 0; i < 50 && !stopped.includes('issuer stopped'); i++) {
      stopped = read(serve, 'err');
      if (!stopped.includes('issuer stopped')) await new Promise((r) => setTimeout(r, 200));
    }
    expect(stopped).toContain('netcred: issuer stopped');
  });
});
