/** `openid4vp://?client_id=...&request_uri=...` (OpenID4VP 1.0 section 5.7, request by reference). */
export function openid4vpUri(clientId: string, requestUri: string, scheme = 'openid4vp://'): string {
  const q = new URLSearchParams({ client_id: clientId, request_uri: requestUri });
  return `${scheme}?${q.toString()}`;
}
