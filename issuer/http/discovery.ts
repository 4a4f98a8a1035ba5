import { Router } from 'express';
import { RESIDENT_IDENTITY_LITE_TYPE_METADATA, RESIDENT_IDENTITY_TYPE_METADATA, type TypeMetadata } from '../../schemas/index.js';
import type { IssuerContext } from '../context.js';

/** Type metadata of every credential type this issuer mints, by `vct` (the identity credential and its lite companion). */
const TYPE_METADATA: ReadonlyMap<string, TypeMetadata> = new Map([
  [RESIDENT_IDENTITY_TYPE_METADATA.vct, RESIDENT_IDENTITY_TYPE_METADATA],
  [RESIDENT_IDENTITY_LITE_TYPE_METADATA.vct, RESIDENT_IDENTITY_LITE_TYPE_METADATA],
]);

export function typeMetadataUri(ctx: IssuerContext, vct: string): string {
  return `${ctx.config.publicUrl}/type-metadata/${encodeURIComponent(vct)}`;
}

/**
 * What a verifier fetches to build its trust bundle while online. `issuer` is the `iss` of the
 * credentials: the DID (its document beside it), or the public URL, whose keys the verifier then
 * takes from JWT VC Issuer Metadata at the well-known location, never from this answer.
 */
export function discoveryDocument(ctx: IssuerContext): Record<string, unknown> {
  return {
    issuer: ctx.issuerId,
    did_document: ctx.didDocument,
    credential_types: [...TYPE_METADATA.keys()].map((vct) => ({ vct, type_metadata_uri: typeMetadataUri(ctx, vct) })),
    status_aggregation_uri: `${ctx.config.publicUrl}/status/aggregation`,
  };
}

/** GET /.well-known/netcred-issuer and GET /type-metadata/:vct (relative to the public URL's path). */
export function discoveryRoutes(ctx: IssuerContext): Router {
  const router = Router();
  router.get('/.well-known/netcred-issuer', (_req, res) => {
    res.set('Cache-Control', 'public, max-age=300').json(discoveryDocument(ctx));
  });
  router.get('/type-metadata/:vct', (req, res) => {
    const metadata = TYPE_METADATA.get(req.params.vct);
    if (!metadata) {
      res.status(404).json({ error: 'not_found', error_description: `no type metadata for vct ${req.params.vct}` });
      return;
    }
    res.set('Cache-Control', 'public, max-age=3600').json(metadata);
  });
  return router;
}
