import { Router } from 'express';
import { RESIDENT_IDENTITY_LITE_TYPE_METADATA, RESIDENT_IDENTITY_TYPE_METADATA, type TypeMetadata } from '../../schemas/index.js';
import type { IssuerContext } from '../context.js';
import { registeredTypeDefinition, registeredTypeDefinitions, type CredentialTypeDefinition } from '../credential-types/index.js';

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
export function discoveryDocument(ctx: IssuerContext, registered: readonly Pick<CredentialTypeDefinition, 'vct' | 'profiles'>[] = []): Record<string, unknown> {
  const builtIn = [...TYPE_METADATA.keys()].map((vct) => ({ vct, type_metadata_uri: typeMetadataUri(ctx, vct) }));
  // A registered type's profiles (named DCQL queries) travel with it: verifier sync puts them in the
  // bundle and the wallet learns them, so `--profile NAME` works on both sides (a netcred extension).
  const types = registered.map((d) => ({
    vct: d.vct,
    type_metadata_uri: typeMetadataUri(ctx, d.vct),
    ...(Object.keys(d.profiles ?? {}).length ? { profiles: d.profiles } : {}),
  }));
  return {
    issuer: ctx.issuerId,
    did_document: ctx.didDocument,
    credential_types: [...builtIn, ...types],
    status_aggregation_uri: `${ctx.config.publicUrl}/status/aggregation`,
  };
}

/** GET /.well-known/netcred-issuer and GET /type-metadata/:vct (relative to the public URL's path). */
export function discoveryRoutes(ctx: IssuerContext): Router {
  const router = Router();
  // Registered types are read from the store on each request: `issuer type add` in another process shows at once.
  router.get('/.well-known/netcred-issuer', async (_req, res) => {
    const registered = await registeredTypeDefinitions(ctx);
    res.set('Cache-Control', 'public, max-age=300').json(discoveryDocument(ctx, registered));
  });
  router.get('/type-metadata/:vct', async (req, res) => {
    const definition = TYPE_METADATA.has(req.params.vct) ? undefined : await registeredTypeDefinition(ctx, req.params.vct);
    // A registered type's JSON Schema travels inside its metadata (`schema`): verifier sync keeps it in the bundle.
    const metadata = TYPE_METADATA.get(req.params.vct) ?? (definition ? { ...definition.metadata, schema: definition.schema } : undefined);
    if (!metadata) {
      res.status(404).json({ error: 'not_found', error_description: `no type metadata for vct ${req.params.vct}` });
      return;
    }
    res.set('Cache-Control', 'public, max-age=3600').json(metadata);
  });
  return router;
}
