// A type of the wallet page's API with no import: the server (views.ts) and the page
// (holder/web/wallet/client.ts, DOM-only typecheck) share it.

/** What the page shows of a credential: valid, suspended, revoked (deleted by a sync of this launch) or unknown (never checked, or no status list). */
export type CredentialView = {
  id: string;
  vct?: string;
  iss: string;
  format: string;
  state: 'valid' | 'suspended' | 'revoked' | 'unknown';
  expiresAt?: number;
  importedAt: number;
  checkedAt?: number;
  name?: string;
};
