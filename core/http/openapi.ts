import type { RequestHandler } from 'express';
import issuerDocument from '../../docs/openapi/issuer.json' with { type: 'json' };
import verifierDocument from '../../docs/openapi/verifier.json' with { type: 'json' };

/** The OpenAPI 3.1 documents of the two HTTP apps (docs/openapi/*.json, kept in step with the routes by test/openapi). */
export const OPENAPI_DOCUMENTS = { issuer: issuerDocument, verifier: verifierDocument } as const;

export type OpenApiName = keyof typeof OPENAPI_DOCUMENTS;

/**
 * `GET /openapi.json`: the app's document, with `servers` set to where it is reachable
 * (the issuer's public URL origin) when the app knows it.
 */
export function serveOpenApi(name: OpenApiName, serverUrl?: string): RequestHandler {
  const doc = serverUrl ? { ...OPENAPI_DOCUMENTS[name], servers: [{ url: serverUrl }] } : OPENAPI_DOCUMENTS[name];
  const body = JSON.stringify(doc);
  return (_req, res) => {
    res.type('application/json').set('Cache-Control', 'public, max-age=300').send(body);
  };
}
