import express, { type Response, type Router } from 'express';
import { bearerAuth } from '../../core/http/bearer-auth.js';
import { httpErrorHandler } from '../../core/http/errors.js';
import { jsonBody, typedBodyErrors } from '../../core/http/json-body.js';
import { perIpRateLimit, type RateLimitSetting } from '../../core/http/rate-limit.js';
import { parseJsonBounded } from '../../core/encoding/json.js';
import { InvalidInputError } from '../../core/errors.js';
import type { RequestTypeProfile } from '../trust/request-type-profile.js';
import { isProfileName, type DcqlQuery, type ProfileName } from '../../schemas/profiles/index.js';
import { createAuthorizationRequest, encodeRequestObjectFor, OID4VP_PATHS } from './create-request.js';
import { handleResponseForm } from './encrypted-response.js';
import type { PresentationVerifier } from './handle-response.js';
import { requestQrPng } from './qr.js';
import { ReplayGuard, type ReplayGuardLike } from './replay-guard.js';
import { REQUEST_OBJECT_MEDIA_TYPE, type VerifierDidKey } from './request-object.js';
import { RequestStore, type RequestStoreLike } from './request-store.js';
import type { ClientIdPrefix, PendingRequest, RequestUriMethod, ResponseMode, Verdict } from './types.js';
import type { VerifierX509 } from './x509-client.js';

/** How the OpenID4VP router runs: base URL, the presentation verifier, admin token, client identity (did:key or X.509) and state. */
export type Oid4vpRouterOptions<S extends RequestStoreLike = RequestStore> = {
  /** Public base URL of the app (request_uri and response_uri hang under it); a function when the port is known only after listen. */
  baseUrl: string | (() => string);
  /** The offline verification pipeline, bound to each request's nonce and client_id. */
  verify: PresentationVerifier;
  /**
   * Resolves a registered type's profile name to its query and issuers (requestTypeProfile on the
   * verifier's trust bundle; throws PROFILE_UNKNOWN / PROFILE_AMBIGUOUS). Without it a request's
   * profile is lite or upgraded only.
   */
  typeProfile?: (name: string) => RequestTypeProfile;
  /** Bearer token of the admin calls (create a request, read a verdict). Without it those routes answer 403. */
  adminToken?: string;
  /** The verifier's DID key: enables `decentralized_identifier` client ids with signed request objects. */
  didKey?: VerifierDidKey;
  /** The verifier's X.509 leaf and key: enables `x509_san_dns` / `x509_hash` client ids (requests signed with x5c). */
  x509?: VerifierX509;
  /** Default client id prefix of created requests. */
  clientIdPrefix?: ClientIdPrefix;
  /** Default response mode of created requests (direct_post; direct_post.jwt for HAIP). */
  responseMode?: ResponseMode;
  /** Default request_uri_method of created requests (absent: plain GET). */
  requestUriMethod?: RequestUriMethod;
  ttlSeconds?: number;
  /** Requests and verdicts: in memory (default, one process) or shared (verifier/state: Redis). */
  store?: S;
  /** Posted KB-JWTs already seen: in memory (default) or shared. */
  replay?: ReplayGuardLike;
  /** Clock in ms since the epoch (default Date.now). */
  now?: () => number;
  /** POST /oid4vp/requests a minute per client IP (default 600; 0 or false: no limit). */
  rateLimit?: RateLimitSetting;
  /** Called with every final verdict (logging, kiosk push). */
  onVerdict?: (verdict: Verdict) => void;
};

const QR_CACHE_MAX = 1024;

const CLIENT_ID_PREFIXES: readonly ClientIdPrefix[] = ['redirect_uri', 'decentralized_identifier', 'x509_san_dns', 'x509_hash'];

/** The OpenID4VP routes of a verifier (an Express router), its request store, and createRequest(). */
export type Oid4vpRouter<S extends RequestStoreLike = RequestStore> = {
  router: Router;
  store: S;
  /** Creates a request in-process (a kiosk app in the same process needs no admin call). */
  createRequest(input: {
    profile?: ProfileName;
    dcql?: DcqlQuery;
    /** A registered type's profile by name (needs the router's typeProfile resolver). */
    typeProfile?: string;
    clientIdPrefix?: ClientIdPrefix;
    responseMode?: ResponseMode;
    requestUriMethod?: RequestUriMethod;
  }): Promise<PendingRequest>;
};

function oauthError(res: Response, status: number, error: string, description: string): void {
  res.status(status).set('Cache-Control', 'no-store').json({ error, error_description: description });
}

/** What the creator of a request gets back (snake_case like the protocol around it). */
export function describeRequest(req: PendingRequest, base: string): Record<string, unknown> {
  return {
    id: req.id,
    uri: req.uri,
    ...(req.uriByValue ? { uri_by_value: req.uriByValue } : {}),
    client_id: req.clientId,
    ...(req.responseMode ? { response_mode: req.responseMode } : {}),
    request_uri: req.requestUri,
    ...(req.requestUriMethod ? { request_uri_method: req.requestUriMethod } : {}),
    response_uri: req.responseUri,
    state: req.state,
    ...(req.profile || req.typeProfile ? { profile: req.profile ?? req.typeProfile!.name } : {}),
    ...(req.typeProfile ? { issuers: req.typeProfile.issuers } : {}),
    expires_at: new Date(req.expiresAt).toISOString(),
    verdict_uri: `${base}${OID4VP_PATHS.requests}/${req.id}/verdict`,
    qr_png_uri: `${base}${OID4VP_PATHS.requests}/${req.id}/qr.png`,
  };
}

/**
 * OpenID4VP 1.0 verifier routes, to mount on the verifier app:
 * - POST /oid4vp/requests (admin): create a request for a profile or a DCQL query
 * - GET  /oid4vp/requests/:id: the request object (request_uri)
 * - POST /oid4vp/requests/:id: the same, for request_uri_method=post (wallet_nonce echoed, signed afresh)
 * - GET  /oid4vp/requests/:id/qr.png: the openid4vp:// URI as a QR code
 * - GET  /oid4vp/requests/:id/verdict, /oid4vp/states/:state/verdict (admin): the kiosk's verdict
 * - POST /oid4vp/responses: the wallet's direct_post answer, or its direct_post.jwt `response` (response_uri)
 */
export function createOid4vpRouter<S extends RequestStoreLike = RequestStore>(options: Oid4vpRouterOptions<S>): Oid4vpRouter<S> {
  const store = options.store ?? (new RequestStore() as RequestStoreLike as S);
  const replay = options.replay ?? new ReplayGuard();
  const baseUrl = (): string => (typeof options.baseUrl === 'function' ? options.baseUrl() : options.baseUrl).replace(/\/+$/, '');
  const now = options.now ?? Date.now;
  const router = express.Router();
  // QR images by request id (its URI never changes), the oldest dropped past QR_CACHE_MAX.
  const qrCache = new Map<string, Promise<Buffer>>();

  const createRequest: Oid4vpRouter<S>['createRequest'] = async ({ typeProfile, ...input }) => {
    if (typeProfile !== undefined && !options.typeProfile)
      throw new InvalidInputError(`profile ${typeProfile}: this verifier resolves no registered type's profile (lite or upgraded)`);
    const req = await createAuthorizationRequest({
      ...input,
      ...(typeProfile !== undefined ? { typeProfile: options.typeProfile!(typeProfile) } : {}),
      clientIdPrefix: input.clientIdPrefix ?? options.clientIdPrefix,
      responseMode: input.responseMode ?? options.responseMode,
      requestUriMethod: input.requestUriMethod ?? options.requestUriMethod,
      baseUrl: baseUrl(),
      didKey: options.didKey,
      x509: options.x509,
      ttlSeconds: options.ttlSeconds,
      now: now(),
    });
    await store.add(req, now());
    return req;
  };

  const requireAdmin = bearerAuth({ token: options.adminToken, realm: 'netcred-verifier' });

  // Limited before the admin check: a flood of unauthenticated calls is counted too.
  router.post(
    OID4VP_PATHS.requests,
    perIpRateLimit(options.rateLimit, 'invalid_request', 'OpenID4VP request creation'),
    requireAdmin,
    jsonBody({ limit: '64kb' }),
    async (req, res) => {
      const body = (req.body ?? {}) as Record<string, unknown>;
      const profile = body.profile;
      const prefix = body.client_id_prefix;
      const responseMode = body.response_mode;
      const requestUriMethod = body.request_uri_method;
      // Another name is a registered type's profile: resolved from the trust bundle when this router can (PROFILE_UNKNOWN, PROFILE_AMBIGUOUS: 400).
      const typeProfile = typeof profile === 'string' && options.typeProfile && !isProfileName(profile) ? profile : undefined;
      if (profile !== undefined && typeProfile === undefined && !isProfileName(profile))
        return oauthError(
          res,
          400,
          'invalid_request',
          options.typeProfile ? "profile must be lite, upgraded or the name of a registered type's profile" : 'profile must be lite or upgraded',
        );
      if (prefix !== undefined && !CLIENT_ID_PREFIXES.includes(prefix as ClientIdPrefix)) {
        return oauthError(res, 400, 'invalid_request', `client_id_prefix must be one of ${CLIENT_ID_PREFIXES.join(', ')}`);
      }
      if ((prefix === 'x509_san_dns' || prefix === 'x509_hash') && !options.x509)
        return oauthError(res, 400, 'invalid_request', `${prefix} needs an X.509 certificate, and this verifier has none`);
      if (responseMode !== undefined && responseMode !== 'direct_post' && responseMode !== 'direct_post.jwt')
        return oauthError(res, 400, 'invalid_request', 'response_mode must be direct_post or direct_post.jwt');
      if (requestUriMethod !== undefined && requestUriMethod !== 'get' && requestUriMethod !== 'post')
        return oauthError(res, 400, 'invalid_request', 'request_uri_method must be get or post');
      const created = await createRequest({
        ...(typeProfile !== undefined
          ? { typeProfile }
          : profile !== undefined
            ? { profile: profile as ProfileName }
            : body.dcql_query === undefined
              ? { profile: 'lite' as const }
              : {}),
        ...(body.dcql_query !== undefined ? { dcql: body.dcql_query as DcqlQuery } : {}),
        ...(prefix !== undefined ? { clientIdPrefix: prefix as ClientIdPrefix } : {}),
        ...(responseMode !== undefined ? { responseMode } : {}),
        ...(requestUriMethod !== undefined ? { requestUriMethod } : {}),
      });
      res.status(201).set('Cache-Control', 'no-store').json(describeRequest(created, baseUrl()));
    },
  );

  router.get(`${OID4VP_PATHS.requests}/:id`, async (req, res) => {
    const entry = await store.byId(String(req.params.id), now());
    if (!entry) return oauthError(res, 404, 'invalid_request', 'unknown request');
    if (entry.verdict.status === 'expired') return oauthError(res, 410, 'invalid_request', 'the request has expired');
    if (entry.verdict.status !== 'pending') return oauthError(res, 410, 'invalid_request', 'the request was already answered');
    res.status(200).set('Cache-Control', 'no-store').type(REQUEST_OBJECT_MEDIA_TYPE).send(entry.request.requestObject);
  });

  // request_uri_method=post (OpenID4VP 1.0 section 5.10): the wallet sends its metadata and a nonce;
  // the request object comes back signed afresh with that wallet_nonce in it. GET keeps working.
  router.post(`${OID4VP_PATHS.requests}/:id`, typedBodyErrors(express.urlencoded({ extended: false, limit: '64kb', parameterLimit: 16 })), async (req, res) => {
    const entry = await store.byId(String(req.params.id), now());
    if (!entry) return oauthError(res, 404, 'invalid_request', 'unknown request');
    if (entry.verdict.status === 'expired') return oauthError(res, 410, 'invalid_request', 'the request has expired');
    if (entry.verdict.status !== 'pending') return oauthError(res, 410, 'invalid_request', 'the request was already answered');
    const form = (req.is('application/x-www-form-urlencoded') && req.body && typeof req.body === 'object' ? req.body : {}) as Record<string, unknown>;
    const walletNonce = form.wallet_nonce;
    if (walletNonce !== undefined && (typeof walletNonce !== 'string' || !/^[\x21-\x7e]{1,256}$/.test(walletNonce))) {
      return oauthError(res, 400, 'invalid_request', 'wallet_nonce must be 1 to 256 visible ASCII characters');
    }
    // Read to refuse a malformed one; nothing in it changes what this verifier asks for.
    if (form.wallet_metadata !== undefined) {
      let metadata: unknown;
      try {
        metadata =
          typeof form.wallet_metadata === 'string'
            ? parseJsonBounded(form.wallet_metadata, 'wallet_metadata', (cause) => new Error('not JSON', { cause }), { maxBytes: 32 * 1024 })
            : undefined;
      } catch {
        metadata = undefined;
      }
      if (!metadata || typeof metadata !== 'object' || Array.isArray(metadata))
        return oauthError(res, 400, 'invalid_request', 'wallet_metadata must be a JSON object');
    }
    // A request made by another node (shared store) with a DID key of its own cannot be signed afresh here.
    if (
      walletNonce !== undefined &&
      entry.request.clientIdPrefix === 'decentralized_identifier' &&
      entry.request.clientId !== `decentralized_identifier:${options.didKey?.did}`
    ) {
      return oauthError(
        res,
        400,
        'invalid_request',
        'this request was signed by another verifier node with its own DID key: fetch it with GET, or give every node the same key (x509 for a fleet)',
      );
    }
    const payload = walletNonce === undefined ? entry.request.payload : { ...entry.request.payload, wallet_nonce: walletNonce };
    const requestObject =
      walletNonce === undefined
        ? entry.request.requestObject
        : await encodeRequestObjectFor(entry.request.clientIdPrefix, payload, { didKey: options.didKey, x509: options.x509 });
    res.status(200).set('Cache-Control', 'no-store').type(REQUEST_OBJECT_MEDIA_TYPE).send(requestObject);
  });

  router.get(`${OID4VP_PATHS.requests}/:id/qr.png`, async (req, res) => {
    const entry = await store.byId(String(req.params.id), now());
    if (entry?.verdict.status !== 'pending') return oauthError(res, 404, 'invalid_request', 'unknown or closed request');
    // Drawn once per request: the route is public, so a flood of hits costs a lookup each.
    let png = qrCache.get(entry.request.id);
    if (!png) {
      if (qrCache.size >= QR_CACHE_MAX) qrCache.delete(qrCache.keys().next().value!);
      qrCache.set(entry.request.id, (png = requestQrPng(entry.request.uri)));
    }
    res
      .status(200)
      .set('Cache-Control', 'no-store')
      .type('image/png')
      .send(await png);
  });

  const sendVerdict = (res: Response, verdict: Verdict | undefined): void => {
    if (!verdict) {
      oauthError(res, 404, 'invalid_request', 'unknown request');
      return;
    }
    res.status(200).set('Cache-Control', 'no-store').json(verdict);
  };
  router.get(`${OID4VP_PATHS.requests}/:id/verdict`, requireAdmin, async (req, res) =>
    sendVerdict(res, (await store.byId(String(req.params.id), now()))?.verdict),
  );
  router.get('/oid4vp/states/:state/verdict', requireAdmin, async (req, res) =>
    sendVerdict(res, (await store.byState(String(req.params.state), now()))?.verdict),
  );

  router.post(OID4VP_PATHS.responses, typedBodyErrors(express.urlencoded({ extended: false, limit: '256kb', parameterLimit: 16 })), async (req, res) => {
    if (!req.is('application/x-www-form-urlencoded') || !req.body || typeof req.body !== 'object') {
      return oauthError(res, 400, 'invalid_request', 'the response must be application/x-www-form-urlencoded');
    }
    const result = await handleResponseForm({ store, replay, verify: options.verify, now }, req.body as Record<string, unknown>);
    if (result.verdict && result.verdict.status !== 'pending') options.onVerdict?.(result.verdict);
    res.status(result.status).set('Cache-Control', 'no-store').json(result.body);
  });

  // Body-parser and handler errors become OAuth errors (the one contract), never an HTML stack trace.
  router.use(httpErrorHandler({ log: 'verifier (oid4vp)' }));

  return { router, store, createRequest };
}
