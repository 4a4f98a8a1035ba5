import { afterAll, describe, expect, it } from 'vitest';
import { isNetcredError } from '../../core/index.js';
import {
  createVerifier,
  createVerifierApp,
  DEFAULT_MAX_OUTSTANDING_NONCES,
  emptyTrustBundle,
  listenApp,
  NonceStore,
  NonceStoreFullError,
  TrustStore,
  type RunningServer,
} from '../../verifier/index.js';

const TTL = 300;

/** A clock the test moves by hand (ms since the epoch). */
function manualClock(start = 1_700_000_000_000) {
  let t = start;
  return { now: () => t, advance: (ms: number) => void (t += ms) };
}

function fill(store: NonceStore, n: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < n; i++) out.push(store.issue().nonce);
  return out;
}

function refusal(fn: () => unknown): NonceStoreFullError {
  try {
    fn();
  } catch (err) {
    if (err instanceof NonceStoreFullError) return err;
    throw err;
  }
  throw new Error('expected NONCE_STORE_FULL');
}

describe('NonceStore with 100,000 outstanding nonces', () => {
  const clock = manualClock();
  const store = new NonceStore(TTL, 200_000, clock.now);
  const nonces = fill(store, 100_000);

  it('issue and consume each examine O(1) entries, counted', () => {
    expect(store.size).toBe(100_000);
    let before = store.stats.examined;
    store.issue();
    // the live head, and nothing else (the old code scanned all 100,000)
    expect(store.stats.examined - before).toBe(1);

    before = store.stats.examined;
    expect(store.consume(nonces[50_000]!)).toBe(true);
    expect(store.consume(nonces[50_000]!)).toBe(false);
    expect(store.consume('never-issued')).toBe(false);
    expect(store.stats.examined - before).toBe(3);

    // a thousand issue + consume pairs in the middle of the crowd: 2 entries examined per pair
    before = store.stats.examined;
    for (let i = 0; i < 1000; i++) expect(store.consume(store.issue().nonce)).toBe(true);
    expect(store.stats.examined - before).toBe(2000);
    expect(store.size).toBe(100_000);
  });

  it('once they all expire, the next issue reclaims them: each entry is examined once, so it stays O(1) amortized', () => {
    const issuedBefore = store.stats.issued;
    clock.advance(TTL * 1000);
    const before = store.stats.examined;
    const expiredBefore = store.stats.expired;
    store.issue();
    expect(store.size).toBe(1);
    expect(store.stats.expired - expiredBefore).toBe(100_000);
    // every reclaimed entry once, plus nothing more than the new head
    expect(store.stats.examined - before).toBe(100_000);
    expect(store.stats.examined).toBeLessThanOrEqual(3 * (store.stats.issued + store.stats.consumed) + 3);
    expect(store.stats.issued - issuedBefore).toBe(1);
    expect(store.consume(nonces[1]!)).toBe(false);
  });
});

describe('NonceStore cap', () => {
  it(`refuses past the cap (default ${DEFAULT_MAX_OUTSTANDING_NONCES}) with NONCE_STORE_FULL, evicting no live nonce`, () => {
    const clock = manualClock();
    const store = new NonceStore(TTL, undefined, clock.now);
    const nonces = fill(store, DEFAULT_MAX_OUTSTANDING_NONCES);
    const err = refusal(() => store.issue());
    expect(isNetcredError(err, 'NONCE_STORE_FULL')).toBe(true);
    expect(err.retryAfterSeconds).toBe(TTL);
    expect(store.stats.refused).toBe(1);
    expect(store.size).toBe(DEFAULT_MAX_OUTSTANDING_NONCES);
    // the oldest live nonce still works: nothing was evicted to make room
    expect(store.consume(nonces[0]!)).toBe(true);
    // a consumed nonce frees a place
    expect(typeof store.issue().nonce).toBe('string');
    expect(() => store.issue()).toThrow(NonceStoreFullError);
  });

  it('Retry-After counts down to the oldest expiry; expired entries are reclaimed and make room', () => {
    const clock = manualClock();
    const store = new NonceStore(TTL, 3, clock.now);
    const first = store.issue().nonce;
    clock.advance(100_000);
    const [second, third] = fill(store, 2);
    expect(refusal(() => store.issue()).retryAfterSeconds).toBe(TTL - 100);
    clock.advance((TTL - 100) * 1000);
    // the first has expired: issue reclaims it and succeeds
    store.issue();
    expect(store.size).toBe(3);
    expect(store.consume(first)).toBe(false);
    expect(store.consume(second!)).toBe(true);
    expect(store.consume(third!)).toBe(true);
  });

  it('a nonce past its expiry is refused even before it is reclaimed', () => {
    const clock = manualClock();
    const store = new NonceStore(1, 10, clock.now);
    const { nonce } = store.issue();
    clock.advance(1000);
    expect(store.consume(nonce)).toBe(false);
    expect(store.size).toBe(0);
  });

  it('the statistics count each operation: issued, consumed, refused, expired, and every entry looked at', () => {
    const clock = manualClock();
    const store = new NonceStore(TTL, 2, clock.now);
    const stats = () => ({ ...store.stats });
    const first = store.issue().nonce; // an empty head
    expect(stats()).toEqual({ examined: 0, issued: 1, consumed: 0, expired: 0, refused: 0 });
    store.issue(); // the first nonce, live at the head
    expect(stats()).toEqual({ examined: 1, issued: 2, consumed: 0, expired: 0, refused: 0 });
    refusal(() => store.issue()); // the head, then the oldest for Retry-After
    expect(stats()).toEqual({ examined: 3, issued: 2, consumed: 0, expired: 0, refused: 1 });
    expect(store.consume(first)).toBe(true);
    expect(store.consume(first)).toBe(false); // looked up, not there
    expect(stats()).toEqual({ examined: 5, issued: 2, consumed: 1, expired: 0, refused: 1 });
    clock.advance(TTL * 1000);
    store.issue(); // the second nonce, expired at the head and dropped
    expect(stats()).toEqual({ examined: 6, issued: 3, consumed: 1, expired: 1, refused: 1 });
  });

  it('rejects a nonsensical ttl or cap', () => {
    expect(() => new NonceStore(0)).toThrow(/ttl/);
    expect(() => new NonceStore(300, 0)).toThrow(/cap/);
  });
});

describe('POST /nonce when the store is full', () => {
  let server: RunningServer | undefined;
  afterAll(async () => server?.close());

  it('answers 503 temporarily_unavailable with Retry-After and the code, and serves again once a nonce is used', async () => {
    const nonceStore = new NonceStore(TTL, 2);
    const verifier = createVerifier({ trust: new TrustStore(emptyTrustBundle()), nonceStore });
    server = await listenApp(createVerifierApp({ verifier }));
    const post = () => fetch(`${server!.url}/nonce`, { method: 'POST' });
    const issued: string[] = [];
    for (let i = 0; i < 2; i++) {
      const res = await post();
      expect(res.status).toBe(200);
      issued.push(((await res.json()) as { nonce: string }).nonce);
    }
    const full = await post();
    expect(full.status).toBe(503);
    expect(Number(full.headers.get('retry-after'))).toBeGreaterThanOrEqual(TTL - 5);
    expect(Number(full.headers.get('retry-after'))).toBeLessThanOrEqual(TTL);
    expect(full.headers.get('cache-control')).toBe('no-store');
    const body = (await full.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ error: 'temporarily_unavailable', code: 'NONCE_STORE_FULL' });
    expect(body.error_description).toMatch(/too many outstanding nonces/);
    expect(nonceStore.consume(issued[0]!)).toBe(true);
    expect((await post()).status).toBe(200);
  });
});
