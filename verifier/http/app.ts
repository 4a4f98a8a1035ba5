import express, { type Express, type Request, type Response, type Router } from 'express';
import openApiDocument from '../../docs/openapi/verifier.json' with { type: 'json' };
import { httpErrorHandler } from '../../core/http/errors.js';
import { jsonBody, typedBodyErrors } from '../../core/http/json-body.js';
import { serveOpenApi } from '../../core/http/openapi.js';
import { perIpRateLimit, type RateLimitSetting } from '../../core/http/rate-limit.js';
import { staticPage } from '../../core/http/static-pages.js';
import { isProfileName } from '../../schemas/profiles/index.js';
import { assertKnownTypeProfile } from '../trust/type-profiles.js';
import type { CacheHealth } from '../state/types.js';
import type { Verifier } from '../verify.js';
import { trustStatus } from './trust-status.js';

/** A presentation is at most 64 KiB; JSON around it adds little. */
export const DEFAULT_MAX_BODY_BYTES = 96 * 1024;

/** The verifier HTTP app: the verifier, body size and rate limits, extra routers, the cache health and the kiosk page. */
export type VerifierAppOptions = {
  verifier: Verifier;
  maxBodyBytes?: number;
  /** POST /nonce requests a minute per client IP (default 600; 0 or false: no limit). */
  rateLimit?: RateLimitSetting;
  /** Extra routers mounted after the core routes (e.g. OpenID4VP), before the 404 handler. */
  routers?: Router[];
  /** The state of the shared cache for GET /health (verifier/state); absent: in memory. */
  cache?: { health(): Promise<CacheHealth> };
  /** Serve the kiosk page at GET /kiosk/ (default true; verifier/web/kiosk, built by `npm run build`). */
  kioskPage?: boolean;
};

function badRequest(res: Response, description: string, status = 400, error = 'invalid_request'): void {
  res.status(status).set('Cache-Control', 'no-store').json({ error, error_description: description });
}

const str = (v: unknown): v is string => typeof v === 'string' && v.length > 0;

/**
 * POST /verify, POST /nonce, GET /health, GET /trust/status. A presentation that is understood but rejected is
 * a 200 with `valid: false` and its code (the request succeeded, the verdict is negative); a
 * request that cannot be understood is a 400 with OAuth-style `error` / `error_description`.
 */
export function verifyRoutes(
  verifier: Verifier,
  options: { maxBodyBytes?: number; rateLimit?: RateLimitSetting; cache?: VerifierAppOptions['cache'] } = {},
): Router {
  const limit = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const router = express.Router();
  router.use('/verify', jsonBody({ limit }), typedBodyErrors(express.text({ limit, type: ['text/plain', 'application/dc+sd-jwt', 'application/sd-jwt'] })));

  // A shared store that cannot answer throws CACHE_UNAVAILABLE: 503 with Retry-After (httpErrorHandler), never a verdict.
  router.post('/verify', async (req: Request, res: Response) => {
    let presentation: unknown;
    let profile: unknown;
    let nonce: unknown;
    let aud: unknown;
    if (typeof req.body === 'string') presentation = req.body.trim();
    else if (req.body && typeof req.body === 'object' && !Array.isArray(req.body))
      ({ presentation, profile, nonce, aud } = req.body as Record<string, unknown>);
    else return badRequest(res, 'send JSON {presentation, profile?, nonce?, aud?} or the presentation as text/plain');
    if (!str(presentation)) return badRequest(res, 'presentation must be a non-empty string');
    if (profile !== undefined && !str(profile))
      return badRequest(res, 'profile must be "lite", "upgraded" or the name of a registered type\'s profile in the trust bundle');
    // Another name is a registered type's profile: PROFILE_UNKNOWN (400, the names known) as `verify --profile` says it.
    const typeProfile = profile !== undefined && !isProfileName(profile) ? profile : undefined;
    if (typeProfile !== undefined) assertKnownTypeProfile(verifier.trust, typeProfile);
    if (nonce !== undefined && !str(nonce)) return badRequest(res, 'nonce must be a non-empty string');
    if (aud !== undefined && !str(aud)) return badRequest(res, 'aud must be a non-empty string');
    const result = await verifier.verify(presentation, {
      ...(typeProfile !== undefined ? { typeProfile } : profile !== undefined && isProfileName(profile) ? { profile } : {}),
      ...(nonce !== undefined ? { nonce } : {}),
      ...(aud !== undefined ? { aud } : {}),
    });
    res.set('Cache-Control', 'no-store').json(result);
  });

  // A fresh single-use nonce for an upgraded presentation. The store refuses (never evicts a
  // live nonce) when full: NONCE_STORE_FULL, 503 with Retry-After until its oldest nonce expires.
  router.post('/nonce', perIpRateLimit(options.rateLimit, 'invalid_request', 'nonce'), async (_req, res) => {
    const { nonce, expiresIn } = await verifier.nonces.issue();
    res.set('Cache-Control', 'no-store').json({ nonce, expires_in: expiresIn });
  });

  // 503 while the shared cache is down: this node then verifies nothing (a load balancer may take it out).
  router.get('/health', async (_req, res) => {
    const { trust } = verifier;
    const cache: CacheHealth = options.cache ? await options.cache.health() : { backend: 'memory', status: 'ok' };
    res
      .status(cache.status === 'ok' ? 200 : 503)
      .set('Cache-Control', 'no-store')
      .json({
        status: cache.status === 'ok' ? 'ok' : 'unavailable',
        issuers: trust.issuerIds().length,
        status_lists: trust.statusListCount,
        bundle_updated_at: trust.bundle.updatedAt,
        cache,
      });
  });
  // The kiosk page's header: how old the bundle and each list is, which are past their ttl (read-only, no secrets).
  router.get('/trust/status', (_req, res) => {
    res.set('Cache-Control', 'no-store').json(trustStatus(verifier));
  });
  return router;
}

/** The verifier's HTTP app (express 5): small, and open to extra routers. */
export function createVerifierApp(options: VerifierAppOptions): Express {
  const app = express();
  app.disable('x-powered-by');
  app.use(verifyRoutes(options.verifier, { maxBodyBytes: options.maxBodyBytes, rateLimit: options.rateLimit, cache: options.cache }));
  app.get('/openapi.json', serveOpenApi(openApiDocument));
  if (options.kioskPage !== false) app.use(staticPage({ page: 'kiosk', path: '/kiosk/', camera: true }));
  for (const r of options.routers ?? []) app.use(r);
  app.use((_req, res) => badRequest(res, 'no such route', 404, 'not_found'));
  app.use(httpErrorHandler({ log: 'verifier' }));
  return app;
}
