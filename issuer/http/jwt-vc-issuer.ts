import { Router } from 'express';
import { jwtVcIssuerMetadataPath } from '../../core/vc/jwt-vc-issuer.js';
import type { IssuerContext } from '../context.js';
import { issuerJwks } from '../issuer-id.js';

/** JWT VC Issuer Metadata (SD-JWT VC): `issuer` is exactly the `iss` of the credentials, `jwks` its key by `kid`. */
export function jwtVcIssuerMetadata(ctx: IssuerContext): { issuer: string; jwks: ReturnType<typeof issuerJwks> } {
  return { issuer: ctx.issuerId, jwks: issuerJwks(ctx.issuerJwk, ctx.issuerJwk.kid) };
}

/**
 * GET /.well-known/jwt-vc-issuer[/<path of the public URL>], at the host root as the draft
 * places it (between host and path), served only when `iss` is the public URL: a DID issuer has
 * no metadata whose `issuer` could equal its `iss`.
 */
export function jwtVcIssuerRoutes(ctx: IssuerContext): Router {
  const router = Router();
  if (ctx.config.issuerIdKind !== 'url') return router;
  const body = JSON.stringify(jwtVcIssuerMetadata(ctx));
  router.get(jwtVcIssuerMetadataPath(ctx.issuerId), (_req, res) => {
    res.type('application/json').set('Cache-Control', 'public, max-age=300').send(body);
  });
  return router;
}
