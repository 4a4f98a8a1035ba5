import { randomBytes } from 'node:crypto';
import { InvalidInputError, NetcredError } from '../../core/errors.js';
import { JWE_ENCS } from '../../core/jose/jwe.js';
import { isX509Prefix } from '../../core/oid4vp/client-id.js';
import { verifierClientMetadata } from '../../core/oid4vp/client-metadata.js';
import { signX509RequestObject } from '../../core/oid4vp/request-object.js';
import { isProfileName, PROFILES, type DcqlQuery, type ProfileName } from '../../schemas/profiles/index.js';
import type { RequestTypeProfile } from '../trust/request-type-profile.js';
import { assertDcqlQuery } from './dcql.js';
import { encodeRequestObject, type VerifierDidKey } from './request-object.js';
import { newResponseKey } from './response-key.js';
import type { AuthorizationRequestPayload, ClientIdPrefix, PendingRequest, RequestUriMethod, ResponseMode } from './types.js';
import { openid4vpUri, openid4vpUriByValue } from './uri.js';
import { x509ClientId, type VerifierX509 } from './x509-client.js';

export const OID4VP_PATHS = {
  requests: '/oid4vp/requests',
  responses: '/oid4vp/responses',
} as const;

export const DEFAULT_REQUEST_TTL_SECONDS = 300;
const MAX_TTL_SECONDS = 3600;

export type CreateAuthorizationRequestOptions = {
  /** A named profile (its DCQL query) ... */
  profile?: ProfileName;
  /** ... or a DCQL query of our own ... */
  dcql?: DcqlQuery;
  /** ... or a registered type's profile, as requestTypeProfile resolved it from the trust bundle; exactly one of the three. */
  typeProfile?: RequestTypeProfile;
  /** Public base URL of the verifier app, e.g. `https://kiosk.example`; request_uri and response_uri hang under it. */
  baseUrl: string;
  /** Default: `decentralized_identifier` when a DID key is given, else `redirect_uri`. */
  clientIdPrefix?: ClientIdPrefix;
  /** Required for `decentralized_identifier`: signs the request object (JAR). */
  didKey?: VerifierDidKey;
  /** Required for `x509_san_dns` / `x509_hash`: the leaf signs the request object, its chain goes in x5c. */
  x509?: VerifierX509;
  /** `direct_post` (default) or `direct_post.jwt`: the answer encrypted to a key made for this request (signed requests only). */
  responseMode?: ResponseMode;
  /** `post`: the URI carries request_uri_method=post (section 5.10); the wallet may send its nonce. */
  requestUriMethod?: RequestUriMethod;
  ttlSeconds?: number;
  /** Milliseconds since the epoch (tests). */
  now?: number;
};

/** The algorithms this verifier checks issuer signatures and KB-JWTs with (vp_formats_supported). */
export const VERIFIER_ALGS = ['EdDSA', 'ES256'] as const;

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
  if ([options.profile, options.dcql, options.typeProfile].filter((v) => v !== undefined).length !== 1)
    throw new InvalidInputError('give exactly one of profile, dcql or typeProfile');
  if (options.profile !== undefined && !isProfileName(options.profile))
    throw new InvalidInputError(`unknown profile ${String(options.profile)} (lite, upgraded)`);
  const dcql: DcqlQuery = structuredClone(options.profile ? PROFILES[options.profile] : (options.dcql ?? options.typeProfile!.dcql));
  assertDcqlQuery(dcql);
  const prefix: ClientIdPrefix = options.clientIdPrefix ?? (options.didKey ? 'decentralized_identifier' : 'redirect_uri');
  const ttl = options.ttlSeconds ?? DEFAULT_REQUEST_TTL_SECONDS;
  if (!Number.isInteger(ttl) || ttl < 1 || ttl > MAX_TTL_SECONDS) throw new InvalidInputError(`ttlSeconds must be an integer in 1..${MAX_TTL_SECONDS}`);

  const responseMode: ResponseMode = options.responseMode ?? 'direct_post';
  if (responseMode !== 'direct_post' && responseMode !== 'direct_post.jwt')
    throw new InvalidInputError(`response mode must be direct_post or direct_post.jwt, not ${String(responseMode)}`);
  // The encryption key must come from a verifier the wallet authenticated: an unsigned request could carry anyone's.
  if (responseMode === 'direct_post.jwt' && prefix === 'redirect_uri')
    throw new InvalidInputError('direct_post.jwt needs a signed request (decentralized_identifier, x509_san_dns or x509_hash)');
  const requestUriMethod = options.requestUriMethod;
  if (requestUriMethod !== undefined && requestUriMethod !== 'get' && requestUriMethod !== 'post')
    throw new InvalidInputError(`request_uri_method must be get or post, not ${String(requestUriMethod)}`);

  const base = normalizeBaseUrl(options.baseUrl);
  const id = randomToken();
  const responseUri = `${base}${OID4VP_PATHS.responses}`;
  const requestUri = `${base}${OID4VP_PATHS.requests}/${id}`;
  let clientId: string;
  if (prefix === 'redirect_uri') {
    // Section 5.9.3: with direct_post the client_id is the response_uri itself.
    clientId = `redirect_uri:${responseUri}`;
  } else if (isX509Prefix(prefix)) {
    if (!options.x509) throw new InvalidInputError(`${prefix} needs the verifier's X.509 certificate and key`);
    clientId = x509ClientId(options.x509, prefix);
    // Section 5.9.3: a wallet that keeps no list of trusted client ids sends the answer only to that host.
    if (prefix === 'x509_san_dns' && new URL(base).hostname.toLowerCase() !== options.x509.dnsName) {
      throw new NetcredError(
        'VERIFIER_X509_INVALID',
        `the public URL ${base} is not on ${options.x509.dnsName}, the DNS name of the client id: wallets would refuse the response_uri`,
      );
    }
  } else {
    if (!options.didKey) throw new InvalidInputError('decentralized_identifier needs the verifier DID key');
    const { did, signer } = options.didKey;
    if (!/^did:[a-z0-9]+:\S+$/.test(did)) throw new InvalidInputError(`not a DID: ${did}`);
    if (!signer.kid?.startsWith(`${did}#`)) throw new InvalidInputError('the signer kid must be a DID URL of the verifier DID');
    clientId = `decentralized_identifier:${did}`;
  }

  const createdAt = options.now ?? Date.now();
  const expiresAt = createdAt + ttl * 1000;
  // The request id names the key: a wallet echoes the kid, which finds the request (and nothing else) to decrypt with.
  const responseKey = responseMode === 'direct_post.jwt' ? newResponseKey(id, JWE_ENCS) : undefined;
  const payload: AuthorizationRequestPayload = {
    response_type: 'vp_token',
    response_mode: responseMode,
    client_id: clientId,
    response_uri: responseUri,
    nonce: randomToken(),
    state: randomToken(),
    dcql_query: dcql,
    client_metadata: verifierClientMetadata({
      algs: VERIFIER_ALGS,
      // Every format the query asks for: a wallet must not send a format the verifier does not list.
      formats: [...new Set(['dc+sd-jwt', ...dcql.credentials.map((c) => c.format)])],
      ...(responseKey ? { encryption: { publicJwk: responseKey.publicJwk, encs: responseKey.encs } } : {}),
    }) as AuthorizationRequestPayload['client_metadata'],
    // Static discovery audience (OpenID4VP 1.0 section 5.8), and the JAR lifetime.
    aud: 'https://self-issued.me/v2',
    iat: Math.floor(createdAt / 1000),
    exp: Math.floor(expiresAt / 1000),
  };
  const requestObject = await encodeRequestObjectFor(prefix, payload, options);
  return {
    id,
    state: payload.state,
    nonce: payload.nonce,
    clientId,
    clientIdPrefix: prefix,
    responseMode,
    ...(responseKey ? { responseKey } : {}),
    ...(requestUriMethod ? { requestUriMethod } : {}),
    responseUri,
    requestUri,
    uri: openid4vpUri(clientId, requestUri, undefined, requestUriMethod),
    ...(prefix === 'redirect_uri' ? { uriByValue: byValue(payload) } : {}),
    dcql,
    ...(options.profile ? { profile: options.profile } : {}),
    ...(options.typeProfile ? { typeProfile: { name: options.typeProfile.name, issuers: [...options.typeProfile.issuers] } } : {}),
    requestObject,
    payload,
    createdAt,
    expiresAt,
  };
}

/**
 * The request object of a request, signed as its client id prefix says: unsigned for
 * redirect_uri, by the DID key, or by the X.509 leaf with the chain in x5c. Also used when a
 * wallet fetches it by POST, with its `wallet_nonce` added to the payload.
 */
export async function encodeRequestObjectFor(
  prefix: ClientIdPrefix,
  payload: AuthorizationRequestPayload,
  keys: { didKey?: VerifierDidKey; x509?: VerifierX509 },
): Promise<string> {
  if (isX509Prefix(prefix)) {
    if (!keys.x509) throw new InvalidInputError(`${prefix} needs the verifier's X.509 certificate and key`);
    return signX509RequestObject(payload, keys.x509.signer, keys.x509.chain);
  }
  return encodeRequestObject(payload, prefix === 'decentralized_identifier' ? keys.didKey : undefined);
}

/** The authorization request parameters without the JAR-only claims (aud, iat, exp). */
function byValue(payload: AuthorizationRequestPayload): string {
  const { aud, iat, exp, iss, ...params } = payload;
  void aud, void iat, void exp, void iss;
  return openid4vpUriByValue(params);
}
