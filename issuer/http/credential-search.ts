import { Router, type RequestHandler } from 'express';
import { InvalidInputError, isNetcredError } from '../../core/errors.js';
import type { IssuerContext } from '../context.js';
import { findIssuanceRecords, type IssuanceRecord } from '../issuance/records.js';
import { auditLog, credentialStatus, type AuditEntry, type CredentialStatusRecord } from '../status/lifecycle.js';
import { runExclusive } from '../store/write-lock.js';

/** At most this many credentials per answer (a holder's newest first) and history entries per credential. */
export const SEARCH_MAX_CREDENTIALS = 50;
export const SEARCH_MAX_HISTORY = 100;

export type CredentialView = {
  id: string;
  vct: string;
  format: string;
  holderDid: string;
  issuedAt: string;
  expiresAt: string;
  supersededBy: string | null;
  /** The status record; null for a credential minted without a status entry. */
  status: CredentialStatusRecord | null;
  /** Status changes, oldest first (the newest SEARCH_MAX_HISTORY). */
  history: AuditEntry[];
};

export type CredentialSearchResult = { credentials: CredentialView[]; truncated: boolean };

const iso = (seconds: number) => new Date(seconds * 1000).toISOString();

async function statusOrNull(ctx: IssuerContext, id: string): Promise<CredentialStatusRecord | null> {
  try {
    return await credentialStatus(ctx, id);
  } catch (err) {
    if (isNetcredError(err, 'CREDENTIAL_NOT_FOUND')) return null;
    throw err;
  }
}

/**
 * The credentials of one id or one holder DID, each with its status and status history: what
 * the enrollment console's search shows. Bounded: a holder's newest SEARCH_MAX_CREDENTIALS.
 */
export async function searchCredentials(ctx: IssuerContext, query: { id?: unknown; holder?: unknown }): Promise<CredentialSearchResult> {
  const { id, holder } = query;
  if ((id === undefined) === (holder === undefined)) throw new InvalidInputError('give exactly one of id or holder');
  const value = id ?? holder;
  if (typeof value !== 'string' || value.length === 0 || value.length > (id !== undefined ? 200 : 4096)) {
    throw new InvalidInputError(`${id !== undefined ? 'id' : 'holder'} must be a non-empty string of at most ${id !== undefined ? 200 : 4096} characters`);
  }
  if (holder !== undefined && (!value.startsWith('did:') || value.includes('#'))) throw new InvalidInputError('holder must be a DID (without a fragment)');
  // Queued with the status writes and the issuance group commit (one SQLite connection).
  const records: IssuanceRecord[] = await runExclusive(ctx.dataSource, () => findIssuanceRecords(ctx, id !== undefined ? { id: value } : { holderDid: value }));
  const newest = records.slice(-SEARCH_MAX_CREDENTIALS).reverse();
  const credentials: CredentialView[] = [];
  for (const r of newest) {
    credentials.push({
      id: r.id,
      vct: r.vct,
      format: r.format,
      holderDid: r.holderDid,
      issuedAt: iso(r.issuedAt),
      expiresAt: iso(r.expiresAt),
      supersededBy: r.supersededBy,
      status: await statusOrNull(ctx, r.id),
      history: await auditLog(ctx, { credentialId: r.id, limit: SEARCH_MAX_HISTORY }),
    });
  }
  return { credentials, truncated: records.length > newest.length };
}

/** GET /admin/credentials?id=ID | ?holder=DID (admin): the enrollment console's credential search. */
export function credentialSearchRoutes(ctx: IssuerContext, options: { requireAdmin: RequestHandler }): Router {
  const router = Router();
  router.get('/admin/credentials', options.requireAdmin, async (req, res) => {
    const q = req.query as Record<string, unknown>;
    res.set('Cache-Control', 'no-store').json(await searchCredentials(ctx, { id: q.id, holder: q.holder }));
  });
  return router;
}
