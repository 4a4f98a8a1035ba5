import type { RequestHandler } from 'express';

/**
 * `GET /openapi.json`: an app's OpenAPI document (each role app passes its own, docs/openapi/*.json),
 * with `servers` set to where it is reachable (the issuer's public URL origin) when the app knows it.
 */
export function serveOpenApi(document: object, serverUrl?: string): RequestHandler {
  const body = JSON.stringify(serverUrl ? { ...document, servers: [{ url: serverUrl }] } : document);
  return (_req, res) => {
    res.type('application/json').set('Cache-Control', 'public, max-age=300').send(body);
  };
}
