import { NetcredError } from '../../core/errors.js';
import type { ReplayGuardLike } from '../oid4vp/replay-guard.js';
import type { RequestStoreLike } from '../oid4vp/request-store.js';
import type { NonceStoreLike, ReplayCacheLike } from '../replay/stores.js';

/** What GET /health says of the verifier's short-lived state. */
export type CacheHealth =
  | { backend: 'memory'; status: 'ok' }
  | { backend: 'redis'; status: 'ok' | 'unavailable'; prefix: string; latency_ms?: number; since?: string };

/**
 * Every piece of short-lived state a verifier keeps, behind one interface each: nonces, accepted
 * key-binding proofs, OpenID4VP requests with their verdicts, and posted OpenID4VP KB-JWTs. In
 * memory for one process (`memoryState`), or shared by every verifier process through Redis
 * (`connectRedisState`): then a proof accepted at one kiosk is a replay at every other one.
 */
export type VerifierState = {
  readonly backend: 'memory' | 'redis';
  readonly nonces: NonceStoreLike;
  readonly replay: ReplayCacheLike;
  readonly requests: RequestStoreLike;
  readonly responseReplay: ReplayGuardLike;
  health(): Promise<CacheHealth>;
  close(): Promise<void>;
};

/** Seconds a client waits before retrying while the shared cache is down. */
export const CACHE_RETRY_AFTER_SECONDS = 2;

/**
 * The shared cache cannot answer (down, unreachable, too slow): nothing was checked or stored,
 * and nothing is accepted. HTTP 503 with Retry-After, in the protocol's error format.
 */
export class CacheUnavailableError extends NetcredError {
  readonly retryAfterSeconds = CACHE_RETRY_AFTER_SECONDS;
  constructor(
    message = 'the verifier cannot reach its shared cache (Redis) to check for replays; nothing was accepted, try again shortly',
    options: { cause?: unknown } = {},
  ) {
    super('CACHE_UNAVAILABLE', message, options);
  }
}
