import { randomBytes } from 'node:crypto';

/**
 * Nonces this verifier issued (for the `upgraded` profile and OpenID4VP requests): each is
 * single use and expires. In memory; a restart invalidates outstanding nonces, which is safe.
 */
export class NonceStore {
  private readonly nonces = new Map<string, number>();
  constructor(
    readonly ttlSeconds = 300,
    private readonly maxOutstanding = 100_000,
    private readonly clock: () => number = () => Date.now(),
  ) {}

  /** A fresh 128-bit nonce, valid for ttlSeconds. */
  issue(): { nonce: string; expiresIn: number } {
    this.prune();
    if (this.nonces.size >= this.maxOutstanding) this.nonces.delete(this.nonces.keys().next().value!);
    const nonce = randomBytes(16).toString('base64url');
    this.nonces.set(nonce, this.clock() + this.ttlSeconds * 1000);
    return { nonce, expiresIn: this.ttlSeconds };
  }

  /** True once for an issued, unexpired nonce; the nonce is gone afterwards either way. */
  consume(nonce: string): boolean {
    const expires = this.nonces.get(nonce);
    if (expires === undefined) return false;
    this.nonces.delete(nonce);
    return expires > this.clock();
  }

  private prune(): void {
    const now = this.clock();
    for (const [n, exp] of this.nonces) if (exp <= now) this.nonces.delete(n);
  }

  get size(): number {
    return this.nonces.size;
  }
}
