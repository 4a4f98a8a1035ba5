import net from 'node:net';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { CacheConnection, checkCacheUrl, redactCacheUrl } from '../../core/cache/redis-connection.js';
import { NetcredError } from '../../core/errors.js';
import { thrown } from '../helpers/thrown.js';
import { freePort, requireRedis } from '../verifier/helpers/redis.js';

/**
 * One test per rule of the shared-cache connection (core/cache/redis-connection.ts): the URL
 * rules, its bounds, the unavailable error while Redis is down, the time it went down since,
 * reconnection and close. In this process, against the real Redis at 127.0.0.1:6379, reached
 * directly or through a TCP relay of this file that can refuse, hold back or cut the connection.
 */

const redis = await requireRedis('test/core/redis-connection-rules.test.ts');

const URL_RULE = '--cache must be a redis:// or rediss:// URL';
const DB_RULE = '--cache: the path of the URL is the database number (/0 to /15)';

describe('checkCacheUrl and redactCacheUrl', () => {
  it('accepts redis:// and rediss:// URLs, with no path, "/" or a database number of one or two digits', () => {
    for (const url of [
      'redis://127.0.0.1:6379',
      'rediss://cache.example:6380',
      'redis://127.0.0.1:6379/',
      'redis://127.0.0.1:6379/0',
      'redis://127.0.0.1:6379/15',
      'redis://u:p@127.0.0.1:6379/9',
    ])
      expect(() => checkCacheUrl(url), url).not.toThrow();
  });

  it('refuses what is not a URL (INVALID_INPUT, the URL rule)', () => {
    expect(thrown(() => checkCacheUrl('127.0.0.1:6379 no scheme'))).toMatchObject({ code: 'INVALID_INPUT', message: URL_RULE });
    expect(thrown(() => checkCacheUrl(''))).toMatchObject({ code: 'INVALID_INPUT', message: URL_RULE });
  });

  it('refuses another scheme, naming it', () => {
    expect(thrown(() => checkCacheUrl('http://127.0.0.1:6379'))).toMatchObject({ code: 'INVALID_INPUT', message: `${URL_RULE}, not http:` });
    expect(thrown(() => checkCacheUrl('redis+tls://127.0.0.1:6379'))).toMatchObject({ code: 'INVALID_INPUT', message: `${URL_RULE}, not redis+tls:` });
  });

  it('refuses a path that is not a database number of one or two digits', () => {
    for (const url of ['redis://h:6379/db', 'redis://h:6379/123', 'redis://h:6379/x/12', 'redis://h:6379/1/', 'redis://h:6379/1x', 'redis://h:6379//1'])
      expect(
        thrown(() => checkCacheUrl(url)),
        url,
      ).toMatchObject({ code: 'INVALID_INPUT', message: DB_RULE });
  });

  it('redacts the password only, and says so for a URL it cannot parse', () => {
    expect(redactCacheUrl('redis://alice:s3cret@cache.example:6379/2')).toBe('redis://alice:***@cache.example:6379/2');
    expect(redactCacheUrl('rediss://:s3cret@cache.example:6380')).toBe('rediss://:***@cache.example:6380');
    expect(redactCacheUrl('redis://alice@cache.example:6379')).toBe('redis://alice@cache.example:6379');
    expect(redactCacheUrl('redis://127.0.0.1:6379')).toBe('redis://127.0.0.1:6379');
    expect(redactCacheUrl('not a url')).toBe('(invalid URL)');
  });
});

/** A TCP relay to the real Redis on a port of its own: it can be down, hold back what it gets (a silent Redis), or cut every connection. */
class Relay {
  readonly #sockets = new Set<net.Socket>();
  #server: net.Server | undefined;
  #held = false;
  readonly #pending: (() => void)[] = [];
  accepted = 0;
  constructor(readonly port: number) {}

  listen(): Promise<void> {
    const server = net.createServer((client) => {
      this.accepted++;
      const upstream = net.connect(6379, '127.0.0.1');
      this.#sockets.add(client);
      this.#sockets.add(upstream);
      client.on('data', (d) => {
        if (this.#held) this.#pending.push(() => upstream.write(d));
        else upstream.write(d);
      });
      upstream.pipe(client);
      const drop = () => {
        client.destroy();
        upstream.destroy();
        this.#sockets.delete(client);
        this.#sockets.delete(upstream);
      };
      client.on('close', drop).on('error', drop);
      upstream.on('close', drop).on('error', drop);
    });
    this.#server = server;
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
  }

  /** Holds back every byte sent to Redis (as a stopped redis-server would), until release. */
  hold(): void {
    this.#held = true;
  }

  release(): void {
    this.#held = false;
    for (const send of this.#pending.splice(0)) send();
  }

  /** Stops listening and cuts every connection. */
  async down(): Promise<void> {
    for (const s of this.#sockets) s.destroy();
    this.#sockets.clear();
    const server = this.#server;
    this.#server = undefined;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

async function until(check: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

const MESSAGE = 'the test cache is down';

describe.runIf(redis.ok)('CacheConnection', () => {
  const opened: CacheConnection[] = [];
  const relays: Relay[] = [];
  /** A connection with its log lines and the causes its unavailable error was made with. */
  function open(url: string, extra: { commandTimeoutMs?: number; connectTimeoutMs?: number; log?: false } = {}) {
    const lines: string[] = [];
    const causes: unknown[] = [];
    const { log, ...bounds } = extra;
    const conn = new CacheConnection(url, {
      ...bounds,
      role: 'tester',
      whileDown: 'refusing everything',
      ...(log === false ? {} : { log: (line: string) => lines.push(line) }),
      unavailable: (cause) => {
        causes.push(cause);
        return new NetcredError('CACHE_UNAVAILABLE', MESSAGE, cause === undefined ? {} : { cause });
      },
    });
    opened.push(conn);
    return { conn, lines, causes };
  }
  const relay = async () => {
    const r = new Relay(await freePort());
    relays.push(r);
    return r;
  };
  afterEach(() => {
    vi.restoreAllMocks();
  });
  afterAll(async () => {
    await Promise.all(opened.map((c) => c.close()));
    await Promise.all(relays.map((r) => r.down()));
  });

  it('checks its URL first (INVALID_INPUT) and labels itself with the URL without its password', () => {
    expect(thrown(() => open('http://127.0.0.1:6379'))).toMatchObject({ code: 'INVALID_INPUT', message: `${URL_RULE}, not http:` });
    expect(open('redis://bob:hunter2@127.0.0.1:6379/3').conn.label).toBe('redis://bob:***@127.0.0.1:6379/3');
  });

  it('bounds: 1 s to connect and per command by default, its own when given; no offline queue, nothing resent, no retry per request, connects only when asked', () => {
    const { conn } = open('redis://127.0.0.1:6379');
    expect(conn.client.options).toMatchObject({
      connectTimeout: 1000,
      commandTimeout: 1000,
      enableOfflineQueue: false,
      autoResendUnfulfilledCommands: false,
      maxRetriesPerRequest: 0,
      lazyConnect: true,
    });
    expect(conn.client.status).toBe('wait');
    const tight = open('redis://127.0.0.1:6379', { commandTimeoutMs: 75, connectTimeoutMs: 250 }).conn;
    expect(tight.client.options).toMatchObject({ connectTimeout: 250, commandTimeout: 75 });
  });

  it('reconnects for ever, backing off from 50 ms doubling to at most 1 s', () => {
    const retry = open('redis://127.0.0.1:6379').conn.client.options.retryStrategy!;
    expect([0, 1, 2, 3, 4, 5, 6, 50].map((n) => retry(n))).toEqual([50, 100, 200, 400, 800, 1000, 1000, 1000]);
  });

  it('connects: true, logs "connected" once, is up (downSince undefined) and runs commands', async () => {
    const { conn, lines } = open('redis://127.0.0.1:6379');
    const before = Date.now();
    expect(conn.downSince).toBeGreaterThanOrEqual(before - 1000);
    expect(await conn.connect()).toBe(true);
    expect(conn.downSince).toBeUndefined();
    expect(await conn.run((c) => c.ping())).toBe('PONG');
    expect(await conn.run((c) => c.echo('twice'))).toBe('twice');
    expect(lines).toEqual(['tester: shared cache redis://127.0.0.1:6379 connected']);
  });

  it('not yet connected: down since it was made, every call is the unavailable error at once (no cause) and the command is never sent', async () => {
    const { conn, causes } = open('redis://127.0.0.1:6379');
    const made = Date.now();
    await new Promise((r) => setTimeout(r, 15));
    expect(conn.downSince).toBeLessThanOrEqual(made);
    let sent = false;
    const err = await conn
      .run(async (c) => {
        sent = true;
        return c.ping();
      })
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'CACHE_UNAVAILABLE', message: MESSAGE });
    expect((err as Error).cause).toBeUndefined();
    expect(causes).toEqual([undefined]);
    expect(sent).toBe(false);
  });

  it('Redis not there: connect() is false, the refusal is logged once with the role and what it answers meanwhile, and it stays down since then', async () => {
    const port = await freePort();
    const { conn, lines, causes } = open(`redis://127.0.0.1:${port}`);
    expect(await conn.connect()).toBe(false);
    expect(lines).toEqual([
      `tester: shared cache redis://127.0.0.1:${port} unavailable (connect ECONNREFUSED 127.0.0.1:${port}); refusing everything until it is back`,
    ]);
    const since = conn.downSince!;
    expect(since).toBeLessThanOrEqual(Date.now());
    await expect(conn.run((c) => c.ping())).rejects.toMatchObject({ code: 'CACHE_UNAVAILABLE', message: MESSAGE });
    expect(causes).toEqual([undefined]);
    // the background retries (100 ms, 200 ms) fail too: no new line, the same since
    await new Promise((r) => setTimeout(r, 350));
    expect(lines).toHaveLength(1);
    expect(conn.downSince).toBe(since);
  });

  it('without a log function the lines go to stderr, one line each', async () => {
    const port = await freePort();
    const write = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const { conn } = open(`redis://127.0.0.1:${port}`, { log: false });
    await conn.connect();
    expect(write.mock.calls.map((c) => c[0])).toContain(
      `tester: shared cache redis://127.0.0.1:${port} unavailable (connect ECONNREFUSED 127.0.0.1:${port}); refusing everything until it is back\n`,
    );
  });

  it('a failing command is the unavailable error with its cause, marks it down (logged once), and the next success brings it back up (logged)', async () => {
    const { conn, lines, causes } = open('redis://127.0.0.1:6379');
    await conn.connect();
    const boom = new Error('boom');
    const err = await conn.run(() => Promise.reject(boom)).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'CACHE_UNAVAILABLE', message: MESSAGE });
    expect((err as Error).cause).toBe(boom);
    expect(causes).toEqual([boom]);
    const since = conn.downSince;
    expect(since).toEqual(expect.any(Number));
    await expect(conn.run(() => Promise.reject(new Error('again')))).rejects.toMatchObject({ code: 'CACHE_UNAVAILABLE' });
    expect(conn.downSince).toBe(since);
    expect(await conn.run((c) => c.ping())).toBe('PONG');
    expect(conn.downSince).toBeUndefined();
    expect(await conn.run((c) => c.ping())).toBe('PONG');
    expect(lines).toEqual([
      'tester: shared cache redis://127.0.0.1:6379 connected',
      'tester: shared cache redis://127.0.0.1:6379 unavailable (boom); refusing everything until it is back',
      'tester: shared cache redis://127.0.0.1:6379 connected',
    ]);
  });

  it('a NetcredError of the operation passes as it is: not unavailable, not down', async () => {
    const { conn, lines, causes } = open('redis://127.0.0.1:6379');
    await conn.connect();
    const own = new NetcredError('TOO_MANY_REQUESTS', 'full');
    await expect(conn.run(() => Promise.reject(own))).rejects.toBe(own);
    expect(causes).toEqual([]);
    expect(conn.downSince).toBeUndefined();
    expect(lines).toHaveLength(1);
  });

  it('a Redis that stops answering: the command gives up after its bound (unavailable, cause "Command timed out"), then serves again', async () => {
    const r = await relay();
    await r.listen();
    const { conn, lines, causes } = open(`redis://127.0.0.1:${r.port}`, { commandTimeoutMs: 100 });
    expect(await conn.connect()).toBe(true);
    r.hold();
    await expect(conn.run((c) => c.ping())).rejects.toMatchObject({ code: 'CACHE_UNAVAILABLE' });
    expect((causes[0] as Error).message).toBe('Command timed out');
    expect(conn.client.status).toBe('ready');
    expect(conn.downSince).toEqual(expect.any(Number));
    r.release();
    expect(await conn.run((c) => c.echo('back'))).toBe('back');
    expect(conn.downSince).toBeUndefined();
    expect(lines).toEqual([
      `tester: shared cache redis://127.0.0.1:${r.port} connected`,
      `tester: shared cache redis://127.0.0.1:${r.port} unavailable (Command timed out); refusing everything until it is back`,
      `tester: shared cache redis://127.0.0.1:${r.port} connected`,
    ]);
  });

  it('reconnects by itself: up once Redis is there, down when the connection is cut ("connection closed"), up again when it is back', async () => {
    const r = await relay();
    const { conn, lines } = open(`redis://127.0.0.1:${r.port}`);
    expect(await conn.connect()).toBe(false);
    const label = `redis://127.0.0.1:${r.port}`;
    await r.listen();
    await until(() => conn.client.status === 'ready', 'the first reconnection');
    expect(conn.downSince).toBeUndefined();
    expect(await conn.run((c) => c.ping())).toBe('PONG');
    await r.down();
    await until(() => conn.client.status !== 'ready', 'the cut');
    expect(conn.downSince).toEqual(expect.any(Number));
    await expect(conn.run((c) => c.ping())).rejects.toMatchObject({ code: 'CACHE_UNAVAILABLE' });
    await r.listen();
    await until(() => conn.client.status === 'ready', 'the second reconnection');
    expect(await conn.run((c) => c.ping())).toBe('PONG');
    expect(lines).toEqual([
      `tester: shared cache ${label} unavailable (connect ECONNREFUSED 127.0.0.1:${r.port}); refusing everything until it is back`,
      `tester: shared cache ${label} connected`,
      `tester: shared cache ${label} unavailable (connection closed); refusing everything until it is back`,
      `tester: shared cache ${label} connected`,
    ]);
  });

  it('close(): disconnected for good, down since then, every call the unavailable error', async () => {
    const r = await relay();
    await r.listen();
    const { conn, lines } = open(`redis://127.0.0.1:${r.port}`);
    await conn.connect();
    expect(await conn.close()).toBeUndefined();
    await until(() => conn.client.status === 'end', 'the end');
    expect(conn.downSince).toEqual(expect.any(Number));
    await expect(conn.run((c) => c.ping())).rejects.toMatchObject({ code: 'CACHE_UNAVAILABLE' });
    expect(lines.at(-1)).toBe(`tester: shared cache redis://127.0.0.1:${r.port} unavailable (connection closed); refusing everything until it is back`);
    // no reconnection: the relay still listens and sees no new connection
    await new Promise((res) => setTimeout(res, 250));
    expect(r.accepted).toBe(1);
    expect(conn.client.status).toBe('end');
  });

  it('close() while Redis is down stops the retries: Redis coming back is not reconnected to', async () => {
    const r = await relay();
    const { conn } = open(`redis://127.0.0.1:${r.port}`);
    expect(await conn.connect()).toBe(false);
    await conn.close();
    await r.listen();
    // the first retry was due 100 ms after the refusal
    await new Promise((res) => setTimeout(res, 300));
    expect(r.accepted).toBe(0);
    await expect(conn.run((c) => c.ping())).rejects.toMatchObject({ code: 'CACHE_UNAVAILABLE' });
  });
});
