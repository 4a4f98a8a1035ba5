import { spawn, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyServerLimits, DEFAULT_SERVER_LIMITS, resolveServerLimits } from '../../core/index.js';
// An internal on purpose: how often Node checks the timeouts follows from them.
import { connectionsCheckingIntervalMs } from '../../core/http/server-limits.js';
import { createVerifier, createVerifierApp, emptyTrustBundle, listenApp, TrustStore, writeTrustBundle } from '../../verifier/index.js';
import { repoRoot, runCli } from '../helpers/cli.js';
import { startTestIssuer, TEST_ISSUER_SECRET } from '../helpers/issuer.js';
import { tempDir } from '../helpers/tmp.js';

/**
 * Both apps as real `netcred ... serve` processes with low limits: a client that holds a
 * connection without finishing its request is cut near the configured timeout (Node's defaults
 * held it 60 s and 300 s), connections past the cap are closed, and /health keeps answering.
 * Bounds on time are generous: "well before Node's defaults", "not at once".
 */
const HEADERS_S = 2;
const REQUEST_S = 3;
const MAX_CONNECTIONS = 8;
const LIMIT_FLAGS = [
  '--headers-timeout',
  String(HEADERS_S),
  '--request-timeout',
  String(REQUEST_S),
  '--keep-alive-timeout',
  '1',
  '--max-connections',
  String(MAX_CONNECTIONS),
];
/** Far below Node's defaults (60 s headers, 300 s request), far above the configured values. */
const CUT_WITHIN_MS = 20_000;

const tmp = tempDir('netcred-server-limits-');
const children: ChildProcess[] = [];

type Served = { url: URL; stop(): Promise<void> };

/** Spawns a long-running CLI command and resolves with the URL it prints. */
function serve(args: string[], env: Record<string, string>, urlIn: (stdout: string) => string | undefined): Promise<Served> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(repoRoot, 'cli/main.ts'), ...args], {
    cwd: repoRoot,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let out = '';
  let err = '';
  child.stderr!.on('data', (d) => (err += d));
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (d) => {
      out += d;
      const url = urlIn(out);
      if (url)
        resolve({
          url: new URL(url),
          stop: async () => {
            if (child.exitCode === null) child.kill('SIGTERM');
            await exited;
          },
        });
    });
    child.once('exit', (code) => reject(new Error(`${args.join(' ')} exited ${code}: ${err}`)));
  });
}

let issuer: Served;
let verifier: Served;

beforeAll(async () => {
  const issuerHome = path.join(tmp.dir, 'issuer-home');
  const env = { NETCRED_SECRET: TEST_ISSUER_SECRET, NETCRED_ADMIN_TOKEN: '' };
  const init = await runCli(['--data', issuerHome, 'issuer', 'init', '--json'], { env });
  expect(init.code, init.stderr).toBe(0);
  const bundle = path.join(tmp.dir, 'bundle.json');
  writeTrustBundle(bundle, emptyTrustBundle());
  [issuer, verifier] = await Promise.all([
    serve(['--data', issuerHome, 'issuer', 'serve', '--port', '0', '--json', ...LIMIT_FLAGS], env, (out) => {
      const line = out.split('\n').find((l) => l.startsWith('{'));
      return line ? (JSON.parse(line) as { url: string }).url : undefined;
    }),
    serve(
      ['--data', path.join(tmp.dir, 'verifier-home'), 'verifier', 'serve', '--bundle', bundle, '--port', '0', ...LIMIT_FLAGS],
      {},
      (out) => /verifier listening on (\S+)/.exec(out)?.[1],
    ),
  ]);
}, 120_000);

afterAll(async () => {
  await Promise.all([issuer?.stop(), verifier?.stop()]);
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  tmp.cleanup();
});

/** GET /health on a connection of its own, closed after the answer (never pooled: pooled sockets would count against the cap). */
function health(url: URL): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: url.hostname, port: url.port, path: '/health', agent: false, headers: { connection: 'close' }, timeout: 10_000 }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('timeout', () => req.destroy(new Error('/health did not answer')));
    req.on('error', reject);
  });
}

type Held = { socket: net.Socket; received: () => string; closed: Promise<number>; connected: Promise<void> };

/** A raw client connection; `closed` resolves with the milliseconds from connect to the server closing it. */
function connect(url: URL): Held {
  const socket = net.connect(Number(url.port), url.hostname);
  let received = '';
  let t0 = Date.now();
  socket.on('data', (d) => (received += d));
  socket.on('error', () => undefined); // a reset is a close too
  const connected = new Promise<void>((resolve) =>
    socket.once('connect', () => {
      t0 = Date.now();
      resolve();
    }),
  );
  const closed = new Promise<number>((resolve) => socket.once('close', () => resolve(Date.now() - t0)));
  return { socket, received: () => received, closed, connected };
}

/** Resolves with `p`, or fails once `ms` have passed. */
function within<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([p, new Promise<T>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what} still open after ${ms} ms`)), ms)))]).finally(() =>
    clearTimeout(timer),
  );
}

/** Writes `chunk` every `ms` until the socket closes. */
function dribble(held: Held, chunk: string, ms: number): void {
  const timer = setInterval(() => {
    if (!held.socket.destroyed) held.socket.write(chunk);
  }, ms);
  void held.closed.then(() => clearInterval(timer));
}

/** What the server sent before closing: nothing, or its 408. */
const cutAnswer = /^(|HTTP\/1\.1 408 Request Timeout[\s\S]*)$/;

describe.each([
  ['issuer', () => issuer, '/not-a-route'],
  ['verifier', () => verifier, '/verify'],
] as const)('%s serve with --headers-timeout 2 --request-timeout 3 --max-connections 8', (_name, app, postPath) => {
  // First in each block: the cap needs the server to hold none of this test's other sockets.
  it('closes connections past the cap without an answer; /health answers again once they are gone', async () => {
    const { url } = app();
    const held: Held[] = [];
    for (let i = 0; i < MAX_CONNECTIONS; i++) {
      const h = connect(url);
      // A full request answered proves the server counts it; the next request's half-sent header keeps it held.
      h.socket.write('GET /health HTTP/1.1\r\nHost: x\r\n\r\n');
      await within(new Promise<void>((resolve) => h.socket.on('data', () => h.received().includes('\r\n\r\n') && resolve())), 10_000, `held connection ${i}`);
      h.socket.write('GET /health HTTP/1.1\r\n');
      held.push(h);
    }
    const extra = connect(url);
    extra.socket.write('GET /health HTTP/1.1\r\nHost: x\r\n\r\n');
    await within(extra.closed, 10_000, 'the connection past the cap');
    expect(extra.received()).toBe('');
    for (const h of held) expect(h.socket.destroyed).toBe(false);
    for (const h of held) h.socket.destroy();
    await Promise.all(held.map((h) => h.closed));
    // The server sees the closes a moment later: a few tries.
    let status = 0;
    for (let i = 0; i < 20 && status !== 200; i++) {
      status = await health(url).catch(() => 0);
      if (status !== 200) await new Promise((r) => setTimeout(r, 250));
    }
    expect(status).toBe(200);
  });

  it('cuts a client that keeps sending header lines at the headers timeout, answering /health meanwhile', async () => {
    const { url } = app();
    const slow = connect(url);
    await slow.connected;
    slow.socket.write('GET /health HTTP/1.1\r\nHost: x\r\n');
    dribble(slow, 'X-Slow: 1\r\n', 300);
    expect(await health(url)).toBe(200);
    const ms = await within(slow.closed, CUT_WITHIN_MS, 'a slow header');
    expect(ms).toBeGreaterThanOrEqual((HEADERS_S * 1000) / 2);
    expect(slow.received()).toMatch(cutAnswer);
  });

  it('cuts a connection that sends nothing at all at the headers timeout', async () => {
    const { url } = app();
    const idle = connect(url);
    await idle.connected;
    expect(await health(url)).toBe(200);
    const ms = await within(idle.closed, CUT_WITHIN_MS, 'an idle connection');
    expect(ms).toBeGreaterThanOrEqual((HEADERS_S * 1000) / 2);
    // Cut with nothing sent, or with Node's 408 (it answers one when the timeout check finds the
    // connection first): either way no request was read and the socket is gone.
    expect(idle.received()).toMatch(/^(?:|HTTP\/1\.1 408 Request Timeout\r\nConnection: close\r\n\r\n)$/);
  });

  it('cuts a slow body at the request timeout, answering /health meanwhile', async () => {
    const { url } = app();
    const slow = connect(url);
    await slow.connected;
    slow.socket.write(`POST ${postPath} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{"presentation":"`);
    dribble(slow, 'a', 200);
    expect(await health(url)).toBe(200);
    const ms = await within(slow.closed, CUT_WITHIN_MS, 'a slow body');
    expect(ms).toBeGreaterThanOrEqual((REQUEST_S * 1000) / 2);
    expect(slow.received()).toMatch(cutAnswer);
  });
});

describe('the limits helper (core/http/server-limits.ts)', () => {
  it('applies the documented defaults on both apps when none are given', async () => {
    expect(DEFAULT_SERVER_LIMITS).toEqual({ headersTimeoutMs: 10_000, requestTimeoutMs: 30_000, keepAliveTimeoutMs: 5_000, maxConnections: 1024 });
    const issuerApp = await startTestIssuer();
    const verifierApp = await listenApp(createVerifierApp({ verifier: createVerifier({ trust: new TrustStore(emptyTrustBundle()) }) }));
    try {
      for (const server of [issuerApp.server.server, verifierApp.server]) {
        expect({ h: server.headersTimeout, r: server.requestTimeout, k: server.keepAliveTimeout, m: server.maxConnections }).toEqual({
          h: 10_000,
          r: 30_000,
          k: 5_000,
          m: 1024,
        });
        // Node checks the two timeouts on this interval (30 s by default).
        expect((server as http.Server & { connectionsCheckingInterval: number }).connectionsCheckingInterval).toBe(1000);
      }
    } finally {
      await verifierApp.close();
      await issuerApp.close();
    }
  });

  it('takes overrides, checks them, and checks often enough for low timeouts', () => {
    const server = http.createServer();
    expect(applyServerLimits(server, { headersTimeoutMs: 1500, requestTimeoutMs: 2000, maxConnections: 3 })).toEqual({
      headersTimeoutMs: 1500,
      requestTimeoutMs: 2000,
      keepAliveTimeoutMs: 5000,
      maxConnections: 3,
    });
    expect([server.headersTimeout, server.requestTimeout, server.maxConnections]).toEqual([1500, 2000, 3]);
    expect(connectionsCheckingIntervalMs({ headersTimeoutMs: 1500, requestTimeoutMs: 2000 })).toBe(150);
    expect(connectionsCheckingIntervalMs({ headersTimeoutMs: 1, requestTimeoutMs: 1 })).toBe(100);
    const code = (fn: () => unknown) => {
      try {
        fn();
      } catch (err) {
        return (err as { code?: string }).code;
      }
      return undefined;
    };
    for (const bad of [0, -1, 1.5, Number.NaN]) expect(code(() => resolveServerLimits({ maxConnections: bad }))).toBe('INVALID_INPUT');
    expect(code(() => resolveServerLimits({ headersTimeoutMs: 40_000 }))).toBe('INVALID_INPUT'); // above the 30 s request timeout
  });

  it('the CLI flags: help shows the defaults the code applies; bad values are exit 2 before serving', async () => {
    const helps = await Promise.all([runCli(['issuer', 'serve', '--help']), runCli(['verifier', 'serve', '--help']), runCli(['start', '--help'])]);
    for (const h of helps) {
      const text = h.stdout.replace(/\s+/g, ' ');
      expect(h.code).toBe(0);
      expect(text).toMatch(new RegExp(`--headers-timeout <seconds> .*\\(default ${DEFAULT_SERVER_LIMITS.headersTimeoutMs / 1000}\\)`));
      expect(text).toMatch(new RegExp(`--request-timeout <seconds> .*\\(default ${DEFAULT_SERVER_LIMITS.requestTimeoutMs / 1000}\\)`));
      expect(text).toMatch(new RegExp(`--keep-alive-timeout <seconds> .*\\(default ${DEFAULT_SERVER_LIMITS.keepAliveTimeoutMs / 1000}\\)`));
      expect(text).toMatch(new RegExp(`--max-connections <n> .*\\(default ${DEFAULT_SERVER_LIMITS.maxConnections}\\)`));
    }
    const bundle = path.join(tmp.dir, 'bundle.json');
    const [zero, inverted] = await Promise.all([
      runCli(['--data', path.join(tmp.dir, 'v2'), 'verifier', 'serve', '--bundle', bundle, '--port', '0', '--max-connections', '0']),
      runCli(['--data', path.join(tmp.dir, 'v3'), 'verifier', 'serve', '--bundle', bundle, '--port', '0', '--headers-timeout', '40']),
    ]);
    for (const r of [zero, inverted]) {
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/^error INVALID_INPUT: /);
    }
  });
});
