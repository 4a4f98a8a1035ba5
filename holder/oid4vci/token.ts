import { postWithDpop, type DpopSession } from './dpop.js';
import { Oid4vciClientError } from './errors.js';
import { requestJson, type HttpOptions } from './http.js';
import type { IssuerEndpoints } from './metadata.js';

/** An access token as the token endpoint typed it: Bearer (RFC 6750) or bound to the flow's DPoP key (RFC 9449). */
export type AccessToken = { token: string; type: 'Bearer' | 'DPoP' };

const FORM = { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' };

/** The token request (any grant): with a DPoP proof when the flow uses DPoP, retried once with the server's nonce. */
export async function requestAccessToken(
  endpoints: IssuerEndpoints,
  form: URLSearchParams,
  dpop: DpopSession | undefined,
  http: HttpOptions,
): Promise<AccessToken> {
  const request = { headers: FORM, body: form.toString() };
  const token = dpop
    ? await postWithDpop(dpop, endpoints.tokenEndpoint, request, 'token request', http)
    : ((await requestJson(endpoints.tokenEndpoint, { method: 'POST', ...request }, 'token request', http)) as Record<string, unknown>);
  const type = typeof token.token_type === 'string' ? token.token_type.toLowerCase() : undefined;
  if (typeof token.access_token !== 'string' || token.access_token.length === 0 || (type !== 'bearer' && !(type === 'dpop' && dpop))) {
    throw new Oid4vciClientError('ISSUER_METADATA_INVALID', `the token endpoint returned no ${dpop ? 'DPoP or ' : ''}Bearer access_token`);
  }
  return { token: token.access_token, type: type === 'dpop' ? 'DPoP' : 'Bearer' };
}

/** A credential request with the token as it was typed: Bearer, or DPoP with a proof carrying its `ath`. */
export async function requestCredential(
  endpoints: IssuerEndpoints,
  token: AccessToken,
  body: unknown,
  dpop: DpopSession | undefined,
  http: HttpOptions,
): Promise<Record<string, unknown>> {
  const headers = { 'content-type': 'application/json', accept: 'application/json' };
  if (token.type === 'DPoP') {
    if (!dpop) throw new Oid4vciClientError('ISSUER_METADATA_INVALID', 'a DPoP-bound token without a DPoP key');
    return postWithDpop(dpop, endpoints.credentialEndpoint, { headers, body: JSON.stringify(body), accessToken: token.token }, 'credential request', http);
  }
  return (await requestJson(
    endpoints.credentialEndpoint,
    { method: 'POST', headers: { ...headers, authorization: `Bearer ${token.token}` }, body: JSON.stringify(body) },
    'credential request',
    http,
  )) as Record<string, unknown>;
}
