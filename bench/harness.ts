/**
 * A tiny benchmark harness: each suite measures its rows and the baseline they are compared
 * with in the same run, so ratios hold on any machine. Never used by tests.
 */
export type BenchRow = {
  suite: string;
  name: string;
  opsPerSec: number;
  /** ratio name -> value, e.g. { vsRawSign: 0.93 } */
  ratios?: Record<string, number>;
  /** anything else worth printing: sizes, latencies, targets */
  extra?: Record<string, number | string | boolean>;
};

export interface BenchSuite {
  name: string;
  run(): Promise<BenchRow[]>;
}

/** Runs `fn` repeatedly for about `ms` milliseconds (after a warm-up) and returns operations per second. */
export async function opsPerSecond(fn: () => unknown | Promise<unknown>, ms = Number(process.env.BENCH_MS ?? 1500)): Promise<number> {
  const warmUntil = performance.now() + Math.min(300, ms / 4);
  while (performance.now() < warmUntil) await fn();
  let n = 0;
  const start = performance.now();
  let now = start;
  while (now - start < ms) {
    await fn();
    n++;
    now = performance.now();
  }
  return (n * 1000) / (now - start);
}

/**
 * Runs `fn` with `concurrency` parallel loops and returns the completions per second of the
 * steady state: those that land in a window of `ms` milliseconds that opens after a warm-up
 * (the loops fill the pipeline) and closes before the drain (the last requests in flight
 * finish with nothing behind them). Both ends are run, neither is counted.
 */
export async function opsPerSecondConcurrent(fn: () => Promise<unknown>, concurrency: number, ms = Number(process.env.BENCH_MS ?? 1500)): Promise<number> {
  let n = 0;
  const from = performance.now() + Math.min(300, ms / 4);
  const until = from + ms;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let now = performance.now(); now < until; ) {
        await fn();
        now = performance.now();
        if (now >= from && now < until) n++;
      }
    }),
  );
  return (n * 1000) / ms;
}

export function ratio(a: number, b: number): number {
  return Math.round((a / b) * 1000) / 1000;
}

/** Alternating short rounds, best round of each: load elsewhere on a shared machine hits every side of a ratio. */
export async function bestOfInterleaved(fns: Array<() => unknown>, rounds = 5): Promise<number[]> {
  const ms = Number(process.env.BENCH_MS ?? 1500) / rounds;
  const best = fns.map(() => 0);
  for (let r = 0; r < rounds; r++) {
    for (const [i, fn] of fns.entries()) best[i] = Math.max(best[i]!, await opsPerSecond(fn, ms));
  }
  return best;
}
