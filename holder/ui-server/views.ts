import type { DisclosurePlan } from '../present/create.js';
import type { ResponseSummary } from '../oid4vp/respond.js';
import type { StoredCredentialInfo } from '../store/credentials.js';
import type { CredentialView } from './credential-view.js';
import type { WalletSession } from './session.js';

export type { CredentialView };

export function credentialView(c: StoredCredentialInfo, name: string | undefined): CredentialView {
  const state = c.state === 'suspended' ? 'suspended' : c.status && c.checkedAt !== undefined ? 'valid' : 'unknown';
  return {
    id: c.id,
    ...(c.vct !== undefined ? { vct: c.vct } : {}),
    iss: c.iss,
    format: c.format,
    state,
    ...(c.expiresAt !== undefined ? { expiresAt: c.expiresAt } : {}),
    importedAt: c.importedAt,
    ...(c.checkedAt !== undefined ? { checkedAt: c.checkedAt } : {}),
    ...(name ? { name } : {}),
  };
}

export function revokedViews(session: WalletSession): CredentialView[] {
  return [...session.revoked.values()].map((r) => ({
    id: r.id,
    ...(r.vct !== undefined ? { vct: r.vct } : {}),
    iss: r.iss,
    format: '',
    state: 'revoked',
    importedAt: 0,
    checkedAt: r.at,
  }));
}

/** The claims of a plan as the page lists them: a path (names and array indexes) and a value. */
export function planView(plan: DisclosurePlan[]) {
  return plan.map((p) => ({
    credentialQueryId: p.credentialQueryId,
    credentialId: p.credentialId,
    ...(p.vct !== undefined ? { vct: p.vct } : {}),
    iss: p.iss,
    claims: p.disclosed.map((d) => ({ path: d.path, value: d.value })),
  }));
}

/** Who asks, as the consent screen names it. */
export function requestView({ request }: ResponseSummary) {
  return {
    clientId: request.clientId,
    ...(request.verifierName ? { verifierName: request.verifierName } : {}),
    ...(request.clientName ? { clientName: request.clientName } : {}),
    ...(request.certifiedBy ? { certifiedBy: request.certifiedBy } : {}),
    responseUri: request.responseUri,
  };
}
