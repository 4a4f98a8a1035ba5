import express, { Router, type Request, type RequestHandler, type Response } from 'express';
import type { IssuerContext } from '../context.js';
import { auditLog, credentialStatus, reinstateCredential, reportDeviceLost, revokeCredential, suspendCredential, type StatusReason } from './lifecycle.js';
import { statusPublisher, type Published } from './publish.js';

const ADMIN_ACTOR = 'admin-api';

function send(res: Response, published: Published | undefined, contentType: string): void {
  if (!published) {
    res.status(404).json({ error: 'not_found', error_description: 'no such status list' });
    return;
  }
  const maxAge = Math.max(0, Math.min(published.ttl, published.exp - Math.floor(Date.now() / 1000)));
  res.status(200).set('Content-Type', contentType).set('Cache-Control', `public, max-age=${maxAge}`).send(published.body);
}

function bodyOf(req: Request): Record<string, unknown> {
  const b: unknown = req.body;
  return b && typeof b === 'object' && !Array.isArray(b) ? (b as Record<string, unknown>) : {};
}

/**
 * Public status list routes (mounted under the public URL's path):
 *   GET /status/lists/:id                               IETF token, application/statuslist+jwt
 *   GET /status/lists/:id/bitstring/revocation|suspension  W3C list credential, application/vc+jwt
 *   GET /status/aggregation                             {status_lists: [uri, ...]}
 * and the admin lifecycle API under /admin, behind the guard the app hands in (its admin bearer
 * token). A handler's error (express 5 passes a rejected promise on) is answered by the app's
 * error handler, from its code's class.
 */
export function statusRoutes(ctx: IssuerContext, options: { requireAdmin: RequestHandler }): Router {
  const router = Router();
  const publisher = statusPublisher(ctx);
  publisher.startBackgroundRefresh();

  router.get('/status/lists/:id', async (req, res) => send(res, await publisher.token(String(req.params.id)), 'application/statuslist+jwt'));
  router.get('/status/lists/:id/bitstring/:purpose', async (req, res) => {
    const purpose = req.params.purpose;
    if (purpose !== 'revocation' && purpose !== 'suspension') {
      res.status(404).json({ error: 'not_found', error_description: 'purpose must be revocation or suspension' });
      return;
    }
    send(res, await publisher.bitstringCredential(String(req.params.id), purpose), 'application/vc+jwt');
  });
  router.get('/status/aggregation', async (_req, res) => {
    res.set('Cache-Control', `public, max-age=${publisher.options.ttlSeconds}`).json(await publisher.aggregation());
  });

  const admin = Router();
  admin.use(options.requireAdmin);
  admin.use(express.json({ limit: '16kb' }));
  admin.use((_req, res, next) => {
    res.set('Cache-Control', 'no-store');
    next();
  });
  const change = (op: typeof revokeCredential, defaultReason: StatusReason | undefined) => async (req: Request, res: Response) => {
    const reason = bodyOf(req).reason ?? defaultReason;
    res.json(await op(ctx, String(req.params.id), reason as StatusReason, ADMIN_ACTOR));
  };
  admin.post('/credentials/:id/revoke', change(revokeCredential, 'admin'));
  admin.post('/credentials/:id/suspend', change(suspendCredential, 'admin'));
  admin.post('/credentials/:id/reinstate', change(reinstateCredential, 'admin'));
  admin.get('/credentials/:id/status', async (req, res) => {
    res.json(await credentialStatus(ctx, String(req.params.id)));
  });
  admin.post('/device-lost', async (req, res) => {
    const b = bodyOf(req);
    const selector = b.holderDid !== undefined ? { holderDid: b.holderDid as string } : { thumbprint: b.thumbprint as string };
    if ((b.holderDid === undefined) === (b.thumbprint === undefined)) {
      res.status(400).json({ error: 'invalid_request', error_description: 'give exactly one of holderDid or thumbprint' });
      return;
    }
    res.json(await reportDeviceLost(ctx, selector, ADMIN_ACTOR));
  });
  admin.get('/audit', async (req, res) => {
    const credentialId = typeof req.query.credential === 'string' ? req.query.credential : undefined;
    const limit = typeof req.query.limit === 'string' ? Number(req.query.limit) : undefined;
    const before = typeof req.query.before === 'string' ? Number(req.query.before) : undefined;
    res.json({ entries: await auditLog(ctx, { credentialId, limit, before }) });
  });
  router.use('/admin', admin);
  return router;
}
