import { fetchJson } from '../../../core/web/fetch.js';
import type { CredentialView } from '../../ui-server/credential-view.js';

export type { CredentialView };

/** sessionStorage key of this launch's token (the #t= of the URL `netcred wallet ui` printed). */
const TOKEN_KEY = 'netcred.wallet.session';

/**
 * The session token: taken from the URL fragment on first load (then removed from the address
 * bar and kept for this tab only), else the one this tab kept.
 */
export function sessionToken(): string | undefined {
  const m = /(?:^#|&)t=([A-Za-z0-9_-]{16,128})(?:&|$)/.exec(location.hash);
  if (m) {
    try {
      sessionStorage.setItem(TOKEN_KEY, m[1]!);
    } catch {
      // storage blocked: the token lives as long as the page
    }
    history.replaceState(null, '', `${location.pathname}${location.search}`);
    return m[1];
  }
  try {
    return sessionStorage.getItem(TOKEN_KEY) ?? undefined;
  } catch {
    return undefined;
  }
}

export type WalletState = { locked: boolean; failures: number; retryAfterMs: number; lockAfterMs: number; lastSyncAt?: number };
export type Claim = { path: (string | number | null)[]; value: unknown };
export type PlanView = { credentialQueryId: string; credentialId: string; vct?: string; iss: string; claims: Claim[] };
export type VerifierView = { clientId: string; verifierName?: string; clientName?: string; certifiedBy?: string; responseUri: string };
export type LiteQr = {
  payload: string;
  version: number;
  chars: number;
  aud: string;
  iat: number;
  credentialId: string;
  disclosed: Claim[];
  refreshInMs: number;
  validForMs: number;
};
export type Consent = { id: string; verifier: VerifierView; plan: PlanView[] };
export type SyncResult = { at: number; deleted: unknown[]; suspended: unknown[]; valid: unknown[]; unchecked: unknown[]; errors: unknown[] };

/** The page's calls to its server's /api (relative URLs: the page is served at /). */
export function walletClient(token: string | undefined) {
  const call = <T>(method: 'GET' | 'POST', path: string, json?: unknown, automatic = false) =>
    fetchJson<T>(`api/${path}`, {
      method,
      ...(json !== undefined ? { json } : {}),
      ...(token ? { bearer: token } : {}),
      ...(automatic ? { headers: { 'x-netcred-automatic': '1' } } : {}),
      timeoutMs: 30_000,
    });
  return {
    state: () => call<WalletState>('GET', 'state'),
    unlock: (pin: string) => call<{ unlocked: true }>('POST', 'unlock', { pin }),
    lock: () => call<{ locked: true }>('POST', 'lock', {}),
    credentials: () => call<{ credentials: CredentialView[]; lastSyncAt?: number }>('GET', 'credentials'),
    liteQr: (automatic: boolean) => call<LiteQr>('POST', 'lite-qr', {}, automatic),
    openRequest: (uri: string) => call<Consent>('POST', 'requests', { uri }),
    decide: (id: string, send: boolean) =>
      call<{ status: 'sent' | 'declined'; verifier?: VerifierView; plan?: PlanView[]; redirectUri?: string }>('POST', `requests/${encodeURIComponent(id)}`, {
        send,
      }),
    acceptOffer: (offer: string, txCode: string) =>
      call<{ credentialIssuer: string; credentials: CredentialView[] }>('POST', 'offers', { offer, ...(txCode ? { txCode } : {}) }),
    sync: () => call<SyncResult>('POST', 'sync', {}),
  };
}

export type WalletClient = ReturnType<typeof walletClient>;
