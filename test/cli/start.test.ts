import { spawn } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { createServer, type Server } from 'node:net';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { didJwkFromJwk, publicJwkOf } from '../../core/index.js';
import { cliNodeArgs, repoRoot, runCli } from '../helpers/cli.js';
import { freePort } from '../helpers/issuer.js';
import { tempDir } from '../helpers/tmp.js';

type Started = { code: number | null; stdout: string; stderr: string };

/**
 * `netcred start` (what `npm start` runs) with PORT / VERIFIER_PORT: when it serves (both
 * "listening on" lines), the checks run and SIGTERM stops it; when it exits by itself first,
 * what it printed. Either way the result comes once the process has exited.
 */
async function start(env: Record<string, string>, whileServing?: (stdout: string) => Promise<void>): Promise<Started & { served: boolean }> {
  const child = spawn(process.execPath, [...cliNodeArgs(), 'start'], {
    cwd: repoRoot,
    env: { ...process.env, NETCRED_SECRET: '', NETCRED_ADMIN_TOKEN: '', NETCRED_PUBLIC_URL: '', NETCRED_VERIFIER_ADMIN_TOKEN: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
  const serving = await new Promise<boolean>((resolve) => {
    child.stdout.on('data', (d) => {
      stdout += d;
      if ((stdout.match(/listening on/g) ?? []).length >= 2) resolve(true);
    });
    void exited.then(() => resolve(false));
  });
  try {
    if (serving) await whileServing?.(stdout);
  } finally {
    if (child.exitCode === null) child.kill('SIGTERM');
  }
  return { code: await exited, stdout, stderr, served: serving };
}

async function answers(port: number): Promise<boolean> {
  try {
    await fetch(`http://127.0.0.1:${port}/health`, { signal: AbortSignal.timeout(2000) });
    return true;
  } catch {
    return false;
  }
}

/** A port held by something else. */
async function occupy(): Promise<{ port: number; server: Server }> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { port: (server.address() as { port: number }).port, server };
}

const holderDid = () => didJwkFromJwk(publicJwkOf(generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey));

describe('npm start (netcred start) reconciles the public URL with $PORT, and never runs half (issue 15)', () => {
  const tmp = tempDir('netcred-start-');
  afterAll(() => tmp.cleanup());
  const home = path.join(tmp.dir, 'home');
  let firstPort = 0;
  let secondPort = 0;

  it('creates the issuer on $PORT; then `issuer init` on that data dir is ISSUER_EXISTS, saying what to do', { timeout: 90_000 }, async () => {
    firstPort = await freePort();
    const verifierPort = await freePort();
    const r = await start({ NETCRED_HOME: home, PORT: String(firstPort), VERIFIER_PORT: String(verifierPort) }, async () => {
      // The kiosk page it prints is served by the verifier app (built by npm run build).
      const kiosk = await fetch(`http://127.0.0.1:${verifierPort}/kiosk/`);
      expect(kiosk.status).toBe(200);
      expect(kiosk.headers.get('content-type')).toMatch(/text\/html/);
    });
    expect(r.served, r.stderr).toBe(true);
    expect(r.stdout).toContain(`Created an issuer in ${home}`);
    expect(r.stdout).toContain(`discovery      http://127.0.0.1:${firstPort}/.well-known/netcred-issuer`);
    expect(r.stdout).toContain(`console        http://127.0.0.1:${firstPort}/console/`);
    expect(r.stdout).toContain(`kiosk page     http://127.0.0.1:${verifierPort}/kiosk/`);
    expect(r.code).toBe(0);

    const init = await runCli(['issuer', 'init'], { env: { NETCRED_HOME: home, NETCRED_SECRET: '' } });
    expect(init.code).toBe(2);
    expect(init.stderr).toMatch(/^error ISSUER_EXISTS: an issuer already exists in /m);
    expect(init.stderr).toContain('use it as it is (netcred issuer show)');
    expect(init.stderr).toContain('--data DIR or NETCRED_HOME=DIR');
  });

  it('started again on another $PORT, its public URL follows (no credential names it yet): discovery and the verifier app use the new one', {
    timeout: 90_000,
  }, async () => {
    secondPort = await freePort();
    const r = await start({ NETCRED_HOME: home, PORT: String(secondPort), VERIFIER_PORT: String(await freePort()) }, async () => {
      const discovery = (await (await fetch(`http://127.0.0.1:${secondPort}/.well-known/netcred-issuer`)).json()) as {
        credential_types: { type_metadata_uri: string }[];
      };
      expect(discovery.credential_types[0]!.type_metadata_uri.startsWith(`http://127.0.0.1:${secondPort}/`)).toBe(true);
    });
    expect(r.served, r.stderr).toBe(true);
    expect(r.stdout).toContain(`public URL     http://127.0.0.1:${secondPort} (was http://127.0.0.1:${firstPort}: it follows $PORT)`);
    expect(r.stdout).toContain(`discovery      http://127.0.0.1:${secondPort}/.well-known/netcred-issuer`);
    expect(r.code).toBe(0);
  });

  it('once a credential names its status list, another $PORT is PUBLIC_URL_MISMATCH (exit 2) saying to start on its port or use another data dir', {
    timeout: 90_000,
  }, async () => {
    const issued = await runCli(['issuer', 'issue', '--holder', holderDid(), '--claims', path.join(repoRoot, 'docs/examples/claims.json')], {
      env: { NETCRED_HOME: home, NETCRED_SECRET: '' },
    });
    expect(issued.code, issued.stderr).toBe(0);
    const port = await freePort();
    const r = await start({ NETCRED_HOME: home, PORT: String(port), VERIFIER_PORT: String(await freePort()) });
    expect(r.served).toBe(false);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      `error PUBLIC_URL_MISMATCH: the issuer in ${home} has the public URL http://127.0.0.1:${secondPort}, but $PORT is ${port}, and the URL cannot follow`,
    );
    expect(r.stderr).toContain(`PORT=${secondPort} npm start`);
    expect(r.stderr).toContain('NETCRED_HOME=DIR npm start');
    expect(await answers(port)).toBe(false);
  });

  it('a data dir whose URL was chosen at `issuer init`: another $PORT is PUBLIC_URL_MISMATCH, never served half', { timeout: 90_000 }, async () => {
    const other = path.join(tmp.dir, 'init-home');
    const urlPort = await freePort();
    const init = await runCli(['issuer', 'init', '--public-url', `http://127.0.0.1:${urlPort}`], { env: { NETCRED_HOME: other, NETCRED_SECRET: '' } });
    expect(init.code, init.stderr).toBe(0);
    const port = await freePort();
    const r = await start({ NETCRED_HOME: other, PORT: String(port), VERIFIER_PORT: String(await freePort()) });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      `error PUBLIC_URL_MISMATCH: the issuer in ${other} has the public URL http://127.0.0.1:${urlPort}, but $PORT is ${port} (it was chosen at init, not by npm start)`,
    );
    expect(r.stderr).toContain(`PORT=${urlPort} npm start`);
    expect(r.stderr).toContain(`--public-url http://127.0.0.1:${port}`);
  });

  it('$VERIFIER_PORT taken: the issuer is stopped and start exits 2 naming $VERIFIER_PORT', { timeout: 90_000 }, async () => {
    const busy = await occupy();
    try {
      const port = await freePort();
      const r = await start({ NETCRED_HOME: path.join(tmp.dir, 'busy-verifier'), PORT: String(port), VERIFIER_PORT: String(busy.port) });
      expect(r.served).toBe(false);
      expect(r.code).toBe(2);
      expect(r.stdout).toContain(`listening on   http://127.0.0.1:${port}`);
      expect(r.stderr).toContain(
        `error PORT_IN_USE: the verifier app cannot listen: 127.0.0.1:${busy.port} is already in use: set $VERIFIER_PORT to a free port`,
      );
      expect(r.stderr).toContain('the issuer was stopped');
      expect(await answers(port)).toBe(false);
    } finally {
      busy.server.close();
    }
  });

  it('$PORT taken: exit 2 naming $PORT', { timeout: 90_000 }, async () => {
    const busy = await occupy();
    try {
      const r = await start({ NETCRED_HOME: path.join(tmp.dir, 'busy-issuer'), PORT: String(busy.port), VERIFIER_PORT: String(await freePort()) });
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(`error PORT_IN_USE: the issuer cannot listen: 127.0.0.1:${busy.port} is already in use: set $PORT to a free port`);
    } finally {
      busy.server.close();
    }
  });
});
