import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listCredentials, unlockWallet } from '../../holder/index.js';
import { cliNodeArgs, repoRoot, runCli } from '../helpers/cli.js';
import { startTestIssuer, TEST_ISSUER_SECRET, type TestIssuer } from '../helpers/issuer.js';
import { newTestWallet, TEST_PIN, type TestWallet } from '../holder/helpers/wallet.js';
import { decide, enrollForCode, openAuthorizationPage, reloadAuthorizationPage } from './haip-helpers.js';

type Run = { code: number; stdout: string; stderr: string };

/**
 * The real `netcred wallet accept` in a child process, with the test acting on what it prints
 * while it runs: `onLine` sees each stderr line (the authorization URL) and plays the browser.
 */
function runAccept(args: string[], onLine: (line: string) => Promise<void> | void): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...cliNodeArgs(), ...args], {
      cwd: repoRoot,
      env: { ...process.env, NETCRED_PIN: TEST_PIN },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let pending = '';
    let failure: unknown;
    const jobs: Promise<void>[] = [];
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d: Buffer) => {
      stderr += d;
      pending += d;
      let i: number;
      while ((i = pending.indexOf('\n')) >= 0) {
        const line = pending.slice(0, i);
        pending = pending.slice(i + 1);
        jobs.push(Promise.resolve(onLine(line)).catch((err) => void (failure = err)));
      }
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), 90_000);
    child.on('error', reject);
    child.on('close', async (code) => {
      clearTimeout(timer);
      await Promise.all(jobs);
      if (failure) reject(failure);
      else resolve({ code: code ?? -1, stdout, stderr });
    });
  });
}

describe('netcred wallet accept: the authorization code flow (PAR, PKCE, DPoP) through the real CLI against a HAIP issuer', () => {
  let issuer: TestIssuer;
  let w: TestWallet;
  beforeAll(async () => {
    issuer = await startTestIssuer({ alg: 'ES256', oauth: { haip: true } });
    w = await newTestWallet();
    await w.wallet.close();
  });
  afterAll(async () => {
    await w?.cleanup();
    await issuer?.close();
  });

  it('prints the authorization URL, waits for the approval at the enrollment point, and imports the credential', async () => {
    const enrollment = await enrollForCode(issuer);
    let redirected = '';
    const run = await runAccept(['--data', w.dir, 'wallet', 'accept', enrollment.offer, '--json'], async (line) => {
      if (!line.startsWith('{"authorizationUrl"')) return;
      const { authorizationUrl } = JSON.parse(line) as { authorizationUrl: string };
      expect(authorizationUrl).toMatch(
        new RegExp(`^${issuer.url}/oid4vci/authorize\\?client_id=netcred-wallet&request_uri=urn%3Aietf%3Aparams%3Aoauth%3Arequest_uri%3A`),
      );
      // the resident's browser, and the officer who approves the reference it shows
      const page = await openAuthorizationPage(authorizationUrl);
      expect((await decide(issuer, page.id, 'approve')).status).toBe(200);
      const back = await reloadAuthorizationPage(page);
      expect(back.status).toBe(303);
      redirected = back.headers.get('location')!;
      expect(redirected).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/callback\//);
      // the browser follows the redirect to the wallet's loopback listener
      const done = await fetch(redirected);
      expect(done.status).toBe(200);
    });
    expect(run.code, run.stderr).toBe(0);
    expect(new URL(redirected).searchParams.get('iss')).toBe(issuer.url);
    const result = JSON.parse(run.stdout) as { grant: string; credentials: { id: string; iss: string }[] };
    expect(result.grant).toBe('authorization_code');
    expect(result.credentials).toHaveLength(1);
    expect(result.credentials[0]!.iss).toBe(issuer.ctx.issuerDid);
    // DPoP-bound: the token row names the wallet's (ephemeral) key
    const [row] = (await issuer.ctx.dataSource.query(`SELECT "dpop_jkt", "used_at" FROM "oid4vci_access_token" WHERE "authorization_id" IS NOT NULL`)) as {
      dpop_jkt: string | null;
      used_at: number | null;
    }[];
    expect(row!.dpop_jkt).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(row!.used_at).not.toBeNull();
    const wallet = await unlockWallet(w.dir, TEST_PIN);
    try {
      expect((await listCredentials(wallet)).map((c) => c.id)).toContain(result.credentials[0]!.id);
    } finally {
      await wallet.close();
    }
  });

  it('a denied request ends the command with OID4VCI_ACCESS_DENIED (exit 2) and nothing imported', async () => {
    const enrollment = await enrollForCode(issuer);
    const wallet = await unlockWallet(w.dir, TEST_PIN);
    const before = (await listCredentials(wallet)).length;
    await wallet.close();
    const run = await runAccept(['--data', w.dir, 'wallet', 'accept', enrollment.offer], async (line) => {
      if (!line.startsWith(`${issuer.url}/oid4vci/authorize?`)) return;
      const page = await openAuthorizationPage(line);
      expect((await decide(issuer, page.id, 'deny')).status).toBe(200);
      const back = await reloadAuthorizationPage(page);
      await fetch(back.headers.get('location')!);
    });
    expect(run.stderr).toContain('open this URL in a browser');
    expect(run.stderr).toMatch(/OID4VCI_ACCESS_DENIED/);
    expect(run.code).toBe(2);
    const after = await unlockWallet(w.dir, TEST_PIN);
    try {
      expect(await listCredentials(after)).toHaveLength(before);
    } finally {
      await after.close();
    }
  });
  it('the officer approves with `netcred issuer authorization approve` on the data dir while the issuer serves', async () => {
    const enrollment = await enrollForCode(issuer);
    const env = { NETCRED_SECRET: TEST_ISSUER_SECRET, NETCRED_HOME: undefined };
    const run = await runAccept(['--data', w.dir, 'wallet', 'accept', enrollment.offer, '--json'], async (line) => {
      if (!line.startsWith('{"authorizationUrl"')) return;
      const page = await openAuthorizationPage((JSON.parse(line) as { authorizationUrl: string }).authorizationUrl);
      const shown = await runCli(['--data', issuer.dataDir, 'issuer', 'authorization', 'show', page.id, '--json'], { env });
      expect(JSON.parse(shown.stdout)).toMatchObject({ id: page.id, status: 'opened', clientId: 'netcred-wallet', issuerState: true });
      const approved = await runCli(['--data', issuer.dataDir, 'issuer', 'authorization', 'approve', page.id.toLowerCase(), '--json'], { env });
      expect(approved.code, approved.stderr).toBe(0);
      expect(JSON.parse(approved.stdout)).toMatchObject({ status: 'approved', enrollment: enrollment.offerId });
      const again = await runCli(['--data', issuer.dataDir, 'issuer', 'authorization', 'approve', page.id], { env });
      expect(again.code).toBe(2);
      expect(again.stderr).toMatch(/AUTHORIZATION_NOT_PENDING/);
      const back = await reloadAuthorizationPage(page);
      await fetch(back.headers.get('location')!);
    });
    expect(run.code, run.stderr).toBe(0);
    expect((JSON.parse(run.stdout) as { credentials: unknown[] }).credentials).toHaveLength(1);
  });
});
