import { createHash } from 'node:crypto';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';

/** What identifies one key-binding proof: the holder key, the nonce and the iat. */
export function replayKey(holderThumbprint: string, nonce: string, iat: number): string {
  return createHash('sha256').update(`${holderThumbprint}\u0000${nonce}\u0000${iat}`).digest('base64url');
}

/**
 * Accepted KB-JWTs, remembered until they would be too old anyway (iat + max age + skew):
 * a second use of the same proof (a screenshot of the QR code) is KB_JWT_REPLAYED.
 * In memory; optionally persisted to a JSON file so a kiosk CLI keeps it between runs.
 */
export class ReplayCache {
  private readonly seen = new Map<string, number>();
  private inserts = 0;

  constructor(
    private readonly options: { file?: string; maxEntries?: number } = {},
  ) {
    if (options.file && existsSync(options.file)) {
      try {
        const data = JSON.parse(readFileSync(options.file, 'utf8')) as Record<string, number>;
        for (const [k, v] of Object.entries(data)) if (typeof v === 'number') this.seen.set(k, v);
      } catch {
        // A corrupt cache file must not stop the kiosk; it is rewritten on the next accept.
      }
    }
  }

  /** True if the proof was seen and has not expired (seconds since the epoch). */
  has(key: string, now: number): boolean {
    const until = this.seen.get(key);
    return until !== undefined && until >= now;
  }

  /** Remembers a proof until `until`; false if it was already there (a replay). */
  remember(key: string, until: number, now: number): boolean {
    if (this.has(key, now)) return false;
    if (++this.inserts % 1024 === 0 || this.seen.size >= (this.options.maxEntries ?? 1_000_000)) this.prune(now);
    this.seen.set(key, until);
    if (this.options.file) this.save(now);
    return true;
  }

  private prune(now: number): void {
    for (const [k, until] of this.seen) if (until < now) this.seen.delete(k);
    // Still full of live proofs: drop the oldest (bounded memory beats an unbounded map).
    const max = this.options.maxEntries ?? 1_000_000;
    while (this.seen.size >= max) this.seen.delete(this.seen.keys().next().value!);
  }

  private save(now: number): void {
    this.prune(now);
    const file = this.options.file!;
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(Object.fromEntries(this.seen)), { mode: 0o600 });
    renameSync(tmp, file);
  }

  get size(): number {
    return this.seen.size;
  }
}
