import { createHash } from 'node:crypto';

/**
 * KB-JWTs already received, by SHA-256. A KB-JWT carries one request's nonce, so a copy posted
 * to another state would fail the nonce check anyway; refusing it by name (KB_JWT_REPLAYED)
 * first tells the operator what happened. Entries outlive any KB-JWT the verifier still accepts.
 */
export class ReplayGuard {
  readonly #seen = new Map<string, number>();
  readonly #ttlMs: number;
  readonly #max: number;

  constructor(options: { ttlMs?: number; max?: number } = {}) {
    this.#ttlMs = options.ttlMs ?? 15 * 60_000;
    this.#max = options.max ?? 100_000;
  }

  /** Records the token; false when it was already seen. */
  firstUse(token: string, now = Date.now()): boolean {
    const id = createHash('sha256').update(token).digest('base64url');
    const until = this.#seen.get(id);
    if (until !== undefined && until > now) return false;
    if (this.#seen.size >= this.#max) this.#sweep(now);
    // Still full of live entries: forget the oldest rather than grow without bound.
    if (this.#seen.size >= this.#max) this.#seen.delete(this.#seen.keys().next().value!);
    this.#seen.set(id, now + this.#ttlMs);
    return true;
  }

  #sweep(now: number): void {
    for (const [id, until] of this.#seen) if (until <= now) this.#seen.delete(id);
  }
}
