import { createHash, timingSafeEqual } from 'node:crypto';
import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import { isNetcredError } from '../../core/errors.js';
import { jsonBody, typedBodyErrors } from '../../core/http/json-body.js';
import { perIpRateLimit, type RateLimitSetting } from '../../core/http/rate-limit.js';
import { isProfileName, type DcqlQuery, type ProfileName } from '../../schemas/profiles/index.js';
import { createAuthorizationRequest, OID4VP_PATHS } from './create-request.js';
import { handleAuthorizationResponse, type PresentationVerifier } from './handle-response.js';
import { requestQrPng } from './qr.js';
import { ReplayGuard } from './replay-guard.js';
import { REQUEST_OBJECT_MEDIA_TYPE, type VerifierDidKey } from './request-object.js';
import { RequestStore } from './request-store.js';
import type { ClientIdPrefix, PendingRequest, Verdict } from './types.js';

export type Oid4vpRouterOptions = {
  /** Public base URL of the app (request_uri and response_uri hang under it); a function when the port is known only after listen. */
  baseUrl: string | (() => string);
  /** The offline verification pipeline, bound to each request's nonce and client_id. */
  verify: PresentationVerifier;
  /** Bearer token of the admin calls (create a request, read a verdict). Without it those routes answer 403. */
  adminToken?: string;
  /** The verifier's DID key: enables `decentralized_identifier` client ids with signed request objects. */
  didKey?: VerifierDidKey;
  /** Default client id prefix of created requests. */
  clientIdPrefix?: ClientIdPrefix;
  ttlSeconds?: number;
  store?: RequestStore;
  replay?: ReplayGuard;
  /** Clock in ms since the epoch (default Date.now). */
  now?: () => number;
  /** POST /oid4vp/requests a minute per client IP (default 600; 0 or false: no limit). */
  rateLimit?: RateLimitSetting;
  /** Called with every final verdict (logging, kiosk push). */
  onVerdict?: (verdict: Verdict) => void;
};

export type Oid4vpRouter = {
  router: Router;
  store: RequestStore;
  /** Creates a request in-process (a kiosk app in the same process needs no admin call). */
  createRequest(input: { profile?: ProfileName; dcql?: DcqlQuery; clientIdPrefix?: ClientIdPrefix }): Promise<PendingRequest>;
};

function oauthError(res: Response, status: number, error: string, description: string, extra: Record<string, unknown> = {}): void {
  res.status(status).set('Cache-Control', 'no-store').json({ error, error_description: description, ...extra });
}

function digest(s: string): Buffer {
  return createHash('sha256').update(s).digest();
}

/** What the creator of a request gets back (snake_case like the protocol around it). */
export function describeRequest(req: PendingRequest, base: string): Record<string, unknown> {
  return {
    id: req.id,
    uri: req.uri,
    ...(req.uriByValue ? { uri_by_value: req.uriByValue } : {}),
    client_id: req.clientId,
    request_uri: req.requestUri,
    response_uri: req.responseUri,
    state: req.state,
    ...(req.profile ? { profile: req.profile } : {}),
    expires_at: new Date(req.expiresAt).toISOString(),
    verdict_uri: `${base}${OID4VP_PATHS.requests}/${req.id}/verdict`,
    qr_png_uri: `${base}${OID4VP_PATHS.requests}/${req.id}/qr.png`,
  };
}

/**
 * OpenID4VP 1.0 verifier routes, to mount on the verifier app:
 * - POST /oid4vp/requests (admin): create a request for a profile or a DCQL query
 * - GET  /oid4vp/requests/:id: the request object (request_uri)
 * - GET  /oid4vp/requests/:id/qr.png: the openid4vp:// URI as a QR code
 * - GET  /oid4vp/requests/:id/verdict, /oid4vp/states/:state/verdict (admin): the kiosk's verdict
 * - POST /oid4vp/responses: the wallet's direct_post answer (response_uri)
 */
export function createOid4vpRouter(options: Oid4vpRouterOptions): Oid4vpRouter {
  const store = options.store ?? new RequestStore();
  const replay = options.replay ?? new ReplayGuard();
  const baseUrl = (): string => (typeof options.baseUrl === 'function' ? options.baseUrl() : options.baseUrl).replace(/\/+$/, '');
  const now = options.now ?? Date.now;
  const adminDigest = options.adminToken ? digest(options.adminToken) : undefined;
  const router = express.Router();
  const qrCache = new WeakMap<object, Promise<Buffer>>();

  const createRequest: Oid4vpRouter['createRequest'] = async (input) => {
    const req = await createAuthorizationRequest({
      ...input,
      clientIdPrefix: input.clientIdPrefix ?? options.clientIdPrefix,
      baseUrl: baseUrl(),
      didKey: options.didKey,
      ttlSeconds: options.ttlSeconds,
      now: now(),
    });
    store.add(req, now());
    return req;
  };

  const requireAdmin = (req: Request, res: Response, next: NextFunction): void => {
    if (!adminDigest) return oauthError(res, 403, 'access_denied', 'the admin API is not enabled on this verifier');
    const m = /^Bearer ([!-~]+)$/.exec(req.get('authorization') ?? '');
    // Compare digests: constant time whatever the length of what was sent.
    if (!m || !timingSafeEqual(digest(m[1]!), adminDigest)) {
      res.set('WWW-Authenticate', 'Bearer');
      return oauthError(res, 401, 'invalid_token', 'a valid admin bearer token is required');
    }
    next();
  };

  // Limited before the admin check: a flood of unauthenticated calls is counted too.
  router.post(OID4VP_PATHS.requests, perIpRateLimit(options.rateLimit, 'invalid_request', 'OpenID4VP request creation'), requireAdmin, jsonBody({ limit: '64kb' }), async (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const profile = body.profile;
    const prefix = body.client_id_prefix;
    if (profile !== undefined && !isProfileName(profile)) return oauthError(res, 400, 'invalid_request', 'profile must be lite or upgraded');
    if (prefix !== undefined && prefix !== 'redirect_uri' && prefix !== 'decentralized_identifier') {
      return oauthError(res, 400, 'invalid_request', 'client_id_prefix must be redirect_uri or decentralized_identifier');
    }
    const created = await createRequest({
      ...(profile !== undefined ? { profile } : body.dcql_query === undefined ? { profile: 'lite' as const } : {}),
      ...(body.dcql_query !== undefined ? { dcql: body.dcql_query as DcqlQuery } : {}),
      ...(prefix !== undefined ? { clientIdPrefix: prefix } : {}),
    });
    res.status(201).set('Cache-Control', 'no-store').json(describeRequest(created, baseUrl()));
  });

  router.get(`${OID4VP_PATHS.requests}/:id`, (req, res) => {
    const entry = store.byId(String(req.params.id), now());
    if (!entry) return oauthError(res, 404, 'invalid_request', 'unknown request');
    if (entry.verdict.status === 'expired') return oauthError(res, 410, 'invalid_request', 'the request has expired');
    if (entry.verdict.status !== 'pending') return oauthError(res, 410, 'invalid_request', 'the request was already answered');
    res.status(200).set('Cache-Control', 'no-store').type(REQUEST_OBJECT_MEDIA_TYPE).send(entry.request.requestObject);
  });

  router.get(`${OID4VP_PATHS.requests}/:id/qr.png`, async (req, res) => {
    const entry = store.byId(String(req.params.id), now());
    if (!entry || entry.verdict.status !== 'pending') return oauthError(res, 404, 'invalid_request', 'unknown or closed request');
    // Drawn once per request: the route is public, so a flood of hits costs a map lookup each.
    let png = qrCache.get(entry);
    if (!png) qrCache.set(entry, (png = requestQrPng(entry.request.uri)));
    res.status(200).set('Cache-Control', 'no-store').type('image/png').send(await png);
  });

  const sendVerdict = (res: Response, verdict: Verdict | undefined): void => {
    if (!verdict) return oauthError(res, 404, 'invalid_request', 'unknown request');
    res.status(200).set('Cache-Control', 'no-store').json(verdict);
  };
  router.get(`${OID4VP_PATHS.requests}/:id/verdict`, requireAdmin, (req, res) => sendVerdict(res, store.byId(String(req.params.id), now())?.verdict));
  router.get('/oid4vp/states/:state/verdict', requireAdmin, (req, res) => sendVerdict(res, store.byState(String(req.params.state), now())?.verdict));

  router.post(OID4VP_PATHS.responses, typedBodyErrors(express.urlencoded({ extended: false, limit: '256kb', parameterLimit: 16 })), async (req, res) => {
    if (!req.is('application/x-www-form-urlencoded') || !req.body || typeof req.body !== 'object') {
      return oauthError(res, 400, 'invalid_request', 'the response must be application/x-www-form-urlencoded');
    }
    const result = await handleAuthorizationResponse({ store, replay, verify: options.verify, now }, req.body as Record<string, unknown>);
    if (result.verdict && result.verdict.status !== 'pending') options.onVerdict?.(result.verdict);
    res.status(result.status).set('Cache-Control', 'no-store').json(result.body);
  });

  // Body-parser and handler errors become OAuth errors, never an HTML stack trace.
  router.use((err: unknown, _req: Request, res: Response, next: NextFunction) => {
    if (res.headersSent) return next(err);
    const e = err as { status?: number; type?: string; message?: string };
    if (e?.type === 'entity.too.large') return oauthError(res, 413, 'invalid_request', 'request body too large');
    if (typeof e?.status === 'number' && e.status >= 400 && e.status < 500) return oauthError(res, e.status, 'invalid_request', e.message ?? 'bad request', isNetcredError(err) ? { code: err.code } : {});
    if (isNetcredError(err)) {
      const status = err.code === 'TOO_MANY_REQUESTS' ? 503 : err.code === 'INVALID_INPUT' ? 400 : 500;
      return oauthError(res, status, status === 400 ? 'invalid_request' : 'server_error', err.message, { code: err.code });
    }
    oauthError(res, 500, 'server_error', 'internal error');
  });

  return { router, store, createRequest };
}
