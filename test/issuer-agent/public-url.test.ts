import { spawn } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { didJwkFromJwk, publicJwkOf } from '../../core/index.js';
import { publicUrlPortMismatch } from '../../issuer/index.js';
import { cliNodeArgs, repoRoot, runCli } from '../helpers/cli.js';
import { freePort } from '../helpers/issuer.js';
import { tempDir } from '../helpers/tmp.js';

/** A long-running CLI command (`issuer serve`): resolves once stdout says it listens, or rejects with what it printed when it exits first. */
async function serving(args: string[], env: Record<string, string>): Promise<{ stdout: string; stderr: string; stop(): Promise<number | null> }> {
  const child = spawn(process.execPath, [...cliNodeArgs(), ...args], { cwd: repoRoot, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const seen = { stdout: '', stderr: '' };
  child.stderr.on('data', (d) => (seen.stderr += d));
  const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (d) => {
      seen.stdout += d;
      if (seen.stdout.includes('listening on')) resolve();
    });
    void exited.then((code) => reject(new Error(`exited (${code}) before listening: ${seen.stderr}`)));
  });
  return {
    get stdout() {
      return seen.stdout;
    },
    get stderr() {
      return seen.stderr;
    },
    async stop() {
      child.kill('SIGTERM');
      return exited;
    },
  };
}

const holderDid = () => didJwkFromJwk(publicJwkOf(generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey));

describe('publicUrlPortMismatch', () => {
  it('checks loopback URLs only, against their own or their scheme default port', () => {
    expect(publicUrlPortMismatch('http://127.0.0.1:8080', 9001)).toEqual({ publicUrl: 'http://127.0.0.1:8080', urlPort: 8080, listenPort: 9001 });
    expect(publicUrlPortMismatch('http://localhost:8080/id', 8080)).toBeUndefined();
    expect(publicUrlPortMismatch('http://[::1]', 8080)).toMatchObject({ urlPort: 80 });
    expect(publicUrlPortMismatch('https://id.example.gov.cn', 8080)).toBeUndefined();
  });
});

describe('netcred issuer serve: the public URL and the port it serves on (issue 15)', () => {
  const tmp = tempDir('netcred-public-url-');
  afterAll(() => tmp.cleanup());
  const env = { NETCRED_HOME: path.join(tmp.dir, 'home'), NETCRED_SECRET: '', NETCRED_ADMIN_TOKEN: '', NETCRED_PUBLIC_URL: '' };
  let initPort = 0;

  it('init takes the public URL; serve on another port warns in one stderr line naming the URL and the port, and still serves', {
    timeout: 60_000,
  }, async () => {
    initPort = await freePort();
    const init = await runCli(['issuer', 'init', '--public-url', `http://127.0.0.1:${initPort}`], { env });
    expect(init.code, init.stderr).toBe(0);
    const port = await freePort();
    const server = await serving(['issuer', 'serve', '--port', String(port)], env);
    try {
      expect((await fetch(`http://127.0.0.1:${port}/health`)).status).toBe(200);
    } finally {
      expect(await server.stop()).toBe(0);
    }
    // Read once it exited: stderr and stdout are two pipes, read in no set order.
    const warnings = server.stderr.split('\n').filter((l) => l.startsWith('warning:'));
    expect(warnings).toEqual([
      `warning: the public URL http://127.0.0.1:${initPort} names port ${initPort} but this issuer listens on port ${port}: wallets and verifiers following its links will miss it (serve with --port ${initPort}, or set --public-url http://127.0.0.1:${port}; --strict-url refuses)`,
    ]);
  });

  it('--strict-url refuses to serve there: PUBLIC_URL_MISMATCH, exit 2', { timeout: 60_000 }, async () => {
    const port = await freePort();
    const r = await runCli(['issuer', 'serve', '--port', String(port), '--strict-url'], { env });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      new RegExp(
        `^error PUBLIC_URL_MISMATCH: the public URL http://127\\.0\\.0\\.1:${initPort} names port ${initPort} but this issuer listens on port ${port}`,
        'm',
      ),
    );
    expect(r.stdout).toBe('');
  });

  it('--public-url moves the issuer before serving (saved): discovery names it, verifier sync works through it, no warning', { timeout: 60_000 }, async () => {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const server = await serving(['issuer', 'serve', '--port', String(port), '--public-url', url, '--strict-url'], env);
    try {
      const discovery = (await (await fetch(`${url}/.well-known/netcred-issuer`)).json()) as { credential_types: { type_metadata_uri: string }[] };
      expect(discovery.credential_types[0]!.type_metadata_uri.startsWith(`${url}/type-metadata/`)).toBe(true);
      const sync = await runCli(['verifier', 'sync', '--issuer', url, '--bundle', path.join(tmp.dir, 'bundle.json')], { env });
      expect(sync.code, sync.stderr).toBe(0);
    } finally {
      expect(await server.stop()).toBe(0);
    }
    expect(server.stderr).toContain(`public URL: ${url} (was http://127.0.0.1:${initPort})`);
    expect(server.stderr).not.toContain('warning');
    const config = JSON.parse(readFileSync(path.join(env.NETCRED_HOME, 'issuer', 'config.json'), 'utf8')) as { publicUrl: string };
    expect(config.publicUrl).toBe(url);
    initPort = port;
  });

  it('once credentials name status lists under the URL, --public-url is PUBLIC_URL_LOCKED (nothing written) and the warning says to serve on its port', {
    timeout: 60_000,
  }, async () => {
    const issued = await runCli(['issuer', 'issue', '--holder', holderDid(), '--claims', path.join(repoRoot, 'docs/examples/claims.json')], { env });
    expect(issued.code, issued.stderr).toBe(0);
    const port = await freePort();
    const moved = await runCli(['issuer', 'serve', '--port', String(port), '--public-url', `http://127.0.0.1:${port}`], { env });
    expect(moved.code).toBe(2);
    expect(moved.stderr).toMatch(
      new RegExp(
        `^error PUBLIC_URL_LOCKED: the public URL of this issuer stays http://127\\.0\\.0\\.1:${initPort}: the credentials issued so far name its status list there \\(http://127\\.0\\.0\\.1:${initPort}/status/lists/1\\)`,
        'm',
      ),
    );
    const config = JSON.parse(readFileSync(path.join(env.NETCRED_HOME, 'issuer', 'config.json'), 'utf8')) as { publicUrl: string };
    expect(config.publicUrl).toBe(`http://127.0.0.1:${initPort}`);

    const server = await serving(['issuer', 'serve', '--port', String(port)], env);
    expect(await server.stop()).toBe(0);
    expect(server.stderr).toContain(`serve with --port ${initPort}: the URL cannot change, the credentials issued so far name its status list there`);
    expect(server.stderr).not.toContain('--public-url');
  });
});
