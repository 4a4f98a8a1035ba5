import type { DataSource } from 'typeorm';

/** What a call in an offer's lane learns from the calls before it. */
export type Lane = {
  /** An earlier call saw the offer leave `pending` for good (redeemed, burned, expired). */
  readonly settled: boolean;
  /** Marks the offer as out of `pending` for the calls still waiting in this lane. */
  settle(): void;
};

type State = { tail: Promise<unknown>; waiting: number; settled: boolean };

const lanes = new WeakMap<DataSource, Map<string, State>>();

/**
 * Token requests for one offer run one at a time in this process (a promise queue per key, the
 * hash of its pre-authorized code, and data source), so concurrent guesses of its tx_code are
 * checked in turn and each sees the count the one before it left. Across processes the database
 * does the same (the count is read and written in one write transaction). A lane is dropped
 * once nobody waits in it.
 */
export function inOfferLane<T>(ds: DataSource, key: string, fn: (lane: Lane) => Promise<T>): Promise<T> {
  let byOffer = lanes.get(ds);
  if (!byOffer) lanes.set(ds, (byOffer = new Map()));
  let state = byOffer.get(key);
  if (!state) byOffer.set(key, (state = { tail: Promise.resolve(), waiting: 0, settled: false }));
  const s = state;
  s.waiting++;
  const lane: Lane = {
    get settled() {
      return s.settled;
    },
    settle() {
      s.settled = true;
    },
  };
  const run = s.tail.then(() => fn(lane));
  s.tail = run.then(
    () => undefined,
    () => undefined,
  );
  void s.tail.then(() => {
    if (--s.waiting === 0 && byOffer.get(key) === s) byOffer.delete(key);
  });
  return run;
}
