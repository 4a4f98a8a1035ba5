import { NetcredError } from '../../core/errors.js';
import { bitstringStatusRefs, tokenStatusRef } from '../../core/status/reference.js';
import { STATUS_INVALID, STATUS_SUSPENDED, STATUS_VALID } from '../../core/status/status-list.js';
import { VerificationError } from '../errors.js';
import { listBindingError } from './list-binding.js';
import type { TrustStore } from '../trust/store.js';
import type { CachedStatusList } from '../trust/status-lists.js';
import { syncCommand } from '../sync-hint.js';

export type StatusPolicy = {
  /** A list past its `ttl` is still used until it is this old (seconds since fetched); then STATUS_LIST_STALE. */
  maxStatusAgeSeconds: number;
  /** A credential without any status reference is rejected (STATUS_UNKNOWN) unless this is false. */
  requireStatus: boolean;
};

export type StatusOutcome = {
  /** 0 VALID (IETF values; the W3C bits map to 1 revoked / 2 suspended); null when the credential has no status. */
  value: number | null;
  /** Seconds since the list was fetched (the oldest list consulted). */
  listAge: number | null;
  /** The list is past its `ttl` but still within maxStatusAge. */
  pastTtl?: boolean;
  uri?: string;
};

/**
 * The list the credential references, if it may answer for it: in the bundle (STATUS_UNKNOWN
 * otherwise; STATUS_LIST_MISMATCH if the bundle's list under that URL was refused at load),
 * bound to that URL and to the credential's issuer (STATUS_LIST_MISMATCH), not expired and not
 * older than maxStatusAge (STATUS_LIST_STALE).
 */
function usable(store: TrustStore, uri: string, issuer: string, now: number, policy: StatusPolicy): { list: CachedStatusList; age: number; pastTtl: boolean } {
  const list = store.statusList(uri);
  if (!list) {
    const refused = store.refusedStatusList(uri);
    if (refused !== undefined) throw new VerificationError('STATUS_LIST_MISMATCH', refused);
    throw new VerificationError(
      'STATUS_UNKNOWN',
      `no status list ${uri} in the trust bundle: refresh the bundle while online with ${syncCommand(store.issuer(issuer)?.entry.source)}`,
    );
  }
  const unbound = listBindingError(list.self, { uri, issuer }, now);
  if (unbound) throw unbound;
  const age = Math.max(0, now - list.fetchedAt);
  if (age > policy.maxStatusAgeSeconds)
    throw new VerificationError('STATUS_LIST_STALE', `status list ${uri} was fetched ${age} s ago (max ${policy.maxStatusAgeSeconds} s)`);
  return { list, age, pastTtl: list.ttl !== undefined && age > list.ttl };
}

function verdict(value: number, uri: string): void {
  if (value === STATUS_VALID) return;
  if (value === STATUS_INVALID) throw new VerificationError('STATUS_REVOKED', `the credential is revoked (list ${uri})`);
  if (value === STATUS_SUSPENDED) throw new VerificationError('STATUS_SUSPENDED', `the credential is suspended (list ${uri})`);
  // 3 and 0x0C-0x0F are application specific: a verifier that does not know them must not accept.
  throw new VerificationError('STATUS_UNKNOWN', `status value ${value} is not one this verifier understands (list ${uri})`);
}

function at(read: () => number): number {
  try {
    return read();
  } catch (cause) {
    if (cause instanceof NetcredError && cause.code === 'STATUS_INDEX_OUT_OF_RANGE') throw new VerificationError('STATUS_UNKNOWN', cause.message, { cause });
    throw cause;
  }
}

function refError<T>(read: () => T): T {
  try {
    return read();
  } catch (cause) {
    if (cause instanceof NetcredError && cause.code === 'STATUS_TYPE_UNSUPPORTED') throw new VerificationError('STATUS_UNKNOWN', cause.message, { cause });
    throw new VerificationError('MALFORMED', (cause as Error).message, { cause });
  }
}

/** The common, well-formed `status.status_list` read without re-validating its URI (the cache lookup is by exact string). */
function quickTokenRef(payload: Record<string, unknown>): { idx: number; uri: string } | undefined {
  const status = payload.status as { status_list?: { idx?: unknown; uri?: unknown } } | undefined;
  const sl = status && typeof status === 'object' ? status.status_list : undefined;
  if (!sl || typeof sl !== 'object' || typeof sl.uri !== 'string' || typeof sl.idx !== 'number' || !Number.isSafeInteger(sl.idx) || sl.idx < 0)
    return undefined;
  return { idx: sl.idx, uri: sl.uri };
}

/** Looks the credential up in the cached lists only (IETF token status list, or W3C bitstring entries). */
export function checkStatus(payload: Record<string, unknown>, issuer: string, store: TrustStore, now: number, policy: StatusPolicy): StatusOutcome {
  const tokenRef = quickTokenRef(payload) ?? refError(() => tokenStatusRef(payload));
  if (tokenRef) {
    const { list, age, pastTtl } = usable(store, tokenRef.uri, issuer, now, policy);
    if (list.kind !== 'token') throw new VerificationError('STATUS_UNKNOWN', `${tokenRef.uri} is not a token status list`);
    const value = at(() => list.list.get(tokenRef.idx));
    verdict(value, tokenRef.uri);
    return { value, listAge: age, pastTtl, uri: tokenRef.uri };
  }
  const entries = refError(() => bitstringStatusRefs(payload));
  if (entries.length === 0) {
    if (policy.requireStatus) throw new VerificationError('STATUS_UNKNOWN', 'the credential has no status reference and this verifier requires one');
    return { value: null, listAge: null };
  }
  let oldest = 0;
  let anyPastTtl = false;
  for (const e of entries) {
    if (e.statusPurpose !== 'revocation' && e.statusPurpose !== 'suspension') continue; // refresh / message carry no verdict
    if (e.statusSize !== 1) throw new VerificationError('STATUS_UNKNOWN', `statusSize ${e.statusSize} is not supported`);
    const { list, age, pastTtl } = usable(store, e.statusListCredential, issuer, now, policy);
    if (list.kind !== 'bitstring') throw new VerificationError('STATUS_UNKNOWN', `${e.statusListCredential} is not a bitstring status list`);
    if (!list.purposes.includes(e.statusPurpose))
      throw new VerificationError('STATUS_UNKNOWN', `${e.statusListCredential} is a ${list.purposes.join('/') || 'purposeless'} list, not ${e.statusPurpose}`);
    const set = at(() => (list.list.get(e.statusListIndex) ? 1 : 0));
    if (set) verdict(e.statusPurpose === 'revocation' ? STATUS_INVALID : STATUS_SUSPENDED, e.statusListCredential);
    oldest = Math.max(oldest, age);
    anyPastTtl ||= pastTtl;
  }
  return { value: STATUS_VALID, listAge: oldest, pastTtl: anyPastTtl, uri: entries[0]!.statusListCredential };
}
