import { checkTimeClaims } from '../../core/jose/claims.js';
import { assertResponseUriOnHost } from '../../core/oid4vp/client-id.js';
import { selectResponseEncryption, vpFormatSupport, type ResponseEncryption, type VpFormatSupport } from '../../core/oid4vp/client-metadata.js';
import { CREDENTIAL_FORMATS, type CredentialFormat } from '../../core/vc/formats.js';
import type { DcqlQuery } from '../../schemas/profiles/index.js';
import { oid4vpError } from './errors.js';
import { assertVerifierUrl } from './http.js';
import { splitClientId, type DecodedRequestObject } from './request-object.js';
import { assertJsonDepth } from '../../core/encoding/json.js';

/** An authorization request the wallet has checked and may answer. */
export type ResolvedRequest = {
  clientId: string;
  clientIdPrefix: 'redirect_uri' | 'decentralized_identifier' | 'x509_san_dns' | 'x509_hash';
  /** The verifier's DID (decentralized_identifier), its response_uri (redirect_uri), its DNS name or leaf hash (x509). */
  verifier: string;
  clientName?: string;
  /** x509 clients: the leaf certificate's subject CN / O, the name shown to the holder. */
  verifierName?: string;
  /** x509 clients: the trusted root that vouches for the verifier (its CN / O). */
  certifiedBy?: string;
  /** direct_post, or direct_post.jwt (the answer encrypted with `encryption`). */
  responseMode: 'direct_post' | 'direct_post.jwt';
  /** direct_post.jwt: the verifier's key (from client_metadata.jwks), its kid and the enc to use. */
  encryption?: ResponseEncryption;
  /** What client_metadata.vp_formats_supported accepts, per format this wallet presents. */
  vpFormats: Record<CredentialFormat, VpFormatSupport>;
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
 * OpenID4VP 1.0 checks before anything is shown to the holder: vp_token by direct_post (or
 * direct_post.jwt, for a signed request) to a response_uri, a nonce, a DCQL query, a client_id
 * that matches the one in the URI, and a client_id prefix whose rule holds (section 5.9.3: for
 * redirect_uri, client_id is the response_uri; for decentralized_identifier, the DID signed the
 * request; for x509_san_dns, the certified DNS name is the response_uri's host; for x509_hash,
 * its certificate signed it). client_metadata is read here too, so a malformed one is refused
 * before the holder is asked anything.
 */
export function validateRequest(object: DecodedRequestObject, uriClientId: string, nowSeconds: number): ResolvedRequest {
  const p = object.payload;
  const clientId = text(p, 'client_id', true)!;
  if (clientId !== uriClientId) throw oid4vpError('OID4VP_CLIENT_INVALID', 'the client_id in the request object differs from the one in the URI');
  if (p.response_type !== 'vp_token') throw oid4vpError('OID4VP_UNSUPPORTED', `response_type ${String(p.response_type)} is not supported (vp_token)`);
  if (p.response_mode !== 'direct_post' && p.response_mode !== 'direct_post.jwt')
    throw oid4vpError('OID4VP_UNSUPPORTED', `response_mode ${String(p.response_mode)} is not supported (direct_post, direct_post.jwt)`);
  // The encryption key is only worth what authenticates it: an unsigned request could carry anyone's.
  if (p.response_mode === 'direct_post.jwt' && !object.signedBy)
    throw oid4vpError(
      'OID4VP_UNSUPPORTED',
      'direct_post.jwt is answered only to a signed request (its encryption key must come from an authenticated verifier)',
    );
  if (p.presentation_definition !== undefined || p.presentation_definition_uri !== undefined)
    throw oid4vpError('OID4VP_UNSUPPORTED', 'Presentation Exchange is not supported; use dcql_query');
  if (p.scope !== undefined && p.dcql_query === undefined) throw oid4vpError('OID4VP_UNSUPPORTED', 'scope-based requests are not supported; use dcql_query');
  if (p.redirect_uri !== undefined) throw oid4vpError('OID4VP_REQUEST_INVALID', 'redirect_uri must not be present with direct_post');
  if (p.transaction_data !== undefined) throw oid4vpError('OID4VP_UNSUPPORTED', 'transaction_data is not supported');
  const responseUri = text(p, 'response_uri', true)!;
  assertVerifierUrl(responseUri, 'response_uri', 'OID4VP_REQUEST_INVALID');
  const nonce = text(p, 'nonce', true)!;
  const state = text(p, 'state', false);
  checkTimeClaims({ exp: p.exp }, { now: nowSeconds, error: (e) => oid4vpError('OID4VP_REQUEST_INVALID', `the request ${e.message}`, { cause: e }) });
  let dcql: unknown = p.dcql_query;
  if (typeof dcql === 'string') {
    assertJsonDepth(dcql, 'dcql_query');
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
    if (object.signedBy !== value || object.x509) throw oid4vpError('OID4VP_CLIENT_INVALID', `the request must be signed by ${value}`);
  } else if (prefix === 'x509_san_dns' || prefix === 'x509_hash') {
    if (!object.x509 || object.x509.prefix !== prefix || object.x509.value !== value)
      throw oid4vpError('OID4VP_CLIENT_INVALID', `the request must be signed with the certificate of ${clientId}`);
    if (prefix === 'x509_san_dns') assertResponseUriOnHost(value, responseUri);
  } else {
    throw oid4vpError('OID4VP_UNSUPPORTED', `client_id prefix ${prefix} is not supported (redirect_uri, decentralized_identifier, x509_san_dns, x509_hash)`);
  }
  const meta = typeof p.client_metadata === 'string' ? parseClientMetadata(p.client_metadata) : p.client_metadata;
  if (meta !== undefined && (!meta || typeof meta !== 'object' || Array.isArray(meta)))
    throw oid4vpError('OID4VP_REQUEST_INVALID', 'client_metadata must be a JSON object');
  const m = meta as Record<string, unknown> | undefined;
  const vpFormats = Object.fromEntries(CREDENTIAL_FORMATS.map((f) => [f, vpFormatSupport(m, f)])) as ResolvedRequest['vpFormats'];
  const encryption = p.response_mode === 'direct_post.jwt' ? selectResponseEncryption(m) : undefined;
  const clientName = m && typeof m.client_name === 'string' ? m.client_name.replace(/[\u0000-\u001f\u007f]/g, ' ').slice(0, 128) : undefined;
  return {
    clientId,
    clientIdPrefix: prefix,
    verifier: value,
    ...(clientName ? { clientName } : {}),
    ...(object.x509?.name ? { verifierName: object.x509.name } : {}),
    ...(object.x509?.certifiedBy ? { certifiedBy: object.x509.certifiedBy } : {}),
    responseMode: p.response_mode,
    ...(encryption ? { encryption } : {}),
    vpFormats,
    responseUri,
    nonce,
    ...(state !== undefined ? { state } : {}),
    dcql: dcql as DcqlQuery,
    ...(typeof p.exp === 'number' ? { expiresAt: p.exp } : {}),
  };
}

/** client_metadata of a request by value arrives as a JSON string (section 5.1). */
function parseClientMetadata(text: string): unknown {
  assertJsonDepth(text, 'client_metadata');
  try {
    return JSON.parse(text) as unknown;
  } catch (cause) {
    throw oid4vpError('OID4VP_REQUEST_INVALID', 'client_metadata is not JSON', { cause });
  }
}
