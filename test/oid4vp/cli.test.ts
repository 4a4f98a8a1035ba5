import { spawn } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { respondToRequest, unlockWallet } from '../../holder/index.js';
import { repoRoot } from '../helpers/cli.js';
import { emptyTrustBundle, TrustStore } from '../../verifier/index.js';
import { runCli } from '../helpers/cli.js';
import {
  createRequest,
  PIN,
  startVerifierApp,
  trustFor,
  verdictOf,
  VERIFIER_ADMIN,
  walletWithCredential,
  type TestVerifierApp,
  type TestWallet,
} from './fixture.js';
import { startTestIssuer, type TestIssuer } from '../helpers/issuer.js';

describe('CLI: netcred verifier request and netcred wallet respond (real processes, real HTTP)', () => {
  let issuer: TestIssuer;
  let holder: TestWallet;
  let verifier: TestVerifierApp;
  let untrusting: TestVerifierApp;
  const env = { NETCRED_PIN: PIN, NETCRED_VERIFIER_ADMIN_TOKEN: undefined };

  beforeAll(async () => {
    issuer = await startTestIssuer();
    holder = await walletWithCredential(issuer);
    await holder.wallet.close(); // the CLI opens the wallet file itself
    verifier = await startVerifierApp(await trustFor(issuer));
    untrusting = await startVerifierApp(new TrustStore(emptyTrustBundle()));
  });
  afterAll(async () => {
    await verifier?.close();
    await untrusting?.close();
    await issuer?.close();
    holder?.close().catch(() => undefined);
  });

  const request = async (url: string, profile: string, extra: string[] = []) => {
    const r = await runCli(['verifier', 'request', '--profile', profile, '--url', url, '--token', VERIFIER_ADMIN, '--json', ...extra], { env });
    expect(r.code, r.stderr).toBe(0);
    return JSON.parse(r.stdout) as Record<string, string>;
  };

  it('verifier request prints the openid4vp URI; wallet respond --yes answers with exactly the profile claims', async () => {
    const created = await request(verifier.url, 'upgraded');
    expect(created.uri).toMatch(/^openid4vp:\/\/\?client_id=redirect_uri%3A/);
    const r = await runCli(['--data', holder.dataDir, 'wallet', 'respond', created.uri!, '--yes', '--json'], { env });
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as { client_id: string; disclosed: { claims: string[][] }[] };
    expect(out.client_id).toBe(created.client_id);
    expect(out.disclosed[0]!.claims.map((p) => p[0]).sort()).toEqual([
      'address',
      'age_over_18',
      'birthdate',
      'family_name',
      'given_name',
      'id_number',
      'issuing_authority',
      'issuing_country',
      'nationality',
      'sex',
    ]);
    expect(await verdictOf(created)).toMatchObject({ status: 'valid', profile: 'upgraded' });
  });

  it('what will be disclosed is shown; without --yes and without a terminal nothing is sent (CONFIRMATION_REQUIRED)', async () => {
    const created = await createRequest(verifier.url, { profile: 'lite' });
    const no = await runCli(['--data', holder.dataDir, 'wallet', 'respond', created.uri!], { env, input: 'y\n' });
    expect(no.code).toBe(2);
    expect(no.stderr).toMatch(/CONFIRMATION_REQUIRED/);
    expect(await verdictOf(created)).toMatchObject({ status: 'pending' });

    const yes = await runCli(['--data', holder.dataDir, 'wallet', 'respond', created.uri!, '--yes'], { env });
    expect(yes.code, yes.stderr).toBe(0);
    expect(yes.stderr).toMatch(/given_name: 秀英/);
    expect(yes.stderr).toMatch(/age_over_18: true/);
    expect(yes.stderr).not.toMatch(/birthdate/);
    expect(yes.stdout).toMatch(/disclosed given_name, family_name, age_over_18 to redirect_uri:/);
    expect(await verdictOf(created)).toMatchObject({ status: 'valid' });
  });

  it('a verifier that rejects the presentation is exit 1; a wrong admin token is exit 2', async () => {
    const created = await createRequest(untrusting.url, { profile: 'lite' });
    const r = await runCli(['--data', holder.dataDir, 'wallet', 'respond', created.uri!, '--yes', '--json'], { env });
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout)).toMatchObject({
      error: { code: 'OID4VP_RESPONSE_REFUSED', details: expect.arrayContaining([{ path: 'code', message: 'ISSUER_UNTRUSTED' }]) },
    });

    const wrongToken = await runCli(['verifier', 'request', '--profile', 'lite', '--url', verifier.url, '--token', 'wrong-token-0123456789'], { env });
    expect(wrongToken.code).toBe(2);
    expect(wrongToken.stderr).toMatch(/VERIFIER_UNAUTHORIZED/);
  });

  it('verifier request --wait follows the verdict: the wallet answers, the command exits 0 with the disclosed claims', async () => {
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        path.join(repoRoot, 'cli/main.ts'),
        'verifier',
        'request',
        '--profile',
        'lite',
        '--url',
        verifier.url,
        '--token',
        VERIFIER_ADMIN,
        '--no-qr',
        '--wait',
        '60',
      ],
      {
        cwd: repoRoot,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stdout = '';
    const uri = await new Promise<string>((resolve, reject) => {
      child.stdout.on('data', (d) => {
        stdout += d;
        const m = /^(openid4vp:\/\/\S+)$/m.exec(stdout);
        if (m) resolve(m[1]!);
      });
      child.once('exit', () => reject(new Error(`exited before printing a URI: ${stdout}`)));
    });
    const w = await unlockWallet(holder.dataDir, PIN);
    try {
      await respondToRequest(w, uri);
    } finally {
      await w.close();
    }
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code).toBe(0);
    expect(stdout).toMatch(/verdict: valid/);
    expect(stdout).toMatch(/given_name: "秀英"/);
  });
});
