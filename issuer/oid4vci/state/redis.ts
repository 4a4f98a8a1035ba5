import { CacheConnection } from '../../../core/cache/redis-connection.js';
import { IssuerCacheUnavailableError, type Oid4vciStateHealth, type SharedAccessToken, type SharedOid4vciState } from './types.js';

/** The prefix of every Redis key of `issuer serve --cache` unless `--cache-prefix` says otherwise. */
export const DEFAULT_ISSUER_CACHE_PREFIX = 'netcred:issuer:';

/** A tx_code attempt: 0 if the code is redeemed, else INCR (expiring with the offer). KEYS redeemed, attempts; ARGV ttl ms. */
const COUNT_ATTEMPT = `
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
local n = redis.call('INCR', KEYS[2])
if n == 1 then redis.call('PEXPIRE', KEYS[2], ARGV[1]) end
return n`;

/** The token and its used flag in one round trip. */
const FIND_TOKEN = `return {redis.call('GET', KEYS[1]), redis.call('EXISTS', KEYS[2])}`;

type WithScripts = CacheConnection['client'] & {
  ncIssuerCountAttempt(redeemed: string, attempts: string, ttlMs: number): Promise<number>;
  ncIssuerFindToken(token: string, used: string): Promise<[string | null, number]>;
};

/** Milliseconds from now until `epochSeconds`, at least 1 (Redis refuses a PX of 0). */
function ttlMs(epochSeconds: number): number {
  return Math.max(1, epochSeconds * 1000 - Date.now());
}

/**
 * The issuer's OpenID4VCI short-lived state in Redis, under `prefix`: `code:<hash>` (a redeemed
 * pre-authorized code), `tx:<hash>` (its tx_code attempts), `at:<hash>` (an access token as
 * JSON) and `at-used:<hash>`, `nonce:<hash>` (a spent c_nonce), `jti:<hash>` (a DPoP or
 * attestation PoP id). Only hashes of secrets are keys; nothing holds a claim.
 */
export class RedisOid4vciState implements SharedOid4vciState {
  readonly backend = 'redis' as const;
  readonly #conn: CacheConnection;
  readonly prefix: string;

  private constructor(conn: CacheConnection, prefix: string) {
    this.#conn = conn;
    this.prefix = prefix;
    conn.client.defineCommand('ncIssuerCountAttempt', { numberOfKeys: 2, lua: COUNT_ATTEMPT });
    conn.client.defineCommand('ncIssuerFindToken', { numberOfKeys: 2, lua: FIND_TOKEN });
  }

  /** Connects (bounded, about a second); when Redis is not there yet it keeps trying and every call is CACHE_UNAVAILABLE until it is. */
  static async connect(options: {
    url: string;
    prefix?: string;
    log?: (line: string) => void;
    commandTimeoutMs?: number;
  }): Promise<{ state: RedisOid4vciState; connected: boolean; url: string }> {
    const conn = new CacheConnection(options.url, {
      ...options,
      role: 'issuer',
      whileDown: 'OpenID4VCI answers 503 CACHE_UNAVAILABLE',
      unavailable: (cause) => new IssuerCacheUnavailableError(cause === undefined ? {} : { cause }),
    });
    const state = new RedisOid4vciState(conn, options.prefix ?? DEFAULT_ISSUER_CACHE_PREFIX);
    return { state, connected: await conn.connect(), url: conn.label };
  }

  #key(kind: string, hash: string): string {
    return `${this.prefix}${kind}:${hash}`;
  }

  async recordJti(jtiHash: string, expiresAt: number): Promise<boolean> {
    return (await this.#conn.run((c) => c.set(this.#key('jti', jtiHash), '1', 'PX', ttlMs(expiresAt), 'NX'))) === 'OK';
  }

  countTxAttempt(codeHash: string, offerExpiresAt: number): Promise<number> {
    return this.#conn.run((c) => (c as WithScripts).ncIssuerCountAttempt(this.#key('code', codeHash), this.#key('tx', codeHash), ttlMs(offerExpiresAt)));
  }

  async redeemCode(codeHash: string, offerExpiresAt: number): Promise<boolean> {
    return (await this.#conn.run((c) => c.set(this.#key('code', codeHash), '1', 'PX', ttlMs(offerExpiresAt), 'NX'))) === 'OK';
  }

  async saveAccessToken(tokenHash: string, token: SharedAccessToken): Promise<void> {
    await this.#conn.run((c) => c.set(this.#key('at', tokenHash), JSON.stringify(token), 'PX', ttlMs(token.expiresAt)));
  }

  async findAccessToken(tokenHash: string): Promise<(SharedAccessToken & { used: boolean }) | undefined> {
    const [json, used] = await this.#conn.run((c) => (c as WithScripts).ncIssuerFindToken(this.#key('at', tokenHash), this.#key('at-used', tokenHash)));
    if (json === null) return undefined;
    const t = JSON.parse(json) as SharedAccessToken;
    return { offerId: t.offerId, expiresAt: t.expiresAt, dpopJkt: t.dpopJkt, used: used === 1 };
  }

  async consumeAccessToken(tokenHash: string, expiresAt: number): Promise<boolean> {
    return (await this.#conn.run((c) => c.set(this.#key('at-used', tokenHash), '1', 'PX', ttlMs(expiresAt), 'NX'))) === 'OK';
  }

  async spendNonce(nonceHash: string, expiresAt: number): Promise<boolean> {
    return (await this.#conn.run((c) => c.set(this.#key('nonce', nonceHash), '1', 'PX', ttlMs(expiresAt), 'NX'))) === 'OK';
  }

  async unspend(keys: { tokenHash?: string; nonceHashes: string[] }): Promise<void> {
    const all = [...(keys.tokenHash ? [this.#key('at-used', keys.tokenHash)] : []), ...keys.nonceHashes.map((h) => this.#key('nonce', h))];
    if (all.length) await this.#conn.run((c) => c.del(...all));
  }

  async health(): Promise<Oid4vciStateHealth> {
    const since = this.#conn.downSince;
    if (since === undefined) return { backend: 'redis', status: 'ok', prefix: this.prefix };
    return { backend: 'redis', status: 'unavailable', prefix: this.prefix, since: new Date(since).toISOString() };
  }

  close(): Promise<void> {
    return this.#conn.close();
  }
}
