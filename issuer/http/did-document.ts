import { Router } from 'express';
import { didWebToUrl } from '../../core/did/did-web.js';
import type { IssuerContext } from '../context.js';

const WELL_KNOWN = '/.well-known/did.json';

/**
 * Where the DID document is served: the path did:web maps the DID to (`/.well-known/did.json`,
 * or `/<path>/did.json`); a did:key issuer also publishes its (derivable) document there.
 */
export function didDocumentPath(ctx: IssuerContext): string {
  return ctx.issuerDid.startsWith('did:web:') ? new URL(didWebToUrl(ctx.issuerDid, { insecure: true })).pathname : WELL_KNOWN;
}

export function didDocumentRoutes(ctx: IssuerContext): Router {
  const router = Router();
  const body = JSON.stringify(ctx.didDocument);
  router.get(didDocumentPath(ctx), (_req, res) => {
    res.type('application/did+json').set('Cache-Control', 'public, max-age=300').send(body);
  });
  return router;
}
