import type { IssuerContext } from '../context.js';
import { AUTHORIZATION_REFERENCE, checkAuthorizationRequest, formParam, newAuthorizationReference, requestColumns } from './authorization-request.js';
import {
  endAuthorizationSession,
  findAuthorization,
  findAuthorizationByRequestUri,
  insertAuthorization,
  issueAuthorizationCode,
  openAuthorization,
  type AuthorizationRow,
} from './authorization-store.js';
import { issuerIdentifier, OID4VCI_LIMITS } from './config.js';
import { Oid4vciError } from './errors.js';
import { REQUEST_URI_PREFIX } from './par.js';
import { constantTimeEqual, randomSecret, secretHash } from './secrets.js';
import { nowSeconds, standalone, sweepExpired } from './store.js';

/**
 * The authorization endpoint, in the resident's browser. The authorization step of the identity
 * credential is the enrollment: the page shows the request's reference, the officer at the
 * enrollment point approves that reference for the enrollment they recorded (chip + face
 * evidence; POST /admin/authorizations/{id}/approve), and the page, which reloads itself, then
 * sends the browser back to the wallet with `code`, `state` and `iss` (RFC 9207).
 *
 * The request_uri is single use: the first browser that opens it gets a session cookie, and the
 * waiting page (GET /oid4vci/authorize/{id}) answers that browser only.
 */
export type AuthorizePage =
  /** The waiting page; `session` is the cookie to set (first visit only). */
  | { kind: 'wait'; id: string; session?: string }
  /** 303 to the client's redirect_uri with the outcome. */
  | { kind: 'redirect'; id: string; location: string };

export const SESSION_COOKIE_PREFIX = 'netcred_authz_';

export function sessionCookieName(id: string): string {
  return `${SESSION_COOKIE_PREFIX}${id}`;
}

/** The value of one cookie in a Cookie header (RFC 6265 5.4), or undefined. */
export function cookieValue(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const i = part.indexOf('=');
    if (i > 0 && part.slice(0, i).trim() === name) return part.slice(i + 1).trim();
  }
  return undefined;
}

/** RFC 6749 4.1.2 / 4.1.2.1 and RFC 9207: the outcome as query parameters of the redirect_uri. */
function redirectTo(ctx: IssuerContext, row: AuthorizationRow, params: Record<string, string>): string {
  const url = new URL(row.redirect_uri);
  for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
  if (row.client_state !== null) url.searchParams.set('state', row.client_state);
  url.searchParams.set('iss', issuerIdentifier(ctx.config.publicUrl));
  return url.href;
}

/**
 * GET /oid4vci/authorize: `client_id` + `request_uri` of a pushed request, or (without HAIP and
 * without required wallet attestation) the request's own parameters. Opens the request for
 * this browser and answers the waiting page.
 */
export async function startAuthorization(ctx: IssuerContext, query: Record<string, unknown>): Promise<AuthorizePage> {
  const now = nowSeconds();
  await sweepExpired(ctx.dataSource, now);
  const sql = standalone(ctx.dataSource);
  const session = randomSecret();
  const requestUri = formParam(query, 'request_uri', 512);
  if (requestUri !== undefined) {
    const clientId = formParam(query, 'client_id', 256);
    if (!clientId) throw new Oid4vciError('invalid_request', 'client_id is required with request_uri');
    const row = requestUri.startsWith(REQUEST_URI_PREFIX) ? await findAuthorizationByRequestUri(sql, secretHash(requestUri)) : undefined;
    if (row?.via_par !== 1) throw new Oid4vciError('invalid_request', 'unknown request_uri');
    if (row.client_id !== clientId) throw new Oid4vciError('invalid_request', 'the request_uri was pushed by another client');
    if (row.status !== 'pushed') throw new Oid4vciError('invalid_request', 'the request_uri was already used');
    if (row.expires_at <= now) throw new Oid4vciError('invalid_request', 'the request_uri has expired: push the request again');
    if (!(await openAuthorization(sql, row.id, secretHash(session), now, now + OID4VCI_LIMITS.authorizationTtl))) {
      throw new Oid4vciError('invalid_request', 'the request_uri was already used');
    }
    return { kind: 'wait', id: row.id, session };
  }
  if (ctx.config.oauth.haip)
    throw new Oid4vciError('invalid_request', 'this issuer follows HAIP: push the authorization request first (PAR), then pass client_id and request_uri');
  if (ctx.config.oauth.walletAttestation === 'required')
    throw new Oid4vciError('invalid_request', 'wallet attestation is required: push the authorization request first (PAR)');
  const request = await checkAuthorizationRequest(ctx, query, undefined);
  const id = newAuthorizationReference();
  await insertAuthorization(sql, {
    id,
    // Never handed out: a request made in the URL has no request_uri.
    request_uri_hash: secretHash(`direct:${randomSecret()}`),
    ...requestColumns(request),
    dpop_jkt: request.dpopJkt,
    via_par: 0,
    status: 'opened',
    session_hash: secretHash(session),
    created_at: now,
    expires_at: now + OID4VCI_LIMITS.authorizationTtl,
  });
  return { kind: 'wait', id, session };
}

/**
 * GET /oid4vci/authorize/{id}, from the browser holding the session: waits while the request
 * is open; once approved, issues the code (256 bits, stored as its SHA-256, 120 s, single use)
 * and redirects; denied or expired, redirects with `access_denied`.
 */
export async function continueAuthorization(ctx: IssuerContext, id: string, cookieHeader: string | undefined): Promise<AuthorizePage> {
  if (!AUTHORIZATION_REFERENCE.test(id)) throw new Oid4vciError('invalid_request', 'unknown authorization request');
  const sql = standalone(ctx.dataSource);
  const row = await findAuthorization(sql, id);
  if (!row) throw new Oid4vciError('invalid_request', 'unknown authorization request');
  const session = cookieValue(cookieHeader, sessionCookieName(id));
  if (!session || row.session_hash === null || !constantTimeEqual(secretHash(session), row.session_hash)) {
    throw new Oid4vciError('invalid_request', 'this authorization request is not waiting in this browser');
  }
  const now = nowSeconds();
  const live = row.status === 'opened' || row.status === 'approved';
  if ((live && row.expires_at <= now) || row.status === 'expired') {
    await endAuthorizationSession(sql, id, true);
    return {
      kind: 'redirect',
      id,
      location: redirectTo(ctx, row, { error: 'access_denied', error_description: 'the authorization request expired before it was approved' }),
    };
  }
  if (row.status === 'denied') {
    await endAuthorizationSession(sql, id, false);
    return {
      kind: 'redirect',
      id,
      location: redirectTo(ctx, row, { error: 'access_denied', error_description: 'the enrollment point did not approve this request' }),
    };
  }
  if (row.status === 'approved') {
    const code = randomSecret();
    if (await issueAuthorizationCode(sql, id, secretHash(code), now, now + OID4VCI_LIMITS.codeTtl)) {
      return { kind: 'redirect', id, location: redirectTo(ctx, row, { code }) };
    }
    throw new Oid4vciError('invalid_request', 'this authorization request is no longer waiting');
  }
  if (row.status === 'opened') return { kind: 'wait', id };
  throw new Oid4vciError('invalid_request', 'this authorization request is no longer waiting');
}

/** Seconds between two loads of the waiting page. */
export const WAIT_REFRESH_SECONDS = 3;

/** The waiting page: the reference to show at the enrollment point; no script, reloads itself. */
export function waitingPage(id: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>netcred: approve at the enrollment point</title>
</head>
<body>
<h1>Show this reference at the enrollment point</h1>
<p id="reference" data-authorization="${id}"><strong>${id}</strong></p>
<p>The officer checks your ID card and face, then approves this request. This page continues by itself once it is approved.</p>
</body>
</html>
`;
}
