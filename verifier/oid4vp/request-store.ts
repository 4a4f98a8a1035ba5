import { NetcredError } from '../../core/errors.js';
import type { Awaitable } from '../replay/stores.js';
import type { PendingRequest, Verdict, VerifiedCredential } from './types.js';

export type RequestEntry = { request: PendingRequest; verdict: Verdict };

export type ClaimResult = { ok: true; entry: RequestEntry } | { ok: false; reason: 'unknown' | 'expired' | 'used' };

export type SettleOutcome =
  | { valid: true; credentials: VerifiedCredential[] }
  | { valid: false; code: string; message: string; credentials?: VerifiedCredential[] };

/**
 * The OpenID4VP requests and verdicts the routes need: `RequestStore` (memory, one process) or
 * the Redis store of verifier/state/redis.ts (any verifier node answers any request). `claim` is
 * the single-use step: for one state, exactly one caller anywhere gets `ok: true`.
 */
export interface RequestStoreLike {
  add(request: PendingRequest, now?: number): Awaitable<RequestEntry>;
  /** The entry by request id, its verdict up to date (a pending request past expiry is expired). */
  byId(id: string, now?: number): Awaitable<RequestEntry | undefined>;
  byState(state: string, now?: number): Awaitable<RequestEntry | undefined>;
  claim(state: string, now?: number): Awaitable<ClaimResult>;
  /** Records the final verdict of a claimed entry (also on `entry.verdict`) and returns it. */
  settle(entry: RequestEntry, outcome: SettleOutcome): Awaitable<Verdict>;
}

/** A new request's verdict: pending, naming its profile (built-in, or a registered type's by name). */
export function pendingVerdict(request: PendingRequest): Verdict {
  const profile = request.profile ?? request.typeProfile?.name;
  return { id: request.id, state: request.state, status: 'pending', expiresAt: request.expiresAt, ...(profile ? { profile } : {}) };
}

export type RequestStoreOptions = {
  /** Live requests kept at most; creation beyond it is refused (a flood cannot exhaust memory). */
  maxRequests?: number;
  /** How long a settled or expired verdict stays readable by the kiosk, in ms. */
  retainMs?: number;
};

/**
 * The verifier's open OpenID4VP requests, by id (request_uri) and by state (response), with
 * their verdicts. In memory: a request lives minutes and a restart invalidates every QR code
 * shown, which is the safe outcome. Single-threaded JS makes `claim` atomic: a state is
 * consumed before any await, so two concurrent answers cannot both be processed.
 */
export class RequestStore implements RequestStoreLike {
  readonly #byId = new Map<string, RequestEntry>();
  readonly #byState = new Map<string, RequestEntry>();
  readonly #max: number;
  readonly #retainMs: number;
  #adds = 0;

  constructor(options: RequestStoreOptions = {}) {
    this.#max = options.maxRequests ?? 10_000;
    this.#retainMs = options.retainMs ?? 10 * 60_000;
  }

  get size(): number {
    return this.#byId.size;
  }

  add(request: PendingRequest, now = Date.now()): RequestEntry {
    // Expiry is checked on every read; sweeping only frees memory, so it runs now and then.
    if (++this.#adds % 256 === 0 || this.#byId.size >= this.#max) this.sweep(now);
    if (this.#byId.size >= this.#max) throw new NetcredError('TOO_MANY_REQUESTS', `too many open OpenID4VP requests (${this.#max})`);
    const entry: RequestEntry = { request, verdict: pendingVerdict(request) };
    this.#byId.set(request.id, entry);
    this.#byState.set(request.state, entry);
    return entry;
  }

  /** The entry by request id, with its verdict brought up to date (a pending request past expiry is expired). */
  byId(id: string, now = Date.now()): RequestEntry | undefined {
    return this.#fresh(this.#byId.get(id), now);
  }

  byState(state: string, now = Date.now()): RequestEntry | undefined {
    return this.#fresh(this.#byState.get(state), now);
  }

  /** Takes the state for one response: afterwards every other response for it is refused as used. */
  claim(state: string, now = Date.now()): ClaimResult {
    const entry = this.byState(state, now);
    if (!entry) return { ok: false, reason: 'unknown' };
    if (entry.verdict.status === 'expired') return { ok: false, reason: 'expired' };
    if (entry.verdict.status !== 'pending' || entry.verdict.respondedAt !== undefined) return { ok: false, reason: 'used' };
    entry.verdict.respondedAt = now;
    return { ok: true, entry };
  }

  settle(entry: RequestEntry, outcome: SettleOutcome): Verdict {
    return settleVerdict(entry.verdict, outcome);
  }

  /** Drops entries whose verdict nobody needs any more. */
  sweep(now = Date.now()): void {
    for (const [id, entry] of this.#byId) {
      const end = Math.max(entry.request.expiresAt, entry.verdict.respondedAt ?? 0) + this.#retainMs;
      if (now > end) {
        this.#byId.delete(id);
        this.#byState.delete(entry.request.state);
      }
    }
  }

  #fresh(entry: RequestEntry | undefined, now: number): RequestEntry | undefined {
    if (entry && entry.verdict.status === 'pending' && entry.verdict.respondedAt === undefined && now >= entry.request.expiresAt) {
      entry.verdict.status = 'expired';
    }
    return entry;
  }
}

/** Writes a final outcome into a verdict (in place) and returns it. */
export function settleVerdict(v: Verdict, outcome: SettleOutcome): Verdict {
  if (outcome.valid) {
    v.status = 'valid';
    v.credentials = outcome.credentials;
  } else {
    v.status = 'invalid';
    v.code = outcome.code;
    v.message = outcome.message;
    if (outcome.credentials) v.credentials = outcome.credentials;
  }
  return v;
}
