import { fetchJson } from '../../../core/web/fetch.js';

/**
 * The admin API the console uses, by URLs relative to the page (<base>/console/ -> <base>/admin/...),
 * so it works under an issuer's public URL path too. Every call sends the admin token as a bearer.
 */
const api = (path: string) => new URL(`../admin/${path}`, document.baseURI).href;

export type StatusName = 'valid' | 'revoked' | 'suspended';
export type AuditEntry = { id: number; credentialId: string; from: StatusName; to: StatusName; reason: string; actor: string; at: string };
export type StatusRecord = { credentialId: string; listId: number; idx: number; uri: string; status: StatusName; reason: string | null; updatedAt: string };
export type CredentialView = {
  id: string;
  vct: string;
  format: string;
  holderDid: string;
  issuedAt: string;
  expiresAt: string;
  supersededBy: string | null;
  status: StatusRecord | null;
  history: AuditEntry[];
};
export type EnrollmentOffer = { offerId: string; offer: string; offerUri: string; txCode?: string; expiresAt: string };
export type EnrollmentRequest = { claims: unknown; evidence: unknown; txCode: boolean; format: string };

/** Any admin call: answers whether the token is accepted (the cheapest admin read). */
export function checkToken(token: string): Promise<unknown> {
  return fetchJson(api('audit?limit=1'), { bearer: token });
}

export function createOffer(token: string, body: EnrollmentRequest): Promise<EnrollmentOffer> {
  return fetchJson<EnrollmentOffer>(api('enrollments'), { method: 'POST', bearer: token, json: body });
}

export function searchCredentials(token: string, query: string): Promise<{ credentials: CredentialView[]; truncated: boolean }> {
  const param = query.startsWith('did:') ? 'holder' : 'id';
  return fetchJson(api(`credentials?${param}=${encodeURIComponent(query)}`), { bearer: token });
}

export type StatusAction = 'revoke' | 'suspend' | 'reinstate';

export function changeStatus(token: string, id: string, action: StatusAction, reason: string): Promise<StatusRecord & { changed: boolean }> {
  return fetchJson(api(`credentials/${encodeURIComponent(id)}/${action}`), { method: 'POST', bearer: token, json: { reason } });
}

export function deviceLost(token: string, holderDid: string): Promise<{ credentialIds: string[]; revoked: string[] }> {
  return fetchJson(api('device-lost'), { method: 'POST', bearer: token, json: { holderDid } });
}

/** One page of the audit log, oldest first: the newest `limit` entries, or those older than entry `before`. */
export function auditLog(token: string, limit: number, before?: number): Promise<{ entries: AuditEntry[] }> {
  return fetchJson(api(`audit?limit=${limit}${before !== undefined ? `&before=${before}` : ''}`), { bearer: token });
}
