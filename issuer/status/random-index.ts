import { randomInt } from 'node:crypto';
import { NetcredError } from '../../core/errors.js';

/**
 * Indexes are drawn uniformly at random, so a credential's position in a list reveals nothing
 * (not its issuance order). Below the fill limit a free one is found in a few draws; this many
 * failed draws mean something is wrong.
 */
export const MAX_INDEX_TRIES = 64;

/** One uniformly random index of a list of `size` entries. */
export function randomIndex(size: number): number {
  return randomInt(size);
}

/** Up to MAX_INDEX_TRIES random draws for an index not in `taken`; marks it taken. */
export function pickFreeIndex(taken: Set<number>, size: number, listId: number): number {
  for (let tries = 0; tries < MAX_INDEX_TRIES; tries++) {
    const candidate = randomIndex(size);
    if (!taken.has(candidate)) {
      taken.add(candidate);
      return candidate;
    }
  }
  throw noFreeIndex(listId);
}

export function noFreeIndex(listId: number): NetcredError {
  return new NetcredError('STATUS_ALLOCATION_FAILED', `no free status index found in list ${listId} after ${MAX_INDEX_TRIES} tries`);
}
