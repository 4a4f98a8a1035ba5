import { Redis } from 'ioredis';
import { InvalidInputError, NetcredError } from '../../../core/errors.js';
import { IssuerCacheUnavailableError } from './types.js';

export const DEFAULT_COMMAND_TIMEOUT_MS = 1000;
export const DEFAULT_CONNECT_TIMEOUT_MS = 1000;
const MAX_RECONNECT_DELAY_MS = 1000;

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
 * One ioredis connection with bounded waits (the verifier's has the same rules): commands fail
 * at once while it is not connected (no offline queue, nothing resent after a reconnect: a SET
 * NX sent twice would turn a first use into a replay), a silent Redis times out after
 * `commandTimeoutMs`, and it reconnects for ever in the background. Every failure is
 * CACHE_UNAVAILABLE; each change of state is logged once.
 */
export class CacheConnection {
  readonly client: Redis;
  #downSince: number | undefined = Date.now();
  #reported: 'up' | 'down' | undefined;
  readonly #log: (line: string) => void;
  readonly label: string;

  constructor(url: string, options: { commandTimeoutMs?: number; connectTimeoutMs?: number; log?: (line: string) => void } = {}) {
    checkCacheUrl(url);
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
    if (this.#reported !== 'up') this.#log(`issuer: shared cache ${this.label} connected`);
    this.#reported = 'up';
  }

  #down(reason: string): void {
    this.#downSince ??= Date.now();
    if (this.#reported !== 'down')
      this.#log(`issuer: shared cache ${this.label} unavailable (${reason}); OpenID4VCI answers 503 CACHE_UNAVAILABLE until it is back`);
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

  get downSince(): number | undefined {
    return this.client.status === 'ready' ? this.#downSince : (this.#downSince ?? Date.now());
  }

  async run<T>(op: (c: Redis) => Promise<T>): Promise<T> {
    if (this.client.status !== 'ready') throw new IssuerCacheUnavailableError();
    try {
      const result = await op(this.client);
      if (this.#reported !== 'up') this.#up();
      return result;
    } catch (err) {
      if (err instanceof NetcredError) throw err;
      this.#down((err as Error).message);
      throw new IssuerCacheUnavailableError({ cause: err });
    }
  }

  close(): Promise<void> {
    this.client.disconnect();
    return Promise.resolve();
  }
}
