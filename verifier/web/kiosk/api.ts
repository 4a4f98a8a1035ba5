import { fetchJson } from '../../../core/web/fetch.js';

/** What POST /verify answers (verifier/result.ts; the fields the page reads). */
export type VerifyAnswer = { valid: boolean; code?: string; message?: string; claims: Record<string, unknown>; profile: string | null };

/** GET /trust/status (verifier/http/trust-status.ts). */
export type TrustStatus = {
  bundle_updated_at: string;
  bundle_age_seconds: number;
  issuers: number;
  max_status_age_seconds: number;
  status_lists: { uri: string; age_seconds: number; ttl_seconds?: number; past_ttl: boolean; stale: boolean }[];
  past_ttl: number;
  stale: number;
};

/** POST /oid4vp/requests (201) and GET /oid4vp/requests/{id}/verdict. */
export type CreatedRequest = { id: string; uri: string; expires_at: string };
export type OidVerdict = {
  status: 'pending' | 'valid' | 'invalid' | 'expired';
  code?: string;
  message?: string;
  profile?: string;
  credentials?: { claims: Record<string, unknown> }[];
};

// The page is served at <verifier>/kiosk/: the API is one level up, whatever path the verifier is mounted at.
const api = (path: string) => new URL(`../${path}`, document.baseURI).href;

/** The lite QR text as scanned (an NC1 payload: the verifier decodes it, docs/qr-transport.md). */
export function verifyQr(text: string): Promise<VerifyAnswer> {
  return fetchJson<VerifyAnswer>(api('verify'), { method: 'POST', json: { presentation: text, profile: 'lite' }, timeoutMs: 15_000 });
}

export function readTrustStatus(): Promise<TrustStatus> {
  return fetchJson<TrustStatus>(api('trust/status'), { timeoutMs: 10_000 });
}

export function createUpgradedRequest(adminToken: string): Promise<CreatedRequest> {
  return fetchJson<CreatedRequest>(api('oid4vp/requests'), { method: 'POST', json: { profile: 'upgraded' }, bearer: adminToken, timeoutMs: 15_000 });
}

export function readVerdict(id: string, adminToken: string): Promise<OidVerdict> {
  return fetchJson<OidVerdict>(api(`oid4vp/requests/${encodeURIComponent(id)}/verdict`), { bearer: adminToken, timeoutMs: 10_000 });
}
