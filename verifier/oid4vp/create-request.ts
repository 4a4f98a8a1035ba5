import { randomBytes } from 'node:crypto';
import { InvalidInputError } from '../../core/errors.js';
import { isProfileName, PROFILES, type DcqlQuery, type ProfileName } from '../../schemas/profiles/index.js';
import { assertDcqlQuery } from './dcql.js';
import { encodeRequestObject, type VerifierDidKey } from './request-object.js';
import type { AuthorizationRequestPayload, ClientIdPrefix, PendingRequest } from './types.js';
import { openid4vpUri, openid4vpUriByValue } from './uri.js';

export const OID4VP_PATHS = {
  requests: '/oid4vp/requests',
  responses: '/oid4vp/responses',
} as const;

export const DEFAULT_REQUEST_TTL_SECONDS = 300;
const MAX_TTL_SECONDS = 3600;

export type CreateAuthorizationRequestOptions = {
  /** A named profile (its DCQL query) ... */
  profile?: ProfileName;
  /** ... or a DCQL query of our own; exactly one of the two. */
  dcql?: DcqlQuery;
  /** Public base URL of the verifier app, e.g. `https://kiosk.example`; request_uri and response_uri hang under it. */
  baseUrl: string;
  /** Default: `decentralized_identifier` when a DID key is given, else `redirect_uri`. */
  clientIdPrefix?: ClientIdPrefix;
  /** Required for `decentralized_identifier`: signs the request object (JAR). */
  didKey?: VerifierDidKey;
  ttlSeconds?: number;
  /** Milliseconds since the epoch (tests). */
  now?: number;
};

/** 256 bits of randomness, base64url: nonce, state and request id are unguessable and single use. */
function randomToken(): string {
  return randomBytes(32).toString('base64url');
}

function normalizeBaseUrl(baseUrl: string): string {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw new InvalidInputError(`baseUrl is not a URL: ${baseUrl}`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new InvalidInputError('baseUrl must be http(s)');
  if (url.search || url.hash) throw new InvalidInputError('baseUrl must not have a query or fragment');
  return url.toString().replace(/\/+$/, '');
}

/**
 * Creates an OpenID4VP 1.0 authorization request: fresh nonce and state, `vp_token` by
 * `direct_post` to our response_uri, the DCQL query of a profile, served by request_uri.
 * The caller keeps the returned request (see RequestStore) to check the answer against it.
 */
export async function createAuthorizationRequest(options: CreateAuthorizationRequestOptions): Promise<PendingRequest> {
  if ((options.profile === undefined) === (options.dcql === undefined)) throw new InvalidInputError('give exactly one of profile or dcql');
  if (options.profile !== undefined && !isProfileName(options.profile)) throw new InvalidInputError(`unknown profile ${String(options.profile)} (lite, upgraded)`);
  const dcql: DcqlQuery = options.profile ? structuredClone(PROFILES[options.profile]) : structuredClone(options.dcql!);
  assertDcqlQuery(dcql);
  const prefix: ClientIdPrefix = options.clientIdPrefix ?? (options.didKey ? 'decentralized_identifier' : 'redirect_uri');
  const ttl = options.ttlSeconds ?? DEFAULT_REQUEST_TTL_SECONDS;
  if (!Number.isInteger(ttl) || ttl < 1 || ttl > MAX_TTL_SECONDS) throw new InvalidInputError(`ttlSeconds must be an integer in 1..${MAX_TTL_SECONDS}`);

  const base = normalizeBaseUrl(options.baseUrl);
  const id = randomToken();
  const responseUri = `${base}${OID4VP_PATHS.responses}`;
  const requestUri = `${base}${OID4VP_PATHS.requests}/${id}`;
  let clientId: string;
  if (prefix === 'redirect_uri') {
    // Section 5.9.3: with direct_post the client_id is the response_uri itself.
    clientId = `redirect_uri:${responseUri}`;
  } else {
    if (!options.didKey) throw new InvalidInputError('decentralized_identifier needs the verifier DID key');
    const { did, signer } = options.didKey;
    if (!/^did:[a-z0-9]+:\S+$/.test(did)) throw new InvalidInputError(`not a DID: ${did}`);
    if (!signer.kid?.startsWith(`${did}#`)) throw new InvalidInputError('the signer kid must be a DID URL of the verifier DID');
    clientId = `decentralized_identifier:${did}`;
  }

  const createdAt = options.now ?? Date.now();
  const expiresAt = createdAt + ttl * 1000;
  const payload: AuthorizationRequestPayload = {
    response_type: 'vp_token',
    response_mode: 'direct_post',
    client_id: clientId,
    response_uri: responseUri,
    nonce: randomToken(),
    state: randomToken(),
    dcql_query: dcql,
    client_metadata: {
      vp_formats_supported: { 'dc+sd-jwt': { 'sd-jwt_alg_values': ['EdDSA', 'ES256'], 'kb-jwt_alg_values': ['EdDSA', 'ES256'] } },
    },
    // Static discovery audience (OpenID4VP 1.0 section 5.8), and the JAR lifetime.
    aud: 'https://self-issued.me/v2',
    iat: Math.floor(createdAt / 1000),
    exp: Math.floor(expiresAt / 1000),
  };
  const requestObject = await encodeRequestObject(payload, prefix === 'decentralized_identifier' ? options.didKey : undefined);
  return {
    id,
    state: payload.state,
    nonce: payload.nonce,
    clientId,
    clientIdPrefix: prefix,
    responseUri,
    requestUri,
    uri: openid4vpUri(clientId, requestUri),
    ...(prefix === 'redirect_uri' ? { uriByValue: byValue(payload) } : {}),
    dcql,
    ...(options.profile ? { profile: options.profile } : {}),
    requestObject,
    payload,
    createdAt,
    expiresAt,
  };
}

/** The authorization request parameters without the JAR-only claims (aud, iat, exp). */
function byValue(payload: AuthorizationRequestPayload): string {
  const { aud, iat, exp, iss, ...params } = payload;
  void aud, void iat, void exp, void iss;
  return openid4vpUriByValue(params);
}
