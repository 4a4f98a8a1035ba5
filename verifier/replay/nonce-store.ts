import { randomBytes } from 'node:crypto';
import { InvalidInputError, NetcredError } from '../../core/errors.js';
import type { NonceStoreLike } from './stores.js';

export const DEFAULT_NONCE_TTL_SECONDS = 300;
/** The most nonces a verifier keeps outstanding at once by default (100,000). */
export const DEFAULT_MAX_OUTSTANDING_NONCES = 100_000;

/**
 * Every outstanding nonce is live and the store is at its cap: nothing is evicted (that would
 * break a presentation in progress); the caller retries once the oldest expires.
 */
export class NonceStoreFullError extends NetcredError {
  /** Seconds until the oldest outstanding nonce expires and frees a place. */
  readonly retryAfterSeconds: number;
  constructor(max: number, retryAfterSeconds: number) {
    super('NONCE_STORE_FULL', `too many outstanding nonces (${max}); try again in ${retryAfterSeconds} s`);
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

/** Operation counts: `examined` is every entry a call looked at, so a test can check the cost. */
export type NonceStoreStats = { examined: number; issued: number; consumed: number; expired: number; refused: number };

/**
 * Nonces this verifier issued (for the `upgraded` profile): each is single use and expires.
 * In memory, for one process; a restart invalidates outstanding nonces, which is safe. Several
 * verifier processes share theirs through Redis instead (verifier/state/redis.ts).
 *
 * The TTL is the same for every nonce, so the Map's insertion order is expiry order: expired
 * nonces are always at its head, and issue() reclaims them from there, stopping at the first
 * live one. issue() and consume() cost O(1) amortized, whatever the number outstanding (a
 * clock stepped back only delays reclaiming; each entry's own expiry is still what counts).
 */
export class NonceStore implements NonceStoreLike {
  private readonly nonces = new Map<string, number>();
  readonly stats: NonceStoreStats = { examined: 0, issued: 0, consumed: 0, expired: 0, refused: 0 };

  constructor(
    readonly ttlSeconds = DEFAULT_NONCE_TTL_SECONDS,
    readonly maxOutstanding = DEFAULT_MAX_OUTSTANDING_NONCES,
    private readonly clock: () => number = () => Date.now(),
  ) {
    if (!Number.isInteger(ttlSeconds) || ttlSeconds < 1) throw new InvalidInputError('the nonce ttl must be a positive integer (seconds)');
    if (!Number.isInteger(maxOutstanding) || maxOutstanding < 1) throw new InvalidInputError('the nonce cap must be a positive integer');
  }

  /** A fresh 128-bit nonce, valid for ttlSeconds; NonceStoreFullError when maxOutstanding live nonces are out. */
  issue(): { nonce: string; expiresIn: number } {
    const now = this.clock();
    this.reclaim(now);
    if (this.nonces.size >= this.maxOutstanding) {
      this.stats.refused++;
      const oldest = this.nonces.values().next().value!;
      this.stats.examined++;
      throw new NonceStoreFullError(this.maxOutstanding, Math.max(1, Math.ceil((oldest - now) / 1000)));
    }
    const nonce = randomBytes(16).toString('base64url');
    this.nonces.set(nonce, now + this.ttlSeconds * 1000);
    this.stats.issued++;
    return { nonce, expiresIn: this.ttlSeconds };
  }

  /** True once for an issued, unexpired nonce; the nonce is gone afterwards either way. */
  consume(nonce: string): boolean {
    const expires = this.nonces.get(nonce);
    this.stats.examined++;
    if (expires === undefined) return false;
    this.nonces.delete(nonce);
    this.stats.consumed++;
    return expires > this.clock();
  }

  /** Drops expired nonces from the head; each entry is dropped once, so this is O(1) amortized. */
  private reclaim(now: number): void {
    for (const [n, exp] of this.nonces) {
      this.stats.examined++;
      if (exp > now) return;
      this.nonces.delete(n);
      this.stats.expired++;
    }
  }

  get size(): number {
    return this.nonces.size;
  }
}
