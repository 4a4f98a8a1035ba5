import { spawn, type ChildProcess } from 'node:child_process';
import { statSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliNodeArgs, repoRoot, runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';
import { PIN, VERIFIER_ADMIN, walletWithCredential, type TestWallet } from './fixture.js';
import { startTestIssuer, type TestIssuer } from '../helpers/issuer.js';

/**
 * HAIP end to end through the real CLI: `verifier cert` makes a development CA and a leaf for
 * localhost, `verifier serve` runs in x509_san_dns + direct_post.jwt mode as its own process,
 * `verifier request` asks it for a request, and `wallet respond` answers it once the wallet
 * trusts the CA (`wallet trust add-cert`, or `--trust-root`).
 */

describe('CLI: netcred wallet respond against netcred verifier serve in x509 + direct_post.jwt mode', () => {
  let issuer: TestIssuer;
  let holder: TestWallet;
  let verifierDir: ReturnType<typeof tempDir>;
  let serve: ChildProcess | undefined;
  let url = '';
  const env = { NETCRED_PIN: PIN, NETCRED_VERIFIER_ADMIN_TOKEN: VERIFIER_ADMIN, NETCRED_VERIFIER_PUBLIC_URL: undefined };
  const x509 = () => path.join(verifierDir.dir, 'verifier', 'x509');

  beforeAll(async () => {
    issuer = await startTestIssuer();
    holder = await walletWithCredential(issuer);
    await holder.wallet.close(); // the CLI opens the wallet file itself
    verifierDir = tempDir('netcred-haip-verifier-');
  }, 120_000);
  afterAll(async () => {
    if (serve && serve.exitCode === null) {
      const exited = new Promise((resolve) => serve!.once('exit', resolve));
      serve.kill('SIGTERM');
      await exited;
    }
    verifierDir?.cleanup();
    await issuer?.close();
    holder?.close().catch(() => undefined);
  });

  const cli = (args: string[], extraEnv: Record<string, string | undefined> = {}) => runCli(args, { env: { ...env, ...extraEnv } });
  const wallet = (...args: string[]) => cli(['--data', holder.dataDir, 'wallet', ...args]);
  const verdict = async (created: Record<string, string>) =>
    (await (await fetch(created.verdict_uri!, { headers: { authorization: `Bearer ${VERIFIER_ADMIN}` } })).json()) as Record<string, unknown>;

  it('verifier cert makes a development CA, chain and key (0600), and refuses to overwrite them', async () => {
    const r = await cli(['--data', verifierDir.dir, 'verifier', 'cert', '--dns', 'localhost', '--name', 'Town Hall Kiosk', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as { ca: string; chain: string; key: string; client_ids: string[]; name: string };
    expect(out).toMatchObject({ ca: path.join(x509(), 'ca.pem'), name: 'Town Hall Kiosk' });
    expect(out.client_ids[0]).toBe('x509_san_dns:localhost');
    expect(out.client_ids[1]).toMatch(/^x509_hash:[A-Za-z0-9_-]{43}$/);
    expect(statSync(out.key).mode & 0o777).toBe(0o600);
    const again = await cli(['--data', verifierDir.dir, 'verifier', 'cert', '--dns', 'localhost']);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/--force/);
  });

  it('verifier serve refuses a client id its certificate does not name (VERIFIER_X509_INVALID)', async () => {
    const r = await cli([
      '--data',
      verifierDir.dir,
      'verifier',
      'serve',
      '--bundle',
      path.join(verifierDir.dir, 'none.json'),
      '--x509-cert',
      path.join(x509(), 'chain.pem'),
      '--x509-key',
      path.join(x509(), 'key.pem'),
      '--client-id',
      'x509_san_dns:kiosk.example',
    ]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/VERIFIER_X509_INVALID/);
  });

  it('the wallet answers only once it trusts the CA; the answer is encrypted, the verdict valid', async () => {
    const bundle = path.join(verifierDir.dir, 'bundle.json');
    const sync = await cli(['verifier', 'sync', '--issuer', issuer.url, '--bundle', bundle]);
    expect(sync.code, sync.stderr).toBe(0);
    serve = spawn(
      process.execPath,
      [
        ...cliNodeArgs(),
        '--data',
        verifierDir.dir,
        'verifier',
        'serve',
        '--bundle',
        bundle,
        '--host',
        'localhost',
        '--port',
        '0',
        '--x509-cert',
        path.join(x509(), 'chain.pem'),
        '--x509-key',
        path.join(x509(), 'key.pem'),
        '--client-id',
        'x509_san_dns:localhost',
      ],
      {
        cwd: repoRoot,
        env: { ...process.env, ...env },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stdout = '';
    url = await new Promise<string>((resolve, reject) => {
      serve!.stdout!.on('data', (d) => {
        stdout += d;
        const m = /verifier listening on (\S+)/.exec(stdout);
        if (m && /OpenID4VP client id/.test(stdout)) resolve(m[1]!);
      });
      serve!.once('exit', (code) => reject(new Error(`verifier serve exited ${code}: ${stdout}`)));
    });
    expect(url).toMatch(/^http:\/\/localhost:\d+$/);
    expect(stdout).toMatch(/client id x509_san_dns:localhost \(Town Hall Kiosk\), direct_post\.jwt, request_uri_method=post/);

    const request = async () => {
      const r = await cli(['verifier', 'request', '--profile', 'upgraded', '--url', url, '--json']);
      expect(r.code, r.stderr).toBe(0);
      return JSON.parse(r.stdout) as Record<string, string>;
    };

    // Not trusted yet: refused before anything is shown or sent.
    const first = await request();
    expect(first).toMatchObject({ client_id: 'x509_san_dns:localhost', response_mode: 'direct_post.jwt', request_uri_method: 'post' });
    const untrusted = await wallet('respond', first.uri!, '--yes');
    expect(untrusted.code).toBe(2);
    expect(untrusted.stderr).toMatch(/X509_UNTRUSTED.*wallet trust add-cert/);
    expect(await verdict(first)).toMatchObject({ status: 'pending' });

    const added = await wallet('trust', 'add-cert', path.join(x509(), 'ca.pem'));
    expect(added.code, added.stderr).toBe(0);
    expect(added.stdout).toMatch(/trusted verifier root Town Hall Kiosk development verifier CA/);
    const list = JSON.parse((await wallet('trust', 'list', '--json')).stdout) as { roots: { fingerprint: string }[] };
    expect(list.roots).toHaveLength(1);

    const r = await wallet('respond', first.uri!, '--yes', '--json');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/verifier certified by Town Hall Kiosk development verifier CA/);
    expect(r.stderr).toMatch(/Town Hall Kiosk \(x509_san_dns:localhost\) asks for:/);
    expect(JSON.parse(r.stdout)).toMatchObject({ client_id: 'x509_san_dns:localhost', verifier_name: 'Town Hall Kiosk', response_mode: 'direct_post.jwt' });
    expect(await verdict(first)).toMatchObject({ status: 'valid', profile: 'upgraded' });

    // --trust-root works for one answer without adding the CA to the wallet.
    const removed = await wallet('trust', 'remove', list.roots[0]!.fingerprint);
    expect(removed.code, removed.stderr).toBe(0);
    const second = await request();
    const once = await wallet('respond', second.uri!, '--yes', '--trust-root', path.join(x509(), 'ca.pem'));
    expect(once.code, once.stderr).toBe(0);
    expect(once.stdout).toMatch(/to Town Hall Kiosk \(x509_san_dns:localhost\): accepted/);
    expect(await verdict(second)).toMatchObject({ status: 'valid' });
    // A leaf is no root.
    const leaf = await wallet('trust', 'add-cert', path.join(x509(), 'chain.pem'));
    expect(leaf.code).toBe(2);
    expect(leaf.stderr).toMatch(/X509_NOT_CA/);
  });
});
