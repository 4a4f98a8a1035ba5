import type { DcqlQuery } from '../../schemas/profiles/index.js';
import { oid4vpError } from './errors.js';
import { assertVerifierUrl } from './http.js';
import { splitClientId, type DecodedRequestObject } from './request-object.js';

/** An authorization request the wallet has checked and may answer. */
export type ResolvedRequest = {
  clientId: string;
  clientIdPrefix: 'redirect_uri' | 'decentralized_identifier';
  /** The verifier's DID (decentralized_identifier) or its response_uri (redirect_uri). */
  verifier: string;
  clientName?: string;
  responseUri: string;
  nonce: string;
  state?: string;
  dcql: DcqlQuery;
  /** Seconds since the epoch, when the request object says. */
  expiresAt?: number;
};

const MAX_TEXT = 1024;

function text(payload: Record<string, unknown>, name: string, required: boolean): string | undefined {
  const v = payload[name];
  if (v === undefined && !required) return undefined;
  if (typeof v !== 'string' || v.length === 0 || v.length > MAX_TEXT || /[\u0000-\u001f]/.test(v)) {
    throw oid4vpError('OID4VP_REQUEST_INVALID', `${name} must be a non-empty string of at most ${MAX_TEXT} characters`);
  }
  return v;
}

/**
 * OpenID4VP 1.0 checks before anything is shown to the holder: vp_token by direct_post to a
 * response_uri, a nonce, a DCQL query, a client_id that matches the one in the URI, and a
 * client_id prefix whose rule holds (section 5.9.3: for redirect_uri, client_id is the
 * response_uri; for decentralized_identifier, the DID signed the request).
 */
export function validateRequest(object: DecodedRequestObject, uriClientId: string, nowSeconds: number): ResolvedRequest {
  const p = object.payload;
  const clientId = text(p, 'client_id', true)!;
  if (clientId !== uriClientId) throw oid4vpError('OID4VP_CLIENT_INVALID', 'the client_id in the request object differs from the one in the URI');
  if (p.response_type !== 'vp_token') throw oid4vpError('OID4VP_UNSUPPORTED', `response_type ${String(p.response_type)} is not supported (vp_token)`);
  if (p.response_mode !== 'direct_post') throw oid4vpError('OID4VP_UNSUPPORTED', `response_mode ${String(p.response_mode)} is not supported (direct_post)`);
  if (p.presentation_definition !== undefined || p.presentation_definition_uri !== undefined) throw oid4vpError('OID4VP_UNSUPPORTED', 'Presentation Exchange is not supported; use dcql_query');
  if (p.scope !== undefined && p.dcql_query === undefined) throw oid4vpError('OID4VP_UNSUPPORTED', 'scope-based requests are not supported; use dcql_query');
  if (p.redirect_uri !== undefined) throw oid4vpError('OID4VP_REQUEST_INVALID', 'redirect_uri must not be present with direct_post');
  if (p.transaction_data !== undefined) throw oid4vpError('OID4VP_UNSUPPORTED', 'transaction_data is not supported');
  const responseUri = text(p, 'response_uri', true)!;
  assertVerifierUrl(responseUri, 'response_uri', 'OID4VP_REQUEST_INVALID');
  const nonce = text(p, 'nonce', true)!;
  const state = text(p, 'state', false);
  if (p.exp !== undefined) {
    if (typeof p.exp !== 'number' || !Number.isFinite(p.exp)) throw oid4vpError('OID4VP_REQUEST_INVALID', 'exp must be a number');
    if (p.exp <= nowSeconds) throw oid4vpError('OID4VP_REQUEST_INVALID', 'the request has expired');
  }
  let dcql: unknown = p.dcql_query;
  if (typeof dcql === 'string') {
    try {
      dcql = JSON.parse(dcql);
    } catch (cause) {
      throw oid4vpError('OID4VP_REQUEST_INVALID', 'dcql_query is not JSON', { cause });
    }
  }
  if (!dcql || typeof dcql !== 'object' || Array.isArray(dcql)) throw oid4vpError('OID4VP_REQUEST_INVALID', 'dcql_query is missing');

  const { prefix, value } = splitClientId(clientId);
  if (prefix === 'redirect_uri') {
    if (object.signedBy) throw oid4vpError('OID4VP_CLIENT_INVALID', 'a redirect_uri request must not be signed');
    if (value !== responseUri) throw oid4vpError('OID4VP_CLIENT_INVALID', `client_id ${clientId} does not match response_uri ${responseUri}`);
  } else if (prefix === 'decentralized_identifier') {
    if (object.signedBy !== value) throw oid4vpError('OID4VP_CLIENT_INVALID', `the request must be signed by ${value}`);
  } else {
    throw oid4vpError('OID4VP_UNSUPPORTED', `client_id prefix ${prefix} is not supported (redirect_uri, decentralized_identifier)`);
  }
  const meta = p.client_metadata as Record<string, unknown> | undefined;
  const clientName = meta && typeof meta === 'object' && typeof meta.client_name === 'string' ? meta.client_name.slice(0, 128) : undefined;
  return {
    clientId,
    clientIdPrefix: prefix,
    verifier: value,
    ...(clientName ? { clientName } : {}),
    responseUri,
    nonce,
    ...(state !== undefined ? { state } : {}),
    dcql: dcql as DcqlQuery,
    ...(typeof p.exp === 'number' ? { expiresAt: p.exp } : {}),
  };
}
