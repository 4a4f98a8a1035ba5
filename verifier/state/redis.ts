import { createHash, createPrivateKey, randomBytes, type KeyObject } from 'node:crypto';
import { CacheConnection as Connection, checkCacheUrl, redactCacheUrl } from '../../core/cache/redis-connection.js';
import type { Redis } from 'ioredis';
import { InvalidInputError, NetcredError } from '../../core/errors.js';
import { openSealed, seal, type SealFormat } from '../../core/crypto/seal.js';
import type { ReplayGuardLike } from '../oid4vp/replay-guard.js';
import { pendingVerdict, settleVerdict, type ClaimResult, type RequestEntry, type RequestStoreLike, type SettleOutcome } from '../oid4vp/request-store.js';
import type { ResponseKey } from '../oid4vp/response-key.js';
import type { PendingRequest, Verdict } from '../oid4vp/types.js';
import { DEFAULT_NONCE_TTL_SECONDS } from '../replay/nonce-store.js';
import type { NonceStoreLike, ReplayCacheLike } from '../replay/stores.js';
import { sealingKey } from './secret.js';
import { CacheUnavailableError, type CacheHealth, type VerifierState } from './types.js';

/** The default prefix of every key the verifier keeps in Redis. */
export const DEFAULT_CACHE_PREFIX = 'netcred:verifier:';
export { redactCacheUrl };

/** How redisState connects and what it keeps: the Redis URL, key prefix, sealing secret and bounds. */
export type RedisStateOptions = {
  /** `redis://[user:password@]host:port[/db]` or `rediss://` (TLS). */
  url: string;
  /** Prefix of every key (default `netcred:verifier:`): verifier fleets, or tests, sharing one Redis keep apart by it. */
  prefix?: string;
  /** Secret that seals the direct_post.jwt response keys (the same on every node that shares the cache). */
  secret: string;
  nonceTtlSeconds?: number;
  /** Open OpenID4VP requests at most, across every node (default 10,000). */
  maxRequests?: number;
  /** How long a verdict stays readable after its request expired, ms (default 10 min). */
  retainMs?: number;
  /** Posted OpenID4VP KB-JWTs are remembered this long, ms (default 15 min). */
  responseReplayTtlMs?: number;
  commandTimeoutMs?: number;
  connectTimeoutMs?: number;
  /** Connection state changes (down, back), one line each; default stderr. */
  log?: (line: string) => void;
};

const sha = (s: string) => createHash('sha256').update(s).digest('base64url');
/** Ids, nonces and replay keys are base64url: anything else names nothing we stored, and never reaches Redis. */
const TOKEN = /^[A-Za-z0-9_-]{1,128}$/;

/** Nonces: SET NX EX on issue, GETDEL on consume, so a nonce is taken once across every node. */
class RedisNonces implements NonceStoreLike {
  constructor(
    private readonly conn: Connection,
    private readonly key: (n: string) => string,
    readonly ttlSeconds: number,
  ) {}

  async issue(): Promise<{ nonce: string; expiresIn: number }> {
    const nonce = randomBytes(16).toString('base64url');
    await this.conn.run((c) => c.set(this.key(nonce), '1', 'EX', this.ttlSeconds, 'NX'));
    return { nonce, expiresIn: this.ttlSeconds };
  }

  async consume(nonce: string): Promise<boolean> {
    if (!TOKEN.test(nonce)) return false;
    return (await this.conn.run((c) => c.getdel(this.key(nonce)))) !== null;
  }
}

/** Accepted proofs: SET key 1 NX EX ttl; only the one caller whose SET succeeded accepts it. */
class RedisReplay implements ReplayCacheLike, ReplayGuardLike {
  constructor(
    private readonly conn: Connection,
    private readonly key: (k: string) => string,
    private readonly guardTtlMs: number,
  ) {}

  async remember(key: string, untilSeconds: number, nowSeconds: number): Promise<boolean> {
    // Relative expiry: the verifier's clock decided the proof's lifetime, not Redis's.
    const ttl = Math.max(1, Math.ceil(untilSeconds - nowSeconds));
    return (await this.conn.run((c) => c.set(this.key(`kb:${sha(key)}`), '1', 'EX', ttl, 'NX'))) === 'OK';
  }

  async firstUse(token: string): Promise<boolean> {
    return (await this.conn.run((c) => c.set(this.key(`vp:${sha(token)}`), '1', 'PX', this.guardTtlMs, 'NX'))) === 'OK';
  }
}

/**
 * Adds a request under the cap of open requests, atomically: KEYS open zset, request, state;
 * ARGV now, max, id, request JSON, ttl ms, expiresAt.
 */
const ADD_REQUEST = `
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[1])
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[2]) then return 0 end
redis.call('ZADD', KEYS[1], ARGV[6], ARGV[3])
if redis.call('PTTL', KEYS[1]) < tonumber(ARGV[5]) then redis.call('PEXPIRE', KEYS[1], ARGV[5]) end
redis.call('SET', KEYS[2], ARGV[4], 'PX', ARGV[5])
redis.call('SET', KEYS[3], ARGV[3], 'PX', ARGV[5])
return 1`;

type WithAddRequest = Redis & {
  ncAddRequest(open: string, req: string, state: string, now: number, max: number, id: string, json: string, ttlMs: number, expiresAt: number): Promise<number>;
};

/** The stored form of a request: its response key's private part sealed (AES-256-GCM), never in the clear. */
type StoredRequest = Omit<PendingRequest, 'responseKey'> & { responseKey?: Omit<ResponseKey, 'privateKey'> & { sealedPrivateJwk: string } };

const SEAL_FORMAT: SealFormat = {
  layout: 'tag-last',
  codes: { malformed: 'CACHE_SECRET_MISMATCH', wrongKey: 'CACHE_SECRET_MISMATCH' },
  names: { value: 'the sealed response key of OpenID4VP request', key: "this verifier's cache secret (NETCRED_CACHE_SECRET must be the same on every node)" },
};

/**
 * OpenID4VP requests and verdicts in Redis, so any node answers any request: `oid4vp:req:<id>`
 * (the request as JSON), `oid4vp:state:<sha256(state)>` (its id), `oid4vp:claim:<id>` (the
 * single-use claim of the state: SET NX), `oid4vp:verdict:<id>` (the final verdict as JSON), all
 * expiring `retainMs` after the request; `oid4vp:open` (a sorted set by expiry) caps open requests.
 */
class RedisRequests implements RequestStoreLike {
  readonly #key: Buffer;

  constructor(
    private readonly conn: Connection,
    private readonly key: (k: string) => string,
    secret: string,
    private readonly max: number,
    private readonly retainMs: number,
  ) {
    this.#key = sealingKey(secret, 'oid4vp-response-keys');
    conn.client.defineCommand('ncAddRequest', { numberOfKeys: 3, lua: ADD_REQUEST });
  }

  #ttl(request: PendingRequest, now: number): number {
    return Math.max(1, Math.max(request.expiresAt, now) - now + this.retainMs);
  }

  async add(request: PendingRequest, now = Date.now()): Promise<RequestEntry> {
    const json = JSON.stringify(this.#encode(request));
    const added = await this.conn.run((c) =>
      (c as WithAddRequest).ncAddRequest(
        this.key('oid4vp:open'),
        this.key(`oid4vp:req:${request.id}`),
        this.key(`oid4vp:state:${sha(request.state)}`),
        now,
        this.max,
        request.id,
        json,
        this.#ttl(request, now),
        request.expiresAt,
      ),
    );
    if (added !== 1) throw new NetcredError('TOO_MANY_REQUESTS', `too many open OpenID4VP requests (${this.max})`);
    return { request, verdict: pendingVerdict(request) };
  }

  async byId(id: string, now = Date.now()): Promise<RequestEntry | undefined> {
    if (!TOKEN.test(id)) return undefined;
    const [req, claim, verdict] = await this.conn.run((c) =>
      c.mget(this.key(`oid4vp:req:${id}`), this.key(`oid4vp:claim:${id}`), this.key(`oid4vp:verdict:${id}`)),
    );
    if (!req) return undefined;
    const request = this.#decode(JSON.parse(req) as StoredRequest);
    if (verdict) return { request, verdict: JSON.parse(verdict) as Verdict };
    const v = pendingVerdict(request);
    if (claim) v.respondedAt = Number(claim);
    else if (now >= request.expiresAt) v.status = 'expired';
    return { request, verdict: v };
  }

  async byState(state: string, now = Date.now()): Promise<RequestEntry | undefined> {
    const id = await this.conn.run((c) => c.get(this.key(`oid4vp:state:${sha(state)}`)));
    return id === null ? undefined : this.byId(id, now);
  }

  async claim(state: string, now = Date.now()): Promise<ClaimResult> {
    const entry = await this.byState(state, now);
    if (!entry) return { ok: false, reason: 'unknown' };
    if (entry.verdict.status === 'expired') return { ok: false, reason: 'expired' };
    if (entry.verdict.status !== 'pending' || entry.verdict.respondedAt !== undefined) return { ok: false, reason: 'used' };
    // The single-use step: of every node that got this far for this state, one SET NX succeeds.
    const taken = await this.conn.run((c) => c.set(this.key(`oid4vp:claim:${entry.request.id}`), String(now), 'PX', this.#ttl(entry.request, now), 'NX'));
    if (taken !== 'OK') return { ok: false, reason: 'used' };
    entry.verdict.respondedAt = now;
    return { ok: true, entry };
  }

  async settle(entry: RequestEntry, outcome: SettleOutcome): Promise<Verdict> {
    const verdict = settleVerdict(entry.verdict, outcome);
    const now = Date.now();
    await this.conn.run((c) => c.set(this.key(`oid4vp:verdict:${entry.request.id}`), JSON.stringify(verdict), 'PX', this.#ttl(entry.request, now)));
    return verdict;
  }

  #encode(request: PendingRequest): StoredRequest {
    const { responseKey, ...rest } = request;
    if (!responseKey) return rest;
    const { privateKey, ...pub } = responseKey;
    const jwk = Buffer.from(JSON.stringify(privateKey.export({ format: 'jwk' })), 'utf8');
    return { ...rest, responseKey: { ...pub, sealedPrivateJwk: seal(this.#key, jwk, aadOf(request.id), SEAL_FORMAT).toString('base64url') } };
  }

  #decode(stored: StoredRequest): PendingRequest {
    const { responseKey, ...rest } = stored;
    if (!responseKey) return rest;
    const { sealedPrivateJwk, ...pub } = responseKey;
    const key = this.#key;
    let opened: KeyObject | undefined;
    // Opened only when an encrypted answer needs it: reading a verdict never touches the key.
    const out = { ...pub } as ResponseKey;
    Object.defineProperty(out, 'privateKey', {
      enumerable: false,
      get: () =>
        (opened ??= createPrivateKey({
          key: JSON.parse(openSealed(key, Buffer.from(sealedPrivateJwk, 'base64url'), aadOf(stored.id), SEAL_FORMAT).toString('utf8')),
          format: 'jwk',
        })),
    });
    return { ...rest, responseKey: out };
  }
}

const aadOf = (id: string) => `netcred-verifier:oid4vp-response-key:${id}`;

/** Verifier state shared through Redis by a fleet of verifiers (nonces, replay cache, OpenID4VP requests). */
export type RedisState = VerifierState & { readonly backend: 'redis'; readonly prefix: string; readonly url: string };

/**
 * The verifier's state shared through Redis. It tries to connect once (bounded by
 * `connectTimeoutMs`); when Redis is not there yet the verifier starts all the same, answers
 * CACHE_UNAVAILABLE, and is served again as soon as a background reconnection succeeds.
 */
export async function connectRedisState(options: RedisStateOptions): Promise<RedisState & { connected: boolean }> {
  checkCacheUrl(options.url);
  const prefix = options.prefix ?? DEFAULT_CACHE_PREFIX;
  if (!/^[\x21-\x7e]{1,64}$/.test(prefix)) throw new InvalidInputError('--cache-prefix must be 1 to 64 visible ASCII characters');
  const conn = new Connection(options.url, {
    ...options,
    role: 'verifier',
    whileDown: 'answering 503 CACHE_UNAVAILABLE',
    unavailable: (cause) => new CacheUnavailableError(undefined, cause === undefined ? {} : { cause }),
  });
  const key = (k: string) => `${prefix}${k}`;
  const replay = new RedisReplay(conn, key, options.responseReplayTtlMs ?? 15 * 60_000);
  const state: RedisState = {
    backend: 'redis',
    prefix,
    url: redactCacheUrl(options.url),
    nonces: new RedisNonces(conn, (n) => key(`nonce:${n}`), options.nonceTtlSeconds ?? DEFAULT_NONCE_TTL_SECONDS),
    replay,
    responseReplay: replay,
    requests: new RedisRequests(conn, key, options.secret, options.maxRequests ?? 10_000, options.retainMs ?? 10 * 60_000),
    async health(): Promise<CacheHealth> {
      const t0 = Date.now();
      try {
        await conn.run((c) => c.ping());
        return { backend: 'redis', status: 'ok', prefix, latency_ms: Date.now() - t0 };
      } catch {
        const since = conn.downSince;
        return { backend: 'redis', status: 'unavailable', prefix, ...(since !== undefined ? { since: new Date(since).toISOString() } : {}) };
      }
    },
    close: () => conn.close(),
  };
  const connected = await conn.connect();
  return Object.assign(state, { connected });
}
