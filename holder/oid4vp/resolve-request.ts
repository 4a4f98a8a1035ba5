import type { Resolver } from 'did-resolver';
import { loopbackAwareResolver } from '../net.js';
import { oid4vpError } from './errors.js';
import { assertVerifierUrl, boundedExchange, type FetchLike } from './http.js';
import { parseOpenid4vpUri } from './parse-uri.js';
import { decodeRequestObject, splitClientId, type DecodedRequestObject } from './request-object.js';
import { validateRequest, type ResolvedRequest } from './validate-request.js';

export const MAX_REQUEST_OBJECT_BYTES = 64 * 1024;

export type ResolveRequestOptions = {
  fetch?: FetchLike;
  /** DID resolution for signed requests (default: did:key/did:jwk offline, did:web over https). */
  resolver?: Resolver;
  timeoutMs?: number;
  /** Milliseconds since the epoch. */
  now?: number;
};

/**
 * From an `openid4vp://` URI to a checked request: fetch the request object by request_uri
 * (GET, bounded size and time, no redirects), verify it for its client_id prefix, validate it.
 */
export async function resolveRequest(uri: string, options: ResolveRequestOptions = {}): Promise<ResolvedRequest> {
  const ref = parseOpenid4vpUri(uri);
  const resolver = options.resolver ?? loopbackAwareResolver();
  let object: DecodedRequestObject;
  if (ref.kind === 'params') {
    if (splitClientId(ref.clientId).prefix !== 'redirect_uri') throw oid4vpError('OID4VP_REQUEST_INVALID', 'a request by value must be signed unless its client_id is redirect_uri:');
    object = { payload: { ...ref.params } };
  } else if (ref.kind === 'request') {
    object = await decodeRequestObject(ref.request, ref.clientId, resolver);
  } else {
    const url = assertVerifierUrl(ref.requestUri, 'request_uri', 'OID4VP_REQUEST_FETCH_FAILED');
    const res = await boundedExchange(
      options.fetch ?? fetch,
      url,
      { method: 'GET', headers: { accept: 'application/oauth-authz-req+jwt, application/jwt, application/json;q=0.5' } },
      { maxBytes: MAX_REQUEST_OBJECT_BYTES, timeoutMs: options.timeoutMs ?? 10_000, code: 'OID4VP_REQUEST_FETCH_FAILED', what: `GET ${ref.requestUri}` },
    );
    if (res.status !== 200) {
      const hint = safeErrorDescription(res.text);
      throw oid4vpError('OID4VP_REQUEST_FETCH_FAILED', `GET ${ref.requestUri} answered ${res.status}${hint ? `: ${hint}` : ''}`);
    }
    object = await decodeRequestObject(res.text, ref.clientId, resolver);
  }
  return validateRequest(object, ref.clientId, Math.floor((options.now ?? Date.now()) / 1000));
}

/** The `error_description` of an OAuth error body, trimmed and without control characters. */
export function safeErrorDescription(text: string): string | undefined {
  try {
    const body = JSON.parse(text) as { error?: unknown; error_description?: unknown };
    const parts = [body.error, body.error_description].filter((v): v is string => typeof v === 'string');
    return parts.length ? parts.join(': ').replace(/[\u0000-\u001f]/g, ' ').slice(0, 300) : undefined;
  } catch {
    return undefined;
  }
}
