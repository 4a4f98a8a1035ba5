import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot, runCli } from '../helpers/cli.js';
import { freePort } from '../helpers/issuer.js';
import { tempDir } from '../helpers/tmp.js';

/** Spawns a long-running CLI command; resolves once stdout has `lines` lines. */
function spawnCli(args: string[], env: Record<string, string>, lines = 1) {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(repoRoot, 'cli/main.ts'), ...args], {
    cwd: repoRoot,
    env: { ...process.env, NETCRED_SECRET: '', NETCRED_ADMIN_TOKEN: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const ready = new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (d) => {
      stdout += d;
      if (stdout.split('\n').length > lines) resolve(stdout);
    });
    child.on('exit', () => reject(new Error(`exited early: ${stderr}`)));
  });
  return { child, ready, exited, stderr: () => stderr };
}

const tmp = tempDir('netcred-issuer-cli-');
afterAll(() => tmp.cleanup());
const env = { NETCRED_SECRET: undefined, NETCRED_ADMIN_TOKEN: undefined, NETCRED_HOME: undefined };

describe('netcred issuer init/show/serve', () => {
  const dataDir = path.join(tmp.dir, 'home');

  it('init --json prints the DID; show --json hides the admin token unless asked; exit 2 on an unknown DID method', async () => {
    const other = path.join(tmp.dir, 'other');
    const [init, bad] = await Promise.all([
      runCli(['--data', dataDir, 'issuer', 'init', '--alg', 'ES256', '--json'], { env }),
      runCli(['--data', other, 'issuer', 'init', '--did-method', 'foo', '--json'], { env }),
    ]);
    expect(init.code, init.stderr).toBe(0);
    const created = JSON.parse(init.stdout);
    expect(created.did).toMatch(/^did:key:zDn/);
    expect(created.dataDir).toBe(dataDir);
    expect(bad.code).toBe(2);
    expect(JSON.parse(bad.stdout).error.code).toBe('INVALID_INPUT');
    expect(existsSync(other)).toBe(false);

    const [show, withToken] = await Promise.all([
      runCli(['issuer', 'show', '--json'], { env: { ...env, NETCRED_HOME: dataDir } }),
      runCli(['--data', dataDir, 'issuer', 'show', '--json', '--show-admin-token'], { env }),
    ]);
    expect(show.code, show.stderr).toBe(0);
    const info = JSON.parse(show.stdout);
    expect(info).toMatchObject({ did: created.did, dataDir, publicUrl: 'http://127.0.0.1:8080', alg: 'ES256' });
    const config = JSON.parse(readFileSync(path.join(dataDir, 'issuer', 'config.json'), 'utf8'));
    expect(show.stdout).not.toContain(config.adminToken);
    expect(withToken.code, withToken.stderr).toBe(0);
    expect(JSON.parse(withToken.stdout).adminToken).toBe(config.adminToken);
  });

  it('serve answers /health and exits cleanly on SIGTERM', async () => {
    const run = spawnCli(['--data', dataDir, 'issuer', 'serve', '--port', '0', '--json'], {});
    try {
      const { url, did } = JSON.parse((await run.ready).split('\n')[0]!) as { url: string; did: string };
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(await (await fetch(`${url}/health`)).json()).toEqual({ status: 'ok', did });
      run.child.kill('SIGTERM');
      expect(await run.exited).toBe(0);
      expect(run.stderr()).toContain('issuer stopped');
    } finally {
      if (run.child.exitCode === null) run.child.kill('SIGKILL');
    }
  });

  it('start initializes an issuer on first run, serves on $PORT and stops on SIGINT', async () => {
    const home = path.join(tmp.dir, 'start-home');
    const port = await freePort();
    // the verifier app on a free port too: start stops (exit 2) when its default 8081 is taken
    const run = spawnCli(['start'], { NETCRED_HOME: home, PORT: String(port), VERIFIER_PORT: String(await freePort()) }, 5);
    try {
      const out = await run.ready;
      expect(out).toContain(`${home}/issuer/secret.key`);
      const did = /netcred issuer (did:key:\S+)/.exec(out)?.[1];
      expect(did).toBeDefined();
      expect(await (await fetch(`http://127.0.0.1:${port}/health`)).json()).toEqual({ status: 'ok', did });
      const config = JSON.parse(readFileSync(path.join(home, 'issuer', 'config.json'), 'utf8'));
      expect(config.publicUrl).toBe(`http://127.0.0.1:${port}`);
      run.child.kill('SIGINT');
      expect(await run.exited).toBe(0);
    } finally {
      if (run.child.exitCode === null) run.child.kill('SIGKILL');
    }
  });
});
