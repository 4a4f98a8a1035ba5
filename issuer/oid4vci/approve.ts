import { InvalidInputError, NetcredError } from '../../core/errors.js';
import type { IssuerContext } from '../context.js';
import { AUTHORIZATION_REFERENCE } from './authorization-request.js';
import { decideAuthorization, findAuthorization, type AuthorizationRow } from './authorization-store.js';
import { OID4VCI_LIMITS } from './config.js';
import { authorizeOffer, findOffer, findOfferByIssuerState, nowSeconds, standalone, transaction, type OfferRow } from './store.js';

/** What the admin API says of an authorization request (no secret, no claim). */
export type AuthorizationView = {
  id: string;
  status: AuthorizationRow['status'];
  clientId: string;
  /** The configuration the request asked for by scope, if it did. */
  configurationId: string | null;
  /** The request came with the issuer_state of an offer (its enrollment is then the only one it can be approved for). */
  issuerState: boolean;
  /** The enrollment (offer id) it was approved for. */
  enrollment: string | null;
  createdAt: string;
  expiresAt: string;
};

function view(row: AuthorizationRow): AuthorizationView {
  return {
    id: row.id,
    status:
      row.status === 'opened' || row.status === 'pushed' || row.status === 'approved' ? (row.expires_at <= nowSeconds() ? 'expired' : row.status) : row.status,
    clientId: row.client_id,
    configurationId: row.configuration_id,
    issuerState: row.issuer_state_hash !== null,
    enrollment: row.offer_id,
    createdAt: new Date(row.created_at * 1000).toISOString(),
    expiresAt: new Date(row.expires_at * 1000).toISOString(),
  };
}

function notFound(id: string): NetcredError {
  return new NetcredError('AUTHORIZATION_NOT_FOUND', `no authorization request ${id}`);
}

/** GET /admin/authorizations/{id}. */
export async function authorizationView(ctx: IssuerContext, id: string): Promise<AuthorizationView> {
  const row = AUTHORIZATION_REFERENCE.test(id) ? await findAuthorization(standalone(ctx.dataSource), id) : undefined;
  if (!row) throw notFound(id);
  return view(row);
}

function enrollmentOf(body: unknown): string | undefined {
  if (body === undefined) return undefined;
  if (!body || typeof body !== 'object' || Array.isArray(body))
    throw new InvalidInputError('the approval must be a JSON object', [{ path: '$', message: 'not an object' }]);
  const b = body as Record<string, unknown>;
  const unknown = Object.keys(b).filter((k) => k !== 'enrollment');
  if (unknown.length)
    throw new InvalidInputError(
      `unknown approval fields: ${unknown.join(', ')}`,
      unknown.map((k) => ({ path: k, message: 'unknown field' })),
    );
  if (b.enrollment === undefined) return undefined;
  if (typeof b.enrollment !== 'string' || !/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/.test(b.enrollment)) {
    throw new InvalidInputError('enrollment must be the offerId of an enrollment', [{ path: 'enrollment', message: 'not an enrollment id' }]);
  }
  return b.enrollment;
}

/** Recorded identity proofing: what createEnrollmentOffer stored (method, station, time). */
function hasEvidence(offer: OfferRow): boolean {
  try {
    const e = JSON.parse(offer.evidence) as { method?: unknown; station?: unknown; time?: unknown };
    return (e.method === 'chip+face' || e.method === 'face') && typeof e.station === 'string' && typeof e.time === 'string';
  } catch {
    return false;
  }
}

/**
 * POST /admin/authorizations/{id}/approve `{enrollment?}` (admin token): the officer who recorded
 * the resident's enrollment (claims + chip/face evidence) approves the request the resident's
 * browser shows. The request must be open (its page shown) and live; the enrollment pending,
 * with its evidence, for the configuration the request asked for; a request that came with an
 * offer's issuer_state is approved for that offer only (then `enrollment` may be left out).
 * The enrollment is then spent on this request: its pre-authorized code stops working.
 */
export async function approveAuthorization(ctx: IssuerContext, id: string, body: unknown): Promise<AuthorizationView> {
  if (!AUTHORIZATION_REFERENCE.test(id)) throw notFound(id);
  const given = enrollmentOf(body);
  const row = await transaction(ctx.dataSource, async (sql) => {
    const now = nowSeconds();
    const request = await findAuthorization(sql, id);
    if (!request) throw notFound(id);
    if (request.status === 'pushed' && request.expires_at > now)
      throw new NetcredError('AUTHORIZATION_NOT_PENDING', `authorization request ${id} was not opened in a browser yet`);
    if (request.status !== 'opened' || request.expires_at <= now)
      throw new NetcredError('AUTHORIZATION_NOT_PENDING', `authorization request ${id} is ${view(request).status}, not waiting for a decision`);
    const byState = request.issuer_state_hash === null ? undefined : await findOfferByIssuerState(sql, request.issuer_state_hash);
    const offerId = given ?? byState?.id;
    if (offerId === undefined) throw new InvalidInputError('name the enrollment to approve this request for', [{ path: 'enrollment', message: 'required' }]);
    if (request.issuer_state_hash !== null && byState?.id !== offerId) {
      throw new NetcredError('ENROLLMENT_NOT_APPROVABLE', `authorization request ${id} came with the offer of another enrollment`);
    }
    const offer = byState?.id === offerId ? byState : await findOffer(sql, offerId);
    if (!offer) throw new NetcredError('ENROLLMENT_NOT_FOUND', `no enrollment ${offerId}`);
    if (offer.state !== 'pending' || offer.expires_at <= now || offer.claims_sealed === null) {
      throw new NetcredError(
        'ENROLLMENT_NOT_APPROVABLE',
        `enrollment ${offerId} is ${offer.expires_at <= now && offer.state === 'pending' ? 'expired' : offer.state}: enroll the resident again`,
      );
    }
    if (!hasEvidence(offer)) throw new NetcredError('ENROLLMENT_NOT_APPROVABLE', `enrollment ${offerId} has no recorded identity evidence`);
    if (request.configuration_id !== null && request.configuration_id !== offer.configuration_id) {
      throw new NetcredError('ENROLLMENT_NOT_APPROVABLE', `the request asks for ${request.configuration_id}, the enrollment is for ${offer.configuration_id}`);
    }
    // The claims wait for this request's code and access token, no longer than the request could.
    if (!(await authorizeOffer(sql, offer.id, now, now + OID4VCI_LIMITS.authorizationTtl + OID4VCI_LIMITS.codeTtl))) {
      throw new NetcredError('ENROLLMENT_NOT_APPROVABLE', `enrollment ${offerId} is no longer pending`);
    }
    if (!(await decideAuthorization(sql, id, { approved: true, offerId: offer.id }, now)))
      throw new NetcredError('AUTHORIZATION_NOT_PENDING', `authorization request ${id} is no longer waiting`);
    return (await findAuthorization(sql, id))!;
  });
  return view(row);
}

/** POST /admin/authorizations/{id}/deny: the browser is sent back with access_denied. */
export async function denyAuthorization(ctx: IssuerContext, id: string): Promise<AuthorizationView> {
  if (!AUTHORIZATION_REFERENCE.test(id)) throw notFound(id);
  const row = await transaction(ctx.dataSource, async (sql) => {
    const now = nowSeconds();
    const request = await findAuthorization(sql, id);
    if (!request) throw notFound(id);
    if (!(await decideAuthorization(sql, id, { approved: false }, now))) {
      throw new NetcredError('AUTHORIZATION_NOT_PENDING', `authorization request ${id} is ${view(request).status}, not waiting for a decision`);
    }
    return (await findAuthorization(sql, id))!;
  });
  return view(row);
}
