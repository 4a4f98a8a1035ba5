import { randomBytes, type X509Certificate } from 'node:crypto';
import type { Resolver } from 'did-resolver';
import { loopbackAwareResolver } from '../net.js';
import { oid4vpError } from './errors.js';
import { assertVerifierUrl, boundedExchange, type FetchLike } from './http.js';
import { parseOpenid4vpUri } from './parse-uri.js';
import { decodeRequestObject, splitClientId, type DecodedRequestObject } from './request-object.js';
import { validateRequest, type ResolvedRequest } from './validate-request.js';
import { walletMetadataFor } from './wallet-metadata.js';

export const MAX_REQUEST_OBJECT_BYTES = 64 * 1024;

export type ResolveRequestOptions = {
  fetch?: FetchLike;
  /** DID resolution for signed requests (default: did:key/did:jwk offline, did:web over https). */
  resolver?: Resolver;
  /** The roots this wallet trusts for verifier certificates (x509_san_dns, x509_hash requests). */
  trustedRoots?: readonly X509Certificate[];
  timeoutMs?: number;
  /** Milliseconds since the epoch. */
  now?: number;
};

const ACCEPT = 'application/oauth-authz-req+jwt, application/jwt, application/json;q=0.5';

/**
 * Fetches the request object at request_uri: GET (RFC 9101), or with `request_uri_method=post`
 * a form POST of our wallet_metadata and a fresh wallet_nonce (OpenID4VP 1.0 section 5.10),
 * which the signed request object must then carry. Bounded size and time, no redirects, and any
 * HTTP error ends the exchange.
 */
async function fetchRequestObject(
  requestUri: string,
  method: 'get' | 'post',
  clientId: string,
  options: ResolveRequestOptions,
): Promise<{ text: string; walletNonce?: string }> {
  const url = assertVerifierUrl(requestUri, 'request_uri', 'OID4VP_REQUEST_FETCH_FAILED');
  let init: RequestInit = { method: 'GET', headers: { accept: ACCEPT } };
  let walletNonce: string | undefined;
  if (method === 'post') {
    walletNonce = randomBytes(32).toString('base64url');
    const form = new URLSearchParams({ wallet_metadata: JSON.stringify(walletMetadataFor(splitClientId(clientId).prefix)), wallet_nonce: walletNonce });
    init = {
      method: 'POST',
      headers: { accept: 'application/oauth-authz-req+jwt', 'content-type': 'application/x-www-form-urlencoded' },
      body: form.toString(),
    };
  }
  const what = `${init.method} ${requestUri}`;
  const res = await boundedExchange(options.fetch ?? fetch, url, init, {
    maxBytes: MAX_REQUEST_OBJECT_BYTES,
    timeoutMs: options.timeoutMs ?? 10_000,
    code: 'OID4VP_REQUEST_FETCH_FAILED',
    what,
  });
  if (res.status !== 200) {
    const hint = safeErrorDescription(res.text);
    throw oid4vpError('OID4VP_REQUEST_FETCH_FAILED', `${what} answered ${res.status}${hint ? `: ${hint}` : ''}`);
  }
  return { text: res.text, ...(walletNonce ? { walletNonce } : {}) };
}

/**
 * From an `openid4vp://` URI to a checked request: fetch the request object by request_uri
 * (GET or POST), verify it for its client_id prefix, validate it.
 */
export async function resolveRequest(uri: string, options: ResolveRequestOptions = {}): Promise<ResolvedRequest> {
  const ref = parseOpenid4vpUri(uri);
  const resolver = options.resolver ?? loopbackAwareResolver();
  const nowMs = options.now ?? Date.now();
  const decodeOptions = { trustedRoots: options.trustedRoots ?? [], now: Math.floor(nowMs / 1000) };
  let object: DecodedRequestObject;
  if (ref.kind === 'params') {
    if (splitClientId(ref.clientId).prefix !== 'redirect_uri')
      throw oid4vpError('OID4VP_REQUEST_INVALID', 'a request by value must be signed unless its client_id is redirect_uri:');
    object = { payload: { ...ref.params } };
  } else if (ref.kind === 'request') {
    object = await decodeRequestObject(ref.request, ref.clientId, resolver, decodeOptions);
  } else {
    const method = ref.requestUriMethod ?? 'get';
    if (method !== 'get' && method !== 'post')
      throw oid4vpError('OID4VP_URI_INVALID', `request_uri_method must be get or post (case-sensitive), not ${method}`);
    const fetched = await fetchRequestObject(ref.requestUri, method, ref.clientId, options);
    object = await decodeRequestObject(fetched.text, ref.clientId, resolver, decodeOptions);
    // Section 5.10: the request object must echo our nonce, or it may be a replay of an old one.
    if (fetched.walletNonce !== undefined && object.payload.wallet_nonce !== fetched.walletNonce) {
      throw oid4vpError('OID4VP_REQUEST_INVALID', 'the request object does not carry the wallet_nonce this wallet sent (a replayed or foreign request object)');
    }
  }
  return validateRequest(object, ref.clientId, Math.floor(nowMs / 1000));
}

/** The `error_description` of an OAuth error body, trimmed and without control characters. */
export function safeErrorDescription(text: string): string | undefined {
  try {
    const body = JSON.parse(text) as { error?: unknown; error_description?: unknown };
    const parts = [body.error, body.error_description].filter((v): v is string => typeof v === 'string');
    return parts.length
      ? parts
          .join(': ')
          .replace(/[\u0000-\u001f]/g, ' ')
          .slice(0, 300)
      : undefined;
  } catch {
    return undefined;
  }
}
