import { ReplayGuard } from '../oid4vp/replay-guard.js';
import { RequestStore, type RequestStoreOptions } from '../oid4vp/request-store.js';
import { NonceStore } from '../replay/nonce-store.js';
import { ReplayCache } from '../replay/replay-cache.js';
import type { VerifierState } from './types.js';

/** Bounds of the in-process verifier state: nonce lifetime and count, replay cache size, open requests. */
export type MemoryStateOptions = { nonceTtlSeconds?: number; maxNonces?: number; replay?: { maxEntries?: number }; requests?: RequestStoreOptions };

/** Today's stores, in this process's memory: the default of one verifier process. */
export function memoryState(
  options: MemoryStateOptions = {},
): VerifierState & { nonces: NonceStore; replay: ReplayCache; requests: RequestStore; responseReplay: ReplayGuard } {
  return {
    backend: 'memory',
    nonces: new NonceStore(options.nonceTtlSeconds, options.maxNonces),
    replay: new ReplayCache(options.replay),
    requests: new RequestStore(options.requests),
    responseReplay: new ReplayGuard(),
    health: async () => ({ backend: 'memory', status: 'ok' }),
    close: async () => undefined,
  };
}
