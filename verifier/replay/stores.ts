/** A value now (an in-memory store) or later (a shared store over the network). */
export type Awaitable<T> = T | Promise<T>;

/**
 * The verifier's nonces for `upgraded` presentations: each issued nonce is accepted once,
 * anywhere the store is shared. `NonceStore` (memory, one process) and the Redis store of
 * verifier/state/redis.ts implement it; the pipeline awaits whichever it is given.
 */
export interface NonceStoreLike {
  readonly ttlSeconds: number;
  issue(): Awaitable<{ nonce: string; expiresIn: number }>;
  /** True once for an issued, unexpired nonce; the nonce is gone afterwards either way. */
  consume(nonce: string): Awaitable<boolean>;
}

/**
 * Accepted key-binding proofs (KB_JWT_REPLAYED): `remember` is an atomic set-if-absent, true only
 * for the first use of a key while it lives (until `untilSeconds`). `ReplayCache` (memory, with an
 * optional file for the CLI) and the Redis store implement it.
 */
export interface ReplayCacheLike {
  remember(key: string, untilSeconds: number, nowSeconds: number): Awaitable<boolean>;
}
