import type { DataSource } from 'typeorm';
import type { StorageError } from '../../core/errors.js';

/** The write health of one store: degraded from a failed write until a write succeeds again. */
export type StoreHealth = { status: 'ok' } | { status: 'degraded'; code: StorageError['code']; message: string; since: string };

const degraded = new WeakMap<DataSource, { error: StorageError; since: Date; lastFailure: number }>();

export function noteStoreFailure(ds: DataSource, error: StorageError): void {
  const d = degraded.get(ds);
  if (d) Object.assign(d, { error, lastFailure: Date.now() });
  else degraded.set(ds, { error, since: new Date(), lastFailure: Date.now() });
}

/** When the store last failed a write (ms since the epoch), or undefined while it is healthy. */
export function lastStoreFailure(ds: DataSource): number | undefined {
  return degraded.get(ds)?.lastFailure;
}

export function noteStoreSuccess(ds: DataSource): void {
  degraded.delete(ds);
}

export function storeHealth(ds: DataSource): StoreHealth {
  const d = degraded.get(ds);
  return d ? { status: 'degraded', code: d.error.code, message: d.error.message, since: d.since.toISOString() } : { status: 'ok' };
}
