import { randomBytes } from 'node:crypto';
import { createPkcePair, PKCE_METHOD } from '../../core/oauth/pkce.js';
import { jwkThumbprintOf } from '../../core/oauth/dpop.js';
import type { DpopSession } from './dpop.js';
import { postWithDpop } from './dpop.js';
import { Oid4vciClientError, fromErrorResponse } from './errors.js';
import { requestJson, type HttpOptions } from './http.js';
import type { IssuerEndpoints } from './metadata.js';
import type { CredentialOffer } from './offer.js';

/** How the resident authorizes: the wallet's client_id and redirect_uri, and the browser step. */
export type AuthorizationStep = {
  /** The wallet's client_id (a public client; default `netcred-wallet`). */
  clientId?: string;
  /** Where the authorization server sends the browser back (e.g. a loopback listener, RFC 8252), asked when the flow starts. */
  redirectUri(): Promise<string>;
  /**
   * Shows the authorization URL to the resident (opens a browser, prints it) and resolves with
   * the URL the browser came back to (redirect_uri with code, state and iss, or an error).
   */
  authorize(authorizationUrl: string): Promise<string>;
};

export const DEFAULT_CLIENT_ID = 'netcred-wallet';

export type AuthorizationCodeResult = { code: string; codeVerifier: string; redirectUri: string; clientId: string };

/**
 * The authorization code flow's front half (RFC 6749 4.1 with RFC 7636 PKCE S256, RFC 9126 PAR,
 * RFC 9207): pushes the request (with a DPoP proof when DPoP is in use, which binds the code to
 * the flow's key) or, when the server has no PAR endpoint, puts it in the URL with `dpop_jkt`;
 * lets the resident authorize; checks the response's `state` and `iss` and returns the code.
 */
export async function obtainAuthorizationCode(
  offer: CredentialOffer,
  endpoints: IssuerEndpoints,
  configuration: Record<string, unknown> | undefined,
  step: AuthorizationStep,
  dpop: DpopSession | undefined,
  http: HttpOptions,
): Promise<AuthorizationCodeResult> {
  if (!endpoints.authorizationEndpoint) throw new Oid4vciClientError('ISSUER_METADATA_INVALID', 'the authorization server has no authorization_endpoint');
  if (!endpoints.codeChallengeMethods.includes(PKCE_METHOD))
    throw new Oid4vciClientError('ISSUER_METADATA_INVALID', 'the authorization server does not support PKCE S256');
  const clientId = step.clientId ?? DEFAULT_CLIENT_ID;
  const redirectUri = await step.redirectUri();
  const pkce = createPkcePair();
  const state = randomBytes(24).toString('base64url');
  const params: Record<string, string> = {
    response_type: 'code',
    client_id: clientId,
    redirect_uri: redirectUri,
    code_challenge: pkce.challenge,
    code_challenge_method: PKCE_METHOD,
    state,
  };
  if (typeof configuration?.scope === 'string') params.scope = configuration.scope;
  if (offer.authorizationCode?.issuerState !== undefined) params.issuer_state = offer.authorizationCode.issuerState;

  let authorizationUrl: URL;
  if (endpoints.parEndpoint) {
    const form = { headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' }, body: new URLSearchParams(params).toString() };
    const pushed = dpop
      ? await postWithDpop(dpop, endpoints.parEndpoint, form, 'pushed authorization request', http)
      : ((await requestJson(endpoints.parEndpoint, { method: 'POST', ...form }, 'pushed authorization request', http)) as Record<string, unknown>);
    if (typeof pushed.request_uri !== 'string' || pushed.request_uri.length === 0)
      throw new Oid4vciClientError('ISSUER_METADATA_INVALID', 'the PAR endpoint returned no request_uri');
    authorizationUrl = new URL(endpoints.authorizationEndpoint.href);
    authorizationUrl.searchParams.set('client_id', clientId);
    authorizationUrl.searchParams.set('request_uri', pushed.request_uri);
  } else {
    if (endpoints.requirePar)
      throw new Oid4vciClientError('ISSUER_METADATA_INVALID', 'the authorization server requires PAR but names no pushed_authorization_request_endpoint');
    authorizationUrl = new URL(endpoints.authorizationEndpoint.href);
    for (const [k, v] of Object.entries(params)) authorizationUrl.searchParams.set(k, v);
    if (dpop) authorizationUrl.searchParams.set('dpop_jkt', await jwkThumbprintOf(dpop.key.publicJwk));
  }

  const back = await step.authorize(authorizationUrl.href);
  let response: URL;
  try {
    response = new URL(back);
  } catch (cause) {
    throw new Oid4vciClientError('AUTHORIZATION_RESPONSE_INVALID', 'the authorization response is not a URL', { cause });
  }
  const q = response.searchParams;
  // RFC 9207: the response names the server that sent it; a mix-up attack sends another's.
  const iss = q.get('iss');
  if (iss === null ? endpoints.issParameter : iss !== endpoints.authorizationServer) {
    throw new Oid4vciClientError(
      'AUTHORIZATION_RESPONSE_INVALID',
      `the authorization response comes from ${iss ?? 'an unnamed server'}, not ${endpoints.authorizationServer}`,
    );
  }
  if (q.get('state') !== state) throw new Oid4vciClientError('AUTHORIZATION_RESPONSE_INVALID', 'the authorization response state is not ours');
  const error = q.get('error');
  if (error !== null) throw fromErrorResponse('authorization', 400, { error, error_description: q.get('error_description') ?? undefined });
  const code = q.get('code');
  if (!code || code.length > 1024) throw new Oid4vciClientError('AUTHORIZATION_RESPONSE_INVALID', 'the authorization response has no code');
  return { code, codeVerifier: pkce.verifier, redirectUri, clientId };
}
