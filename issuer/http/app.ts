import express from 'express';
import { jsonBody } from '../../core/http/json-body.js';
import { RETRY_AFTER_SECONDS } from '../../core/http/errors.js';
import { serveOpenApi } from '../../core/http/openapi.js';
import { staticPage } from '../../core/http/static-pages.js';
import type { RateLimitSetting } from '../../core/http/rate-limit.js';
import type { IssuerContext } from '../context.js';
import { oid4vciRouter } from '../oid4vci/routes.js';
import { statusRoutes } from '../status/http.js';
import { didDocumentRoutes } from './did-document.js';
import { discoveryRoutes } from './discovery.js';
import { jwtVcIssuerRoutes } from './jwt-vc-issuer.js';
import { probeStoreHealth } from '../store/probe.js';
import { errorHandler, notFound } from './errors.js';
import { requireAdmin } from './admin-auth.js';
import { credentialSearchRoutes } from './credential-search.js';
import openApiDocument from '../../docs/openapi/issuer.json' with { type: 'json' };

export const JSON_BODY_LIMIT = '64kb';

/** The path part of the public URL ('' at the root): routes that URIs point at live under it. */
export function basePathOf(ctx: IssuerContext): string {
  return new URL(ctx.config.publicUrl).pathname.replace(/\/+$/, '');
}

/** The issuer HTTP app's rate limit and whether it serves the enrollment console page. */
export type IssuerAppOptions = {
  /** OpenID4VCI token and nonce requests a minute per client IP (default 600; 0 or false: no limit). */
  rateLimit?: RateLimitSetting;
  /** Serve the enrollment console at GET <path>/console/ (default true; issuer/web/console, built by `npm run build`). */
  consolePage?: boolean;
};

/**
 * The issuer's HTTP app: health, DID document, discovery and type metadata, status list routes
 * (public and admin), JSON 404 and OAuth-style errors. Routes whose URIs are built from the
 * public URL are mounted under its path.
 */
export function createIssuerApp(ctx: IssuerContext, options: IssuerAppOptions = {}): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', false);
  app.use((_req, res, next) => {
    res.set('X-Content-Type-Options', 'nosniff');
    next();
  });
  // One admin guard for the routers' admin routes: they are handed it, so they never import the app.
  const admin = requireAdmin(ctx);
  app.use(oid4vciRouter(ctx, { requireAdmin: admin, rateLimit: options.rateLimit })); // OpenID4VCI + /admin/enrollments: own body parsers and limits, so before the app's JSON parser
  app.use(jsonBody({ limit: JSON_BODY_LIMIT }));
  // 200 while writes work; 503 with the store's fault while they fail (it probes for recovery).
  app.get('/health', (_req, res, next) => {
    probeStoreHealth(ctx.dataSource).then((store) => {
      if (store.status === 'ok') res.set('Cache-Control', 'no-store').json({ status: 'ok', did: ctx.issuerDid });
      else
        res
          .status(503)
          .set({ 'Cache-Control': 'no-store', 'Retry-After': String(RETRY_AFTER_SECONDS) })
          .json({ status: 'degraded', did: ctx.issuerDid, store });
    }, next);
  });
  app.get('/openapi.json', serveOpenApi(openApiDocument, new URL(ctx.config.publicUrl).origin));
  app.use(didDocumentRoutes(ctx));
  app.use(jwtVcIssuerRoutes(ctx)); // at the host root, whatever the public URL's path
  const base = basePathOf(ctx) || '/';
  app.use(base, discoveryRoutes(ctx));
  app.use(base, statusRoutes(ctx, { requireAdmin: admin }));
  app.use(base, credentialSearchRoutes(ctx, { requireAdmin: admin }));
  // The page calls the admin API with relative URLs (../admin/...), so it lives under the same path.
  if (options.consolePage !== false) app.use(base, staticPage({ page: 'console', path: '/console/' }));
  app.use(notFound());
  app.use(errorHandler());
  return app;
}
