import { Redis } from 'ioredis';
import { InvalidInputError, NetcredError } from '../errors.js';

/** A kiosk or a wallet answers or is refused within about a second: no request waits on Redis longer. */
export const DEFAULT_COMMAND_TIMEOUT_MS = 1000;
export const DEFAULT_CONNECT_TIMEOUT_MS = 1000;
/** Reconnection backs off to this and keeps trying for ever: the service recovers by itself. */
const MAX_RECONNECT_DELAY_MS = 1000;

/** How a role's shared-cache connection behaves: its bounds, its log and its CACHE_UNAVAILABLE error. */
export type CacheConnectionOptions = {
  commandTimeoutMs?: number;
  connectTimeoutMs?: number;
  /** Connection state changes (down, back), one line each; default stderr. */
  log?: (line: string) => void;
  /** Who speaks in the log lines (`issuer`, `verifier`). */
  role: string;
  /** What the role answers while the cache is down, for the log line. */
  whileDown: string;
  /** The role's CACHE_UNAVAILABLE error (its message says what was not accepted). */
  unavailable: (cause?: unknown) => NetcredError;
};

/** The URL without its password, for logs and banners. */
export function redactCacheUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(invalid URL)';
  }
}

/** A `redis://` or `rediss://` URL whose path, if any, is a database number; INVALID_INPUT otherwise. */
export function checkCacheUrl(url: string): void {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new InvalidInputError('--cache must be a redis:// or rediss:// URL');
  }
  if (u.protocol !== 'redis:' && u.protocol !== 'rediss:') throw new InvalidInputError(`--cache must be a redis:// or rediss:// URL, not ${u.protocol}`);
  if (u.pathname.length > 1 && !/^\/\d{1,2}$/.test(u.pathname)) throw new InvalidInputError('--cache: the path of the URL is the database number (/0 to /15)');
}

/**
 * One ioredis connection with bounded waits, for the verifier's and the issuer's shared state:
 * commands fail at once while it is not connected (no offline queue, nothing resent after a reconnect: a SET
 * NX sent twice would turn a first use into a replay), a silent Redis times out after
 * `commandTimeoutMs`, and it reconnects for ever in the background. Every failure is
 * CACHE_UNAVAILABLE; each change of state is logged once.
 */
export class CacheConnection {
  readonly client: Redis;
  #downSince: number | undefined = Date.now();
  #reported: 'up' | 'down' | undefined;
  readonly #log: (line: string) => void;
  readonly #options: CacheConnectionOptions;
  readonly label: string;

  constructor(url: string, options: CacheConnectionOptions) {
    checkCacheUrl(url);
    this.#options = options;
    this.#log = options.log ?? ((line) => process.stderr.write(`${line}\n`));
    this.label = redactCacheUrl(url);
    this.client = new Redis(url, {
      lazyConnect: true,
      connectTimeout: options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS,
      commandTimeout: options.commandTimeoutMs ?? DEFAULT_COMMAND_TIMEOUT_MS,
      enableOfflineQueue: false,
      autoResendUnfulfilledCommands: false,
      maxRetriesPerRequest: 0,
      retryStrategy: (attempt) => Math.min(50 * 2 ** Math.min(attempt, 5), MAX_RECONNECT_DELAY_MS),
    });
    this.client.on('ready', () => this.#up());
    this.client.on('error', (err: Error) => this.#down(err.message));
    this.client.on('close', () => this.#down('connection closed'));
  }

  #up(): void {
    this.#downSince = undefined;
    if (this.#reported !== 'up') this.#log(`${this.#options.role}: shared cache ${this.label} connected`);
    this.#reported = 'up';
  }

  #down(reason: string): void {
    this.#downSince ??= Date.now();
    if (this.#reported !== 'down')
      this.#log(`${this.#options.role}: shared cache ${this.label} unavailable (${reason}); ${this.#options.whileDown} until it is back`);
    this.#reported = 'down';
  }

  /** Connects once (bounded); when it fails the client keeps retrying and the caller is told. */
  async connect(): Promise<boolean> {
    try {
      await this.client.connect();
      return true;
    } catch (err) {
      this.#down((err as Error).message);
      return false;
    }
  }

  /** Since when the cache has been failing (disconnected, or commands timing out), if it is. */
  get downSince(): number | undefined {
    return this.client.status === 'ready' ? this.#downSince : (this.#downSince ?? Date.now());
  }

  /** Runs `op` on the connected client; any failure is the role's CACHE_UNAVAILABLE (a NetcredError passes as it is). */
  async run<T>(op: (c: Redis) => Promise<T>): Promise<T> {
    if (this.client.status !== 'ready') throw this.#options.unavailable();
    try {
      const result = await op(this.client);
      if (this.#reported !== 'up') this.#up();
      return result;
    } catch (err) {
      if (err instanceof NetcredError) throw err;
      this.#down((err as Error).message);
      throw this.#options.unavailable(err);
    }
  }

  /** Disconnects (no reconnection after it). */
  close(): Promise<void> {
    this.client.disconnect();
    return Promise.resolve();
  }
}
