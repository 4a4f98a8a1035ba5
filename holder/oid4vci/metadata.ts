import { Oid4vciClientError } from './errors.js';
import { assertIssuerUrl, requestJson, type HttpOptions } from './http.js';

export type IssuerEndpoints = {
  credentialIssuer: string;
  credentialEndpoint: URL;
  nonceEndpoint?: URL;
  tokenEndpoint: URL;
  /** The authorization server's identifier (the `iss` of its authorization responses, RFC 9207). */
  authorizationServer: string;
  authorizationEndpoint?: URL;
  /** RFC 9126 pushed authorization request endpoint, and whether every request must go through it. */
  parEndpoint?: URL;
  requirePar: boolean;
  /** RFC 9207: authorization responses carry `iss`. */
  issParameter: boolean;
  /** RFC 8414 / RFC 7636: code_challenge_methods_supported. */
  codeChallengeMethods: string[];
  /** RFC 9449: dpop_signing_alg_values_supported (empty: no DPoP). */
  dpopAlgs: string[];
  /** credential_configurations_supported */
  configurations: Record<string, Record<string, unknown>>;
  batchSize: number;
};

/** RFC 8414 section 3.1: the well-known segment goes between the host and the issuer's path. */
export function wellKnownUrl(identifier: string, name: string): URL {
  const u = new URL(identifier);
  const path = u.pathname.replace(/\/+$/, '');
  return new URL(`${u.origin}/.well-known/${name}${path}`);
}

function bad(why: string): Oid4vciClientError {
  return new Oid4vciClientError('ISSUER_METADATA_INVALID', why);
}

/**
 * Fetches the Credential Issuer Metadata and its Authorization Server's metadata, checking
 * that each names the identifier it was fetched for (OpenID4VCI 12.2.2, RFC 8414 3.3).
 */
export async function fetchIssuerEndpoints(credentialIssuer: string, http: HttpOptions = {}): Promise<IssuerEndpoints> {
  const accept = { headers: { accept: 'application/json' } };
  const md = (await requestJson(wellKnownUrl(credentialIssuer, 'openid-credential-issuer'), accept, 'issuer metadata', http)) as Record<string, unknown>;
  if (md.credential_issuer !== credentialIssuer) throw bad(`issuer metadata names ${String(md.credential_issuer)}, not ${credentialIssuer}`);
  const credentialEndpoint = assertIssuerUrl(md.credential_endpoint, 'credential_endpoint');
  const nonceEndpoint = md.nonce_endpoint === undefined ? undefined : assertIssuerUrl(md.nonce_endpoint, 'nonce_endpoint');
  const configurations = md.credential_configurations_supported;
  if (!configurations || typeof configurations !== 'object' || Array.isArray(configurations)) throw bad('credential_configurations_supported is missing');
  const servers = md.authorization_servers;
  if (servers !== undefined && (!Array.isArray(servers) || servers.length === 0 || !servers.every((s) => typeof s === 'string')))
    throw bad('authorization_servers must be an array of URLs');
  const asId = (servers as string[] | undefined)?.[0] ?? credentialIssuer;
  assertIssuerUrl(asId, 'authorization server');
  const as = (await requestJson(wellKnownUrl(asId, 'oauth-authorization-server'), accept, 'authorization server metadata', http)) as Record<string, unknown>;
  if (as.issuer !== asId) throw bad(`authorization server metadata names ${String(as.issuer)}, not ${asId}`);
  const tokenEndpoint = assertIssuerUrl(as.token_endpoint, 'token_endpoint');
  const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
  const batch = (md.batch_credential_issuance as { batch_size?: unknown } | undefined)?.batch_size;
  return {
    credentialIssuer,
    credentialEndpoint,
    nonceEndpoint,
    tokenEndpoint,
    authorizationServer: asId,
    authorizationEndpoint: as.authorization_endpoint === undefined ? undefined : assertIssuerUrl(as.authorization_endpoint, 'authorization_endpoint'),
    parEndpoint:
      as.pushed_authorization_request_endpoint === undefined
        ? undefined
        : assertIssuerUrl(as.pushed_authorization_request_endpoint, 'pushed_authorization_request_endpoint'),
    requirePar: as.require_pushed_authorization_requests === true,
    issParameter: as.authorization_response_iss_parameter_supported === true,
    codeChallengeMethods: strings(as.code_challenge_methods_supported),
    dpopAlgs: strings(as.dpop_signing_alg_values_supported),
    configurations: configurations as Record<string, Record<string, unknown>>,
    batchSize: Number.isSafeInteger(batch) && (batch as number) > 0 ? (batch as number) : 1,
  };
}
