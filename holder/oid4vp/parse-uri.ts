import { oid4vpError } from './errors.js';

export const MAX_URI_LENGTH = 16 * 1024;
const SCHEMES = new Set(['openid4vp:']);

/** An authorization request as found in the URI: by reference (request_uri), by value as a JWT (request), or as plain parameters. */
export type RequestReference =
  | { kind: 'request_uri'; clientId: string; requestUri: string; requestUriMethod?: string }
  | { kind: 'request'; clientId: string; request: string }
  | { kind: 'params'; clientId: string; params: Record<string, string> };

/**
 * Parses `openid4vp://?client_id=...&request_uri=...` (OpenID4VP 1.0 section 5): strict about
 * the scheme, duplicate parameters and the mutually exclusive request / request_uri.
 */
export function parseOpenid4vpUri(uri: string): RequestReference {
  if (typeof uri !== 'string' || uri.length === 0) throw oid4vpError('OID4VP_URI_INVALID', 'the OpenID4VP URI is empty');
  if (uri.length > MAX_URI_LENGTH) throw oid4vpError('OID4VP_URI_INVALID', `the OpenID4VP URI exceeds ${MAX_URI_LENGTH} characters`);
  let url: URL;
  try {
    url = new URL(uri.trim());
  } catch (cause) {
    throw oid4vpError('OID4VP_URI_INVALID', 'not a URI', { cause });
  }
  if (!SCHEMES.has(url.protocol)) throw oid4vpError('OID4VP_URI_INVALID', `unsupported scheme ${url.protocol} (openid4vp://)`);
  const params: Record<string, string> = {};
  for (const [k, v] of url.searchParams) {
    if (Object.hasOwn(params, k)) throw oid4vpError('OID4VP_URI_INVALID', `parameter ${k} appears twice`);
    params[k] = v;
  }
  const clientId = params.client_id;
  if (!clientId) throw oid4vpError('OID4VP_URI_INVALID', 'client_id is missing');
  if (params.request !== undefined && params.request_uri !== undefined)
    throw oid4vpError('OID4VP_URI_INVALID', 'request and request_uri are mutually exclusive');
  if (params.request_uri !== undefined) {
    return {
      kind: 'request_uri',
      clientId,
      requestUri: params.request_uri,
      ...(params.request_uri_method ? { requestUriMethod: params.request_uri_method } : {}),
    };
  }
  if (params.request !== undefined) return { kind: 'request', clientId, request: params.request };
  return { kind: 'params', clientId, params };
}
