import { randomBytes } from 'node:crypto';
import { isS256Challenge, PKCE_METHOD } from '../../core/oauth/pkce.js';
import type { IssuerContext } from '../context.js';
import { issuerIdentifier } from './config.js';
import { Oid4vciError } from './errors.js';
import { CREDENTIAL_CONFIGURATIONS, isCredentialConfigurationId, type CredentialConfigurationId } from './metadata.js';
import { secretHash } from './secrets.js';
import { findOfferByIssuerState, standalone } from './store.js';

/** An authorization request's parameters, checked (RFC 6749 4.1.1, RFC 7636 4.3, OpenID4VCI 5.1). */
export type AuthorizationRequest = {
  clientId: string;
  redirectUri: string;
  state: string | null;
  codeChallenge: string;
  configurationId: CredentialConfigurationId | null;
  issuerStateHash: string | null;
  /** RFC 9449 10: the `dpop_jkt` parameter (the PAR endpoint also binds the key of a DPoP proof). */
  dpopJkt: string | null;
};

/** A parameter sent once, as a string (RFC 6749 3.1: no repeated parameters). */
export function formParam(body: Record<string, unknown>, name: string, max = 2048): string | undefined {
  const v = body[name];
  if (v === undefined) return undefined;
  if (typeof v !== 'string') throw new Oid4vciError('invalid_request', `${name} must be sent once, as a string`);
  if (v.length > max) throw new Oid4vciError('invalid_request', `${name} is too long`);
  return v;
}

const LOOPBACK = new Set(['127.0.0.1', '[::1]', 'localhost']);

/**
 * Where the code may be sent, with no client registration: an https URL, a loopback http URL
 * (RFC 8252 7.3, native apps) or a private-use scheme in reverse domain form (RFC 8252 7.1);
 * never a fragment (RFC 6749 3.1.2). PKCE and the DPoP binding make a code useless to anyone else.
 */
export function checkRedirectUri(value: string | undefined): string {
  if (!value) throw new Oid4vciError('invalid_request', 'redirect_uri is required');
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new Oid4vciError('invalid_request', 'redirect_uri is not an absolute URI');
  }
  if (url.hash || value.includes('#')) throw new Oid4vciError('invalid_request', 'redirect_uri must not have a fragment');
  const scheme = url.protocol.slice(0, -1);
  const ok = scheme === 'https' || (scheme === 'http' && LOOPBACK.has(url.hostname)) || /^[a-z][a-z0-9+-]*(\.[a-z0-9+-]+)+$/.test(scheme);
  if (!ok) throw new Oid4vciError('invalid_request', 'redirect_uri must be https, http on a loopback address, or a private-use scheme (reverse domain name)');
  return value;
}

/** The credential configuration a `scope` asks for (each configuration's scope is its id). */
function configurationOfScope(scope: string | undefined): CredentialConfigurationId | null {
  if (scope === undefined || scope.trim() === '') return null;
  const values = [...new Set(scope.trim().split(/ +/))];
  const unknown = values.filter((v) => !isCredentialConfigurationId(v));
  if (unknown.length)
    throw new Oid4vciError('invalid_scope', `unknown scope ${unknown.join(' ')} (scopes: ${Object.keys(CREDENTIAL_CONFIGURATIONS).join(', ')})`);
  if (values.length > 1) throw new Oid4vciError('invalid_scope', 'ask for one credential configuration per authorization request');
  return values[0] as CredentialConfigurationId;
}

/**
 * Checks an authorization request, pushed (PAR body) or in the authorization URL: response_type
 * `code`, a client_id (the attested one when the client was authenticated), a redirect_uri, a
 * PKCE S256 challenge, at most one configuration by `scope`, and an issuer_state naming one of our
 * pending offers when sent. `authorization_details` is not supported; `request` objects neither.
 */
export async function checkAuthorizationRequest(
  ctx: IssuerContext,
  params: Record<string, unknown>,
  authenticatedClientId: string | undefined,
): Promise<AuthorizationRequest> {
  for (const name of ['request', 'request_uri']) {
    if (params[name] !== undefined) throw new Oid4vciError('invalid_request', `${name} is not accepted here`);
  }
  if (params.authorization_details !== undefined)
    throw new Oid4vciError('invalid_request', 'authorization_details is not supported: ask for a configuration by scope');
  const responseType = formParam(params, 'response_type');
  if (responseType !== 'code') throw new Oid4vciError('invalid_request', 'response_type must be code');
  const clientId = formParam(params, 'client_id', 256) ?? authenticatedClientId;
  if (!clientId) throw new Oid4vciError('invalid_request', 'client_id is required');
  if (authenticatedClientId !== undefined && clientId !== authenticatedClientId)
    throw new Oid4vciError('invalid_client', 'client_id is not the attested client');
  const redirectUri = checkRedirectUri(formParam(params, 'redirect_uri'));
  const challenge = formParam(params, 'code_challenge', 128);
  const method = formParam(params, 'code_challenge_method', 16);
  if (challenge === undefined) throw new Oid4vciError('invalid_request', 'PKCE is required: code_challenge is missing');
  if (method !== PKCE_METHOD) throw new Oid4vciError('invalid_request', 'code_challenge_method must be S256');
  if (!isS256Challenge(challenge)) throw new Oid4vciError('invalid_request', 'code_challenge is not a S256 challenge (43 base64url characters)');
  const state = formParam(params, 'state', 512) ?? null;
  const resource = formParam(params, 'resource');
  if (resource !== undefined && resource !== issuerIdentifier(ctx.config.publicUrl)) {
    throw new Oid4vciError('invalid_request', `resource must be this credential issuer, ${issuerIdentifier(ctx.config.publicUrl)}`);
  }
  const configurationId = configurationOfScope(formParam(params, 'scope', 512));
  const issuerState = formParam(params, 'issuer_state', 512);
  let issuerStateHash: string | null = null;
  if (issuerState !== undefined) {
    issuerStateHash = secretHash(issuerState);
    const offer = await findOfferByIssuerState(standalone(ctx.dataSource), issuerStateHash);
    if (offer?.state !== 'pending') throw new Oid4vciError('invalid_request', 'issuer_state names no open credential offer');
    if (configurationId !== null && configurationId !== offer.configuration_id)
      throw new Oid4vciError('invalid_scope', `the offer of this issuer_state is for ${offer.configuration_id}`);
  }
  const dpopJkt = formParam(params, 'dpop_jkt', 64) ?? null;
  if (dpopJkt !== null && !/^[A-Za-z0-9_-]{43}$/.test(dpopJkt)) throw new Oid4vciError('invalid_request', 'dpop_jkt is not a SHA-256 JWK thumbprint');
  return { clientId, redirectUri, state, codeChallenge: challenge, configurationId, issuerStateHash, dpopJkt };
}

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** The stored columns that come from the checked request itself (pushed or made in the URL alike). */
export function requestColumns(request: AuthorizationRequest): {
  client_id: string;
  redirect_uri: string;
  client_state: AuthorizationRequest['state'];
  code_challenge: string;
  configuration_id: AuthorizationRequest['configurationId'];
  issuer_state_hash: AuthorizationRequest['issuerStateHash'];
} {
  return {
    client_id: request.clientId,
    redirect_uri: request.redirectUri,
    client_state: request.state,
    code_challenge: request.codeChallenge,
    configuration_id: request.configurationId,
    issuer_state_hash: request.issuerStateHash,
  };
}

/** The reference of an authorization request, shown to the resident and typed at the enrollment point: XXXX-XXXX (40 bits). */
export function newAuthorizationReference(): string {
  const bytes = randomBytes(5);
  let bits = 0n;
  for (const b of bytes) bits = (bits << 8n) | BigInt(b);
  let out = '';
  for (let i = 7; i >= 0; i--) out += CROCKFORD[Number((bits >> BigInt(i * 5)) & 31n)];
  return `${out.slice(0, 4)}-${out.slice(4)}`;
}

export const AUTHORIZATION_REFERENCE = /^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/;
