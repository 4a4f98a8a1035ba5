import type { Verifier } from '../verify.js';

/** One status list of the bundle as the kiosk page shows it (snake_case like the rest of the API). */
export type StatusListState = {
  uri: string;
  issuer: string;
  fetched_at: string;
  age_seconds: number;
  ttl_seconds?: number;
  /** Older than its ttl: still used offline (until max_status_age_seconds or its exp), but a sync is due. */
  past_ttl: boolean;
  expires_at?: string;
  /** Past its exp, or older than max_status_age_seconds: every credential on it is refused (STATUS_LIST_STALE). */
  stale: boolean;
};

export type TrustStatus = {
  now: string;
  bundle_updated_at: string;
  bundle_age_seconds: number;
  issuers: number;
  max_status_age_seconds: number;
  status_lists: StatusListState[];
  /** Lists of the bundle refused at load (STATUS_LIST_MISMATCH for their credentials). */
  refused_status_lists: { uri: string; reason: string }[];
  /** How many usable lists are past their ttl, and how many stale. */
  past_ttl: number;
  stale: number;
};

const iso = (seconds: number) => new Date(seconds * 1000).toISOString();

/** How old the trust bundle and each of its status lists is at `nowMs` (GET /trust/status). */
export function trustStatus(verifier: Verifier, nowMs: number = Date.now()): TrustStatus {
  const { trust } = verifier;
  const now = Math.floor(nowMs / 1000);
  const maxAge = verifier.maxStatusAgeSeconds;
  const lists = trust
    .statusLists()
    .map((l): StatusListState => {
      const age = Math.max(0, now - l.fetchedAt);
      return {
        uri: l.uri,
        issuer: l.issuer,
        fetched_at: iso(l.fetchedAt),
        age_seconds: age,
        ...(l.ttl !== undefined ? { ttl_seconds: l.ttl } : {}),
        past_ttl: l.ttl !== undefined && age > l.ttl,
        ...(l.exp !== undefined ? { expires_at: iso(l.exp) } : {}),
        stale: age > maxAge || (l.exp !== undefined && now >= l.exp),
      };
    })
    .sort((a, b) => a.uri.localeCompare(b.uri));
  const updated = Date.parse(trust.bundle.updatedAt);
  return {
    now: new Date(now * 1000).toISOString(),
    bundle_updated_at: trust.bundle.updatedAt,
    bundle_age_seconds: Number.isFinite(updated) ? Math.max(0, now - Math.floor(updated / 1000)) : 0,
    issuers: trust.issuerIds().length,
    max_status_age_seconds: maxAge,
    status_lists: lists,
    refused_status_lists: trust.refusedStatusLists(),
    past_ttl: lists.filter((l) => l.past_ttl).length,
    stale: lists.filter((l) => l.stale).length,
  };
}
