import { spawn } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveIssuer, type RunningServer } from '../../issuer/index.js';
import { repoRoot, runCli } from '../helpers/cli.js';
import { tokenRequest } from './helpers.js';
import { startTestIssuer, TEST_ISSUER_SECRET, type TestIssuer } from '../helpers/issuer.js';

const GRANT = 'urn:ietf:params:oauth:grant-type:pre-authorized_code';

type Answer = { status: number; headers: Headers; body: Record<string, unknown> };

async function answer(res: Response): Promise<Answer> {
  return { status: res.status, headers: res.headers, body: (await res.json()) as Record<string, unknown> };
}

const nonce = async (url: string) => answer(await fetch(`${url}/oid4vci/nonce`, { method: 'POST' }));
const token = async (url: string) => answer(await tokenRequest(url, { grant_type: GRANT, 'pre-authorized_code': 'no-such-code' }));

function expectLimited(a: Answer, error: 'slow_down' | 'invalid_request'): void {
  expect(a.status).toBe(429);
  expect(a.body).toMatchObject({ error, code: 'RATE_LIMITED' });
  expect(a.body.error_description).toMatch(/too many .* requests/);
  expect(Number(a.headers.get('retry-after'))).toBeGreaterThan(0);
  expect(Number(a.headers.get('retry-after'))).toBeLessThanOrEqual(60);
  expect(a.headers.get('ratelimit')).toMatch(/r=0/);
  expect(a.headers.get('cache-control')).toBe('no-store');
}

let issuer: TestIssuer;
let limited: RunningServer;
beforeAll(async () => {
  issuer = await startTestIssuer();
  // the same issuer (context, database) behind a second server with a low limit
  limited = await serveIssuer(issuer.ctx, { host: '127.0.0.1', port: 0, rateLimit: 3 });
});
afterAll(async () => {
  await limited?.close();
  await issuer?.close();
});

describe('OpenID4VCI rate limits (per client IP, each endpoint counted apart)', () => {
  it('token endpoint: 3 a minute, then 429 slow_down RATE_LIMITED with Retry-After and RateLimit headers', async () => {
    for (let i = 0; i < 3; i++) {
      const a = await token(limited.url);
      expect(a.status).toBe(400);
      expect(a.body.error).toBe('invalid_grant');
      expect(a.headers.get('ratelimit-policy')).toMatch(/q=3; w=60/);
    }
    expectLimited(await token(limited.url), 'slow_down');
    // the nonce endpoint has its own budget
    expect((await nonce(limited.url)).status).toBe(200);
  });

  it('nonce endpoint: 3 a minute, then 429 invalid_request RATE_LIMITED', async () => {
    // one was used by the test above
    for (let i = 0; i < 2; i++) expect((await nonce(limited.url)).status).toBe(200);
    expectLimited(await nonce(limited.url), 'invalid_request');
  });

  it('other routes are not limited, and the default is 600 a minute', async () => {
    for (let i = 0; i < 5; i++) expect((await fetch(`${limited.url}/health`)).status).toBe(200);
    const res = await fetch(`${limited.url}/oid4vci/credential`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(res.status).toBe(401);
    expect((await nonce(issuer.url)).headers.get('ratelimit-policy')).toMatch(/q=600; w=60/);
  });
});

describe('netcred issuer serve --rate-limit', () => {
  it('limits the nonce endpoint to N a minute; 0 is no limit; a bad value is a usage error', async () => {
    const env = { NETCRED_SECRET: TEST_ISSUER_SECRET };
    const bad = await runCli(['--data', issuer.dataDir, 'issuer', 'serve', '--port', '0', '--rate-limit', '-5'], { env });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/INVALID_INPUT.*--rate-limit/);

    for (const [flag, limitedAfter] of [
      ['2', 2],
      ['0', undefined],
    ] as const) {
      const proc = spawn(
        process.execPath,
        ['--import', 'tsx', path.join(repoRoot, 'cli/main.ts'), '--data', issuer.dataDir, 'issuer', 'serve', '--port', '0', '--json', '--rate-limit', flag],
        {
          cwd: repoRoot,
          env: { ...process.env, ...env },
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
            const line = out.split('\n').find((l) => l.startsWith('{'));
            if (line) resolve((JSON.parse(line) as { url: string }).url);
          });
          proc.once('exit', (code) => reject(new Error(`issuer serve exited ${code}: ${err}`)));
        });
        for (let i = 0; i < 4; i++) {
          const a = await nonce(url);
          if (limitedAfter !== undefined && i >= limitedAfter) expectLimited(a, 'invalid_request');
          else expect(a.status).toBe(200);
        }
      } finally {
        proc.kill('SIGTERM');
        await exited;
      }
    }
  });
});
