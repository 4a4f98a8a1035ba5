import { createHash } from 'node:crypto';
import type { Awaitable } from '../replay/stores.js';

/** Single use of a posted KB-JWT: `ReplayGuard` (memory) or the Redis store of verifier/state/redis.ts. */
export interface ReplayGuardLike {
  /** Records the token; false when it was already seen (an atomic set-if-absent). */
  firstUse(token: string, now?: number): Awaitable<boolean>;
}

/**
 * KB-JWTs already received, by SHA-256. A KB-JWT carries one request's nonce, so a copy posted
 * to another state would fail the nonce check anyway; refusing it by name (KB_JWT_REPLAYED)
 * first tells the operator what happened. Entries outlive any KB-JWT the verifier still accepts.
 *
 * Every entry lives the same ttl, so the Map's insertion order is expiry order: each insert drops
 * the expired entries at its head and stops at the first live one (O(1) amortized, counted in
 * `stats.examined`), also when the guard is full.
 */
export class ReplayGuard implements ReplayGuardLike {
  readonly #seen = new Map<string, number>();
  readonly #ttlMs: number;
  readonly #max: number;
  readonly stats = { examined: 0, expired: 0, evicted: 0 };

  constructor(options: { ttlMs?: number; max?: number } = {}) {
    this.#ttlMs = options.ttlMs ?? 15 * 60_000;
    this.#max = options.max ?? 100_000;
  }

  /** Records the token; false when it was already seen. */
  firstUse(token: string, now = Date.now()): boolean {
    const id = createHash('sha256').update(token).digest('base64url');
    const until = this.#seen.get(id);
    this.stats.examined++;
    if (until !== undefined && until > now) return false;
    // An expired entry of the same token goes, so the new one is appended in expiry order.
    this.#seen.delete(id);
    this.#reclaim(now);
    // Still full of live entries: forget the oldest rather than grow without bound.
    if (this.#seen.size >= this.#max) {
      this.#seen.delete(this.#seen.keys().next().value!);
      this.stats.examined++;
      this.stats.evicted++;
    }
    this.#seen.set(id, now + this.#ttlMs);
    return true;
  }

  get size(): number {
    return this.#seen.size;
  }

  #reclaim(now: number): void {
    for (const [id, until] of this.#seen) {
      this.stats.examined++;
      if (until > now) return;
      this.#seen.delete(id);
      this.stats.expired++;
    }
  }
}
