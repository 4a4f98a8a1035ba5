import { describe, it } from 'vitest';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import net from 'node:net';
import { cliNodeArgs, repoRoot } from '../../helpers/cli.js';

/**
 * The real Redis of this project's machines (127.0.0.1:6379, started by .ci/run when it is not
 * running) and private redis-server processes for failure tests. No mocks, no in-process fakes.
 */
export const REDIS_URL = 'redis://127.0.0.1:6379';

/** One PING over a plain socket: true when a Redis answers +PONG within the timeout. */
export function pingRedis(port: number, host = '127.0.0.1', timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    let data = '';
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.on('error', () => done(false));
    socket.on('connect', () => socket.write('PING\r\n'));
    socket.on('data', (d) => {
      data += d;
      if (data.includes('\r\n')) done(data.startsWith('+PONG'));
    });
  });
}

/**
 * Whether the Redis tests run: with a Redis at 127.0.0.1:6379 (and `redis-server` on the PATH
 * for the private ones) they do; without, they are skipped with the reason printed, except under
 * CI=true, where the missing service is a failure (requireRedis registers a failing test).
 */
export async function redisAvailability(): Promise<{ ok: boolean; reason?: string }> {
  if (!(await pingRedis(6379)))
    return {
      ok: false,
      reason: `no Redis answers PING at ${REDIS_URL} (start it: redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no)`,
    };
  const which = spawnSync('redis-server', ['--version'], { encoding: 'utf8' });
  if (which.status !== 0) return { ok: false, reason: 'redis-server is not on the PATH (apt-get install redis-server)' };
  return { ok: true };
}

export function reportUnavailable(file: string, reason: string): void {
  process.stderr.write(`${file}: Redis tests skipped: ${reason}\n`);
}

/**
 * The gate of a Redis test file: without Redis its tests are skipped with the reason printed,
 * and under CI=true a failing test says that .ci/run should have started it. Use the result
 * with `describe.runIf(redis.ok)`.
 */
export async function requireRedis(file: string): Promise<{ ok: boolean; reason?: string }> {
  const redis = await redisAvailability();
  if (redis.ok) return redis;
  reportUnavailable(file, redis.reason!);
  if (process.env.CI === 'true') {
    describe(`${file} (CI)`, () => {
      it('needs Redis at 127.0.0.1:6379 and redis-server: .ci/run starts them', () => {
        throw new Error(`Redis is required under CI=true: ${redis.reason}`);
      });
    });
  }
  return redis;
}

/** Keys of one test run: parallel runs (and other tests) on the same Redis never collide. */
export function uniquePrefix(name: string): string {
  return `netcred-test:${name}:${randomUUID()}:`;
}

/** A port nothing listens on right now (the OS picks it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

async function waitFor(check: () => Promise<boolean>, what: string, timeoutMs = 15_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** A private redis-server (no persistence) on `port`, for a test that kills and restarts it. */
export type PrivateRedis = { port: number; url: string; process: ChildProcess; kill(signal?: NodeJS.Signals): Promise<void> };

export async function startPrivateRedis(port: number): Promise<PrivateRedis> {
  const child = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--daemonize', 'no', '--loglevel', 'warning'],
    { stdio: 'ignore' },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await waitFor(() => pingRedis(port), `redis-server on port ${port}`);
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    process: child,
    async kill(signal = 'SIGKILL') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
  };
}

/** A `netcred verifier serve` process on 127.0.0.1:port. */
export type ServeProcess = { url: string; port: number; process: ChildProcess; output(): string; stop(): Promise<void> };

export async function startServe(args: string[], options: { port: number; env?: Record<string, string | undefined> }): Promise<ServeProcess> {
  const child = spawn(process.execPath, [...cliNodeArgs(), ...args, '--host', '127.0.0.1', '--port', String(options.port)], {
    cwd: repoRoot,
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`verifier serve did not start: ${out}`)), 60_000);
    const check = () => {
      if (/verifier listening on /.test(out)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout!.on('data', check);
    void exited.then(() => {
      clearTimeout(timer);
      reject(new Error(`verifier serve exited: ${out}`));
    });
  });
  return {
    url: `http://127.0.0.1:${options.port}`,
    port: options.port,
    process: child,
    output: () => out,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

export async function postJson(
  url: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: Headers; body: Record<string, unknown> }> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  return { status: res.status, headers: res.headers, body: (await res.json()) as Record<string, unknown> };
}

export async function getJson(url: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: Headers; body: Record<string, unknown> }> {
  const res = await fetch(url, { headers });
  return { status: res.status, headers: res.headers, body: (await res.json()) as Record<string, unknown> };
}

export { waitFor };
