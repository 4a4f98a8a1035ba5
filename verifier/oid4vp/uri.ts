/**
 * `openid4vp://?client_id=...&request_uri=...` (OpenID4VP 1.0 section 5.7, request by reference),
 * with `request_uri_method=post` when the wallet may POST its metadata and nonce (section 5.10).
 */
export function openid4vpUri(clientId: string, requestUri: string, scheme = 'openid4vp://', requestUriMethod?: 'get' | 'post'): string {
  const q = new URLSearchParams({ client_id: clientId, request_uri: requestUri });
  if (requestUriMethod) q.set('request_uri_method', requestUriMethod);
  return `${scheme}?${q.toString()}`;
}

/** The request by value: every parameter in the URI, JSON values (dcql_query, client_metadata) as JSON strings. */
export function openid4vpUriByValue(params: Record<string, unknown>, scheme = 'openid4vp://'): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) q.set(k, typeof v === 'string' ? v : JSON.stringify(v));
  return `${scheme}?${q.toString()}`;
}
