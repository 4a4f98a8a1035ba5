import { spawn, type ChildProcess } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keyObjectSigner, publicJwkOf, signCompact } from '../../core/index.js';
import { initIssuer, openIssuer } from '../../issuer/index.js';
import { sampleIdentityClaims } from '../../schemas/index.js';
import { cliNodeArgs, repoRoot } from '../helpers/cli.js';
import { TEST_ISSUER_ADMIN_TOKEN, TEST_ISSUER_SECRET } from '../helpers/issuer.js';
import { tempDir } from '../helpers/tmp.js';
import { enroll, enrollmentBody, preAuthCodeOf } from '../oid4vci/helpers.js';

/**
 * `netcred issuer serve --workers 2` (the real CLI, node:cluster): both workers answer (each
 * answer names its pid in X-Netcred-Worker), OpenID4VCI flows complete through either, every
 * credential answered is in the store, and one SIGTERM to the primary stops every process.
 */

const GRANT = 'urn:ietf:params:oauth:grant-type:pre-authorized_code';
const WORKER = 'x-netcred-worker';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('issuer serve --workers 2', () => {
  const tmp = tempDir('netcred-workers-');
  let proc: ChildProcess;
  let url: string;
  let publicUrl: string;
  let stderr = '';
  let exited: Promise<number | null>;

  beforeAll(async () => {
    const ctx = await initIssuer({ dataDir: tmp.dir, adminToken: TEST_ISSUER_ADMIN_TOKEN, secret: TEST_ISSUER_SECRET });
    await ctx.close();
    proc = spawn(process.execPath, [...cliNodeArgs(), 'issuer', 'serve', '--data', tmp.dir, '--port', '0', '--rate-limit', '0', '--workers', '2', '--json'], {
      cwd: repoRoot,
      env: { ...process.env, NETCRED_SECRET: TEST_ISSUER_SECRET, NETCRED_CACHE_URL: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    proc.stderr!.on('data', (d) => (stderr += d));
    exited = new Promise((resolve) => proc.once('exit', (code) => resolve(code)));
    const line = await new Promise<string>((resolve, reject) => {
      let out = '';
      proc.stdout!.on('data', (d) => {
        out += d;
        const l = out.split('\n').find((x) => x.startsWith('{'));
        if (l) resolve(l);
      });
      proc.once('exit', (code) => reject(new Error(`issuer serve exited ${code} before listening: ${stderr}`)));
    });
    const listening = JSON.parse(line) as { url: string; publicUrl: string; workers: number };
    expect(listening.workers).toBe(2);
    url = listening.url;
    publicUrl = listening.publicUrl;
  }, 120_000);

  afterAll(async () => {
    if (proc && proc.exitCode === null) {
      proc.kill('SIGKILL');
      await exited;
    }
    tmp.cleanup();
  });

  async function flow(n: number): Promise<string[]> {
    const seen: string[] = [];
    const res = await enroll(url, enrollmentBody(sampleIdentityClaims({ birthdate: `1960-01-${String(1 + n).padStart(2, '0')}` })));
    expect(res.status).toBe(201);
    seen.push(res.headers.get(WORKER)!);
    const code = preAuthCodeOf(((await res.json()) as { offer: string }).offer);
    const token = await fetch(`${url}/oid4vci/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: GRANT, 'pre-authorized_code': code }).toString(),
    });
    expect(token.status).toBe(200);
    seen.push(token.headers.get(WORKER)!);
    const { access_token } = (await token.json()) as { access_token: string };
    const nonce = await fetch(`${url}/oid4vci/nonce`, { method: 'POST' });
    seen.push(nonce.headers.get(WORKER)!);
    const { c_nonce } = (await nonce.json()) as { c_nonce: string };
    const key = generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey;
    const proof = await signCompact(
      { typ: 'openid4vci-proof+jwt', jwk: publicJwkOf(key) },
      { aud: publicUrl, iat: Math.floor(Date.now() / 1000), nonce: c_nonce },
      keyObjectSigner(key),
    );
    const cred = await fetch(`${url}/oid4vci/credential`, {
      method: 'POST',
      headers: { authorization: `Bearer ${access_token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ credential_configuration_id: 'resident_identity_sd_jwt', proofs: { jwt: [proof] } }),
    });
    expect(cred.status, await cred.clone().text()).toBe(200);
    seen.push(cred.headers.get(WORKER)!);
    return seen;
  }

  it('answers /health from each worker and completes OpenID4VCI flows through both; SIGTERM stops all', async () => {
    const health = await Promise.all(Array.from({ length: 8 }, () => fetch(`${url}/health`, { headers: { connection: 'close' } })));
    for (const h of health) expect(h.status).toBe(200);
    const pids = new Set(health.map((h) => h.headers.get(WORKER)));

    const flows = await Promise.all(Array.from({ length: 12 }, (_, i) => flow(i)));
    for (const p of flows.flat()) pids.add(p);
    expect([...pids].every((p) => /^\d+$/.test(p ?? ''))).toBe(true);
    expect(pids.size).toBe(2);
    expect(pids.has(String(proc.pid))).toBe(false);

    proc.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(stderr).toMatch(/issuer stopped/);
    for (const p of pids) expect(alive(Number(p))).toBe(false);

    // every credential answered was committed
    const ctx = await openIssuer({ dataDir: tmp.dir, secret: TEST_ISSUER_SECRET });
    try {
      const rows = (await ctx.dataSource.query(`SELECT COUNT(*) AS n FROM "issuance_record"`)) as { n: number }[];
      expect(Number(rows[0]!.n)).toBe(12);
    } finally {
      await ctx.close();
    }
  }, 120_000);
});
