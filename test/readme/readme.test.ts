import { spawn, execFileSync } from 'node:child_process';
import { cpSync, existsSync, readFileSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/cli.js';
import { freePort } from '../helpers/issuer.js';
import { tempDir } from '../helpers/tmp.js';

/** The commands of the README's "Set up" block. */
function setUpCommands(): string[] {
  const readme = readFileSync(path.join(repoRoot, 'README.md'), 'utf8');
  const section = /^## Set up\s*\n([\s\S]*?)(?=^## )/m.exec(readme)?.[1] ?? '';
  const block = /```sh\n([\s\S]*?)```/.exec(section)?.[1] ?? '';
  return block
    .split('\n')
    .map((l) => l.replace(/#.*$/, '').trim())
    .filter(Boolean);
}

/**
 * Follows the README on a fresh clone of HEAD: `npm install` (here: the already installed
 * node_modules and the build `npm test` just made, linked and copied in: a real install takes
 * minutes), then `npm start` as package.json defines it, a health check, and a clean stop.
 */
describe('README set-up on a fresh clone', () => {
  const tmp = tempDir('netcred-readme-');
  afterAll(() => tmp.cleanup());

  it('lists the two set-up commands first: npm install, then npm start', () => {
    const cmds = setUpCommands();
    expect(cmds.slice(0, 2)).toEqual(['npm install', 'npm start']);
  });

  it('npm start serves the issuer and a verifier on a fresh clone: health answers, SIGTERM stops both cleanly', { timeout: 90_000 }, async () => {
    expect(existsSync(path.join(repoRoot, 'dist/cli/main.js')), 'dist/cli/main.js is missing: run `npm run build` (npm test does it in pretest)').toBe(true);
    const clone = path.join(tmp.dir, 'clone');
    execFileSync('git', ['clone', '--quiet', '--depth', '1', `file://${repoRoot}`, clone], { stdio: 'pipe' });
    expect(existsSync(path.join(clone, 'dist')), 'dist is not committed').toBe(false);
    symlinkSync(path.join(repoRoot, 'node_modules'), path.join(clone, 'node_modules'), 'dir');
    cpSync(path.join(repoRoot, 'dist'), path.join(clone, 'dist'), { recursive: true });

    const pkg = JSON.parse(readFileSync(path.join(clone, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    const [bin, ...args] = pkg.scripts.start!.split(/\s+/);
    expect(bin).toBe('node');
    const port = await freePort();
    const verifierPort = await freePort();
    const home = path.join(tmp.dir, 'home');
    const child = spawn(process.execPath, args, {
      cwd: clone,
      env: {
        ...process.env,
        NETCRED_HOME: home,
        PORT: String(port),
        VERIFIER_PORT: String(verifierPort),
        NETCRED_SECRET: '',
        NETCRED_ADMIN_TOKEN: '',
        NETCRED_PUBLIC_URL: '',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
      child.on('exit', (code, signal) => resolve({ code, signal })),
    );
    try {
      // npm start runs the issuer, then a verifier app trusting it: one "listening on" line each.
      const [url, verifierUrl] = await new Promise<string[]>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no two "listening on" lines in 60 s; stdout: ${stdout}; stderr: ${stderr}`)), 60_000);
        child.stdout.on('data', (d) => {
          stdout += d;
          const urls = [...stdout.matchAll(/listening on\s+(http:\/\/\S+)/g)].map((m) => m[1]!);
          if (urls.length >= 2) {
            clearTimeout(timer);
            resolve(urls);
          }
        });
        void exited.then(({ code }) => reject(new Error(`exited (${code}) before listening; stderr: ${stderr}`)));
      });
      expect(url).toBe(`http://127.0.0.1:${port}`);
      expect(stdout).toContain(`Created an issuer in ${home}`);

      const res = await fetch(`${url}/health`);
      expect(res.status).toBe(200);
      const health = (await res.json()) as { status: string; did: string };
      expect(health.status).toBe('ok');
      expect(health.did).toMatch(/^did:key:z/);
      expect(stdout).toContain(`netcred issuer ${health.did}`);

      expect(verifierUrl).toBe(`http://127.0.0.1:${verifierPort}`);
      const vres = await fetch(`${verifierUrl}/health`);
      expect(vres.status).toBe(200);
      expect(await vres.json()).toMatchObject({ status: 'ok', issuers: 1 });
    } finally {
      if (child.exitCode === null) child.kill('SIGTERM');
    }
    const { code, signal } = await exited;
    expect({ code, signal }).toEqual({ code: 0, signal: null });
    expect(stderr).toContain('issuer stopped');
    // The data it created stays: the next start reopens the same issuer.
    expect(existsSync(path.join(home, 'issuer', 'config.json'))).toBe(true);
  });
});
