import { createHash } from 'node:crypto';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import type { ReplayCacheLike } from './stores.js';

/** What identifies one key-binding proof: the holder key, the nonce and the iat. */
export function replayKey(holderThumbprint: string, nonce: string, iat: number): string {
  return createHash('sha256').update(`${holderThumbprint}\u0000${nonce}\u0000${iat}`).digest('base64url');
}

/** Below this many entries, a full scan for stray expired proofs runs every SCAN_MIN inserts. */
const SCAN_MIN = 1024;

/**
 * Accepted KB-JWTs, remembered until they would be too old anyway (iat + max age + skew):
 * a second use of the same proof (a screenshot of the QR code) is KB_JWT_REPLAYED.
 * In memory; optionally persisted to a JSON file so a kiosk CLI keeps it between runs. Several
 * verifier processes share theirs through Redis instead (verifier/state/redis.ts).
 *
 * Proofs arrive roughly in expiry order (their iat is seconds old), so each insert drops the
 * expired ones at the head of the Map; the few that arrived out of order go in a full scan run
 * once per max(1024, size/4) inserts. Either way an insert examines O(1) entries amortized
 * (`stats.examined`), also when the cache is full.
 */
export class ReplayCache implements ReplayCacheLike {
  private readonly seen = new Map<string, number>();
  private sinceScan = 0;
  readonly stats = { examined: 0, expired: 0, evicted: 0, scans: 0 };

  constructor(private readonly options: { file?: string; maxEntries?: number } = {}) {
    if (options.file && existsSync(options.file)) {
      try {
        const data = JSON.parse(readFileSync(options.file, 'utf8')) as Record<string, number>;
        for (const [k, v] of Object.entries(data)) if (typeof v === 'number') this.seen.set(k, v);
      } catch {
        // A corrupt cache file must not stop the kiosk; it is rewritten on the next accept.
      }
    }
  }

  private get max(): number {
    return this.options.maxEntries ?? 1_000_000;
  }

  /** True if the proof was seen and has not expired (seconds since the epoch). */
  has(key: string, now: number): boolean {
    this.stats.examined++;
    const until = this.seen.get(key);
    return until !== undefined && until >= now;
  }

  /** Remembers a proof until `until`; false if it was already there (a replay). */
  remember(key: string, until: number, now: number): boolean {
    if (this.has(key, now)) return false;
    // An expired entry of the same key goes, so the new one is appended in expiry order.
    this.seen.delete(key);
    this.reclaimHead(now);
    if (++this.sinceScan >= Math.max(SCAN_MIN, this.seen.size >>> 2)) this.scan(now);
    // Still full of live proofs: drop the oldest (bounded memory beats an unbounded map).
    while (this.seen.size >= this.max) {
      this.seen.delete(this.seen.keys().next().value!);
      this.stats.examined++;
      this.stats.evicted++;
    }
    this.seen.set(key, until);
    if (this.options.file) this.save(now);
    return true;
  }

  /** Drops expired proofs from the head, up to the first live one (each entry is dropped once). */
  private reclaimHead(now: number): void {
    for (const [k, until] of this.seen) {
      this.stats.examined++;
      if (until >= now) return;
      this.seen.delete(k);
      this.stats.expired++;
    }
  }

  /** Drops every expired proof, wherever it is in the Map. */
  private scan(now: number): void {
    this.sinceScan = 0;
    this.stats.scans++;
    for (const [k, until] of this.seen) {
      this.stats.examined++;
      if (until < now) {
        this.seen.delete(k);
        this.stats.expired++;
      }
    }
  }

  private save(now: number): void {
    // Writing the file costs O(size) anyway: drop every expired proof first.
    this.scan(now);
    const file = this.options.file!;
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(Object.fromEntries(this.seen)), { mode: 0o600 });
    renameSync(tmp, file);
  }

  get size(): number {
    return this.seen.size;
  }
}
