import { spawn } from 'node:child_process';
import http from 'node:http';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createVerifier,
  createVerifierApp,
  emptyTrustBundle,
  listenApp,
  oid4vpRoutesFor,
  TrustStore,
  writeTrustBundle,
  type RunningServer,
} from '../../verifier/index.js';
import { repoRoot, runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';

const ADMIN = 'verifier-admin-token-0123456789abcdef';

type Answer = { status: number; headers: http.IncomingHttpHeaders; body: Record<string, unknown> };

/** A POST from a chosen loopback source address (127.0.0.x are all this machine on Linux). */
function post(url: string, options: { from?: string; headers?: Record<string, string>; body?: string } = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      { method: 'POST', localAddress: options.from ?? '127.0.0.1', headers: { 'content-type': 'application/json', ...options.headers } },
      (res) => {
        let text = '';
        res.on('data', (d) => (text += d));
        res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} }));
      },
    );
    req.on('error', reject);
    req.end(options.body ?? '{}');
  });
}

function expectLimited(a: Answer): void {
  expect(a.status).toBe(429);
  expect(a.body).toMatchObject({ error: 'invalid_request', code: 'RATE_LIMITED' });
  expect(a.body.error_description).toMatch(/too many .* requests/);
  expect(Number(a.headers['retry-after'])).toBeGreaterThan(0);
  expect(Number(a.headers['retry-after'])).toBeLessThanOrEqual(60);
  expect(a.headers['cache-control']).toBe('no-store');
}

const newVerifier = () => createVerifier({ trust: new TrustStore(emptyTrustBundle()) });

describe('verifier rate limits (per client IP, per endpoint)', () => {
  let server: RunningServer;
  beforeAll(async () => {
    let url = '';
    const verifier = newVerifier();
    const oid4vp = oid4vpRoutesFor(verifier, { baseUrl: () => url, adminToken: ADMIN, rateLimit: 2 });
    server = await listenApp(createVerifierApp({ verifier, rateLimit: 3, routers: [oid4vp.router] }));
    url = server.url;
  });
  afterAll(async () => server?.close());

  it('POST /nonce: 3 a minute, then 429 RATE_LIMITED with Retry-After and the standard RateLimit headers', async () => {
    for (let i = 0; i < 3; i++) {
      const ok = await post(`${server.url}/nonce`);
      expect(ok.status).toBe(200);
      expect(typeof ok.body.nonce).toBe('string');
      expect(ok.headers['ratelimit-policy']).toMatch(/q=3; w=60/);
      expect(ok.headers.ratelimit).toMatch(new RegExp(`r=${2 - i}`));
      expect(ok.headers['x-ratelimit-limit']).toBeUndefined();
    }
    const limited = await post(`${server.url}/nonce`);
    expectLimited(limited);
    expect(limited.headers.ratelimit).toMatch(/r=0/);
    // another client address has its own budget
    const other = await post(`${server.url}/nonce`, { from: '127.0.0.2' });
    expect(other.status).toBe(200);
    // the verification endpoint is not limited
    for (let i = 0; i < 5; i++) expect((await post(`${server.url}/verify`, { body: '{}' })).status).toBe(400);
  });

  it('OpenID4VP request creation: 2 a minute, counted before the admin check; the wallet-facing routes are not limited', async () => {
    const auth = { authorization: `Bearer ${ADMIN}` };
    const created: Answer[] = [];
    for (let i = 0; i < 2; i++) created.push(await post(`${server.url}/oid4vp/requests`, { headers: auth, body: JSON.stringify({ profile: 'lite' }) }));
    for (const c of created) expect(c.status).toBe(201);
    expectLimited(await post(`${server.url}/oid4vp/requests`, { headers: auth, body: JSON.stringify({ profile: 'lite' }) }));
    // without a token, from another address: the limit comes first too
    expect((await post(`${server.url}/oid4vp/requests`, { from: '127.0.0.3' })).status).toBe(401);
    expect((await post(`${server.url}/oid4vp/requests`, { from: '127.0.0.3' })).status).toBe(401);
    expectLimited(await post(`${server.url}/oid4vp/requests`, { from: '127.0.0.3' }));
    for (let i = 0; i < 4; i++) expect((await fetch(created[0]!.body.request_uri as string)).status).toBe(200);
  });

  it('default 600 a minute; 0 turns the limit off', async () => {
    const def = await listenApp(createVerifierApp({ verifier: newVerifier() }));
    const off = await listenApp(createVerifierApp({ verifier: newVerifier(), rateLimit: 0 }));
    try {
      expect((await post(`${def.url}/nonce`)).headers['ratelimit-policy']).toMatch(/q=600; w=60/);
      for (let i = 0; i < 20; i++) {
        const a = await post(`${off.url}/nonce`);
        expect(a.status).toBe(200);
        expect(a.headers['ratelimit-policy']).toBeUndefined();
      }
    } finally {
      await def.close();
      await off.close();
    }
  });

  it('rejects a nonsensical setting', () => {
    expect(() => createVerifierApp({ verifier: newVerifier(), rateLimit: -1 })).toThrow(/whole number/);
    expect(() => createVerifierApp({ verifier: newVerifier(), rateLimit: 1.5 })).toThrow(/whole number/);
  });
});

describe('netcred verifier serve --rate-limit', () => {
  const tmp = tempDir('netcred-verifier-rate-');
  afterAll(() => tmp.cleanup());

  it('limits POST /nonce to N a minute; a bad value is a usage error', async () => {
    const bundle = path.join(tmp.dir, 'bundle.json');
    writeTrustBundle(bundle, emptyTrustBundle());
    const bad = await runCli(['--data', tmp.dir, 'verifier', 'serve', '--bundle', bundle, '--port', '0', '--rate-limit', 'lots']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/INVALID_INPUT.*--rate-limit/);

    const proc = spawn(
      process.execPath,
      ['--import', 'tsx', path.join(repoRoot, 'cli/main.ts'), '--data', tmp.dir, 'verifier', 'serve', '--bundle', bundle, '--port', '0', '--rate-limit', '2'],
      {
        cwd: repoRoot,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let out = '';
        let err = '';
        proc.stderr.on('data', (d) => (err += d));
        proc.stdout.on('data', (d) => {
          out += d;
          const m = /verifier listening on (\S+)/.exec(out);
          if (m) resolve(m[1]!);
        });
        proc.once('exit', (code) => reject(new Error(`verifier serve exited ${code}: ${err}`)));
      });
      expect((await post(`${url}/nonce`)).status).toBe(200);
      expect((await post(`${url}/nonce`)).status).toBe(200);
      expectLimited(await post(`${url}/nonce`));
    } finally {
      proc.kill('SIGTERM');
      await exited;
    }
  });
});
