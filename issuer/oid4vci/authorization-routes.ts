import type { RequestHandler, Response, Router } from 'express';
import { authorizationCodeEnabled } from '../oauth-policy.js';
import type { IssuerContext } from '../context.js';
import { approveAuthorization, authorizationView, denyAuthorization } from './approve.js';
import { continueAuthorization, sessionCookieName, startAuthorization, waitingPage, WAIT_REFRESH_SECONDS, type AuthorizePage } from './authorize.js';
import { OID4VCI_LIMITS, OID4VCI_PATHS, routePath } from './config.js';
import { Oid4vciError } from './errors.js';
import { pushAuthorizationRequest } from './par.js';

export type AuthorizationRouteParts = {
  /** The admin bearer-token guard. */
  admin: RequestHandler;
  /** Parses a form body (token-endpoint limits). */
  form: RequestHandler;
  /** Parses a JSON body. */
  json: RequestHandler;
  /** A form-only content-type gate. */
  formOnly: RequestHandler;
  /** Sets a fresh DPoP-Nonce on the answer. */
  dpopNonce: RequestHandler;
  /** Rate limit of the PAR endpoint (as the token endpoint). */
  rateLimit: RequestHandler;
  noStore(res: Response): Response;
};

/** Off unless the issuer's OAuth policy turns the authorization code flow on (authorizationCode or HAIP). */
function codeFlowOn(ctx: IssuerContext): RequestHandler {
  return (_req, _res, next) => {
    next(
      authorizationCodeEnabled(ctx.config.oauth)
        ? undefined
        : new Oid4vciError('invalid_request', 'the authorization code flow is off on this issuer (netcred issuer settings --authorization-code)'),
    );
  };
}

const HTML_HEADERS = {
  'Content-Type': 'text/html; charset=utf-8',
  'Content-Security-Policy': "default-src 'none'; frame-ancestors 'none'",
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
};

/**
 * The authorization code flow's routes (RFC 9126 PAR, the authorization endpoint and its waiting
 * page, the admin decision), added to the OpenID4VCI router; they answer `invalid_request` while
 * the flow is off.
 */
export function addAuthorizationRoutes(ctx: IssuerContext, router: Router, parts: AuthorizationRouteParts): void {
  const at = (path: string) => routePath(ctx.config.publicUrl, path);
  const on = codeFlowOn(ctx);
  const secure = ctx.config.publicUrl.startsWith('https://');
  const cookiePath = at(OID4VCI_PATHS.authorize);

  const answer = (res: Response, page: AuthorizePage): void => {
    parts.noStore(res);
    const cookie = `${sessionCookieName(page.id)}=`;
    const attrs = `; Path=${cookiePath}; HttpOnly; SameSite=Lax${secure ? '; Secure' : ''}`;
    if (page.kind === 'redirect') {
      res.set('Set-Cookie', `${cookie}${attrs}; Max-Age=0`).redirect(303, page.location);
      return;
    }
    if (page.session) res.set('Set-Cookie', `${cookie}${page.session}${attrs}; Max-Age=${OID4VCI_LIMITS.authorizationTtl}`);
    res
      .set({ ...HTML_HEADERS, Refresh: `${WAIT_REFRESH_SECONDS}; url=${cookiePath}/${page.id}` })
      .status(200)
      .send(waitingPage(page.id));
  };

  router.post(at(OID4VCI_PATHS.par), on, parts.rateLimit, parts.dpopNonce, parts.formOnly, parts.form, async (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const pushed = await pushAuthorizationRequest(ctx, body, {
      dpop: req.headers.dpop,
      attestation: req.headers['oauth-client-attestation'],
      attestationPop: req.headers['oauth-client-attestation-pop'],
    });
    parts.noStore(res).status(201).json(pushed);
  });

  router.get(at(OID4VCI_PATHS.authorize), on, async (req, res) => {
    answer(res, await startAuthorization(ctx, req.query as Record<string, unknown>));
  });

  router.get(`${at(OID4VCI_PATHS.authorize)}/:id`, on, async (req, res) => {
    answer(res, await continueAuthorization(ctx, req.params.id as string, req.get('cookie')));
  });

  router.get(`${at(OID4VCI_PATHS.authorizations)}/:id`, parts.admin, on, async (req, res) => {
    parts.noStore(res).json(await authorizationView(ctx, req.params.id as string));
  });

  router.post(`${at(OID4VCI_PATHS.authorizations)}/:id/approve`, parts.admin, on, parts.json, async (req, res) => {
    parts.noStore(res).json(await approveAuthorization(ctx, req.params.id as string, req.body));
  });

  router.post(`${at(OID4VCI_PATHS.authorizations)}/:id/deny`, parts.admin, on, async (req, res) => {
    parts.noStore(res).json(await denyAuthorization(ctx, req.params.id as string));
  });
}
