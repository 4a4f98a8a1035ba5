import { NetcredError } from '../errors.js';
import { isLoopbackHost } from '../http/fetch-bounded.js';
import { assertPublicJwk, type PublicJwk } from '../jose/jwk.js';

/**
 * JWT VC Issuer Metadata (SD-JWT VC): an issuer identified by an HTTPS URL publishes
 * `{issuer, jwks}` (or `jwks_uri`) at `/.well-known/jwt-vc-issuer` inserted between the host and
 * the path of its identifier. The rules every role shares: which identifiers qualify, where the
 * document is, and what a valid one holds.
 */
export const JWT_VC_ISSUER_WELL_KNOWN = '/.well-known/jwt-vc-issuer';

/** A JWK Set of the key types netcred verifies. */
export type JwkSet = { keys: PublicJwk[] };

/** JWT VC Issuer Metadata (`/.well-known/jwt-vc-issuer`): the issuer identifier and its keys, inline or by URL. */
export type JwtVcIssuerMetadata = { issuer: string; jwks: JwkSet } | { issuer: string; jwks_uri: string };

/** Keys a JWK Set may hold at most (an issuer rotates a few keys, not thousands). */
export const MAX_JWKS_KEYS = 32;

function invalid(message: string): never {
  throw new NetcredError('ISSUER_METADATA_INVALID', message);
}

/**
 * The issuer identifier as a URL: `https:` (or `http:` to a loopback host, for local tests), with
 * scheme, host, optional port and path, no query, fragment or credentials. Undefined for
 * anything else (a DID, a URN, a malformed string).
 */
export function issuerUrlOf(iss: unknown): URL | undefined {
  if (typeof iss !== 'string') return undefined;
  let url: URL;
  try {
    url = new URL(iss);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopbackHost(url.hostname))) return undefined;
  if (url.search || url.hash || url.username || url.password || iss.includes('?') || iss.includes('#')) return undefined;
  return url;
}

function fetchableUrl(value: unknown): boolean {
  try {
    const url = new URL(String(value));
    return typeof value === 'string' && (url.protocol === 'https:' || (url.protocol === 'http:' && isLoopbackHost(url.hostname)));
  } catch {
    return false;
  }
}

/** `iss` is an issuer identifier JWT VC Issuer Metadata can be looked up for. */
export function isUrlIssuer(iss: unknown): iss is string {
  return issuerUrlOf(iss) !== undefined;
}

/** The path of the metadata on the issuer's host: `/.well-known/jwt-vc-issuer` + the identifier's path without a trailing `/`. */
export function jwtVcIssuerMetadataPath(iss: string): string {
  const url = issuerUrlOf(iss) ?? invalid(`${iss} is not an https issuer identifier (scheme, host, optional port and path; no query or fragment)`);
  return `${JWT_VC_ISSUER_WELL_KNOWN}${url.pathname.replace(/\/+$/, '')}`;
}

/** Where the JWT VC Issuer Metadata of `iss` is: `https://host/.well-known/jwt-vc-issuer/path` for `https://host/path`. */
export function jwtVcIssuerMetadataUrl(iss: string): string {
  const url = issuerUrlOf(iss)!;
  return `${url.protocol}//${url.host}${jwtVcIssuerMetadataPath(iss)}`;
}

/** A JWK Set of public Ed25519 / P-256 keys, each with a distinct `kid` when there are several. */
export function parseJwkSet(value: unknown, what = 'jwks'): JwkSet {
  const set = value as { keys?: unknown } | null;
  if (!set || typeof set !== 'object' || Array.isArray(set) || !Array.isArray(set.keys)) invalid(`${what} must be a JWK Set {keys: [...]}`);
  if (set.keys.length === 0) invalid(`${what} holds no key`);
  if (set.keys.length > MAX_JWKS_KEYS) invalid(`${what} holds more than ${MAX_JWKS_KEYS} keys`);
  const kids = new Set<string>();
  set.keys.forEach((jwk, i) => {
    try {
      assertPublicJwk(jwk, `${what}.keys[${i}]`);
    } catch (cause) {
      throw new NetcredError('ISSUER_METADATA_INVALID', (cause as Error).message, { cause });
    }
    const kid = (jwk as { kid?: unknown }).kid;
    if (kid !== undefined && typeof kid !== 'string') invalid(`${what}.keys[${i}].kid must be a string`);
    if (typeof kid === 'string') {
      if (kids.has(kid)) invalid(`${what} holds two keys with kid ${kid}`);
      kids.add(kid);
    }
  });
  if (set.keys.length > 1 && kids.size !== set.keys.length) invalid(`${what} holds several keys: each needs a kid`);
  return { keys: set.keys as PublicJwk[] };
}

/**
 * Validates a fetched JWT VC Issuer Metadata document for `iss`: `issuer` identical to `iss`
 * (otherwise its content MUST NOT be used), and exactly one of `jwks` (a valid JWK Set) or
 * `jwks_uri` (an https URL). ISSUER_METADATA_INVALID names what is wrong.
 */
export function parseJwtVcIssuerMetadata(value: unknown, iss: string): JwtVcIssuerMetadata {
  const m = value as Record<string, unknown> | null;
  if (!m || typeof m !== 'object' || Array.isArray(m)) invalid('JWT VC Issuer Metadata must be a JSON object');
  if (m.issuer !== iss) invalid(`JWT VC Issuer Metadata names the issuer ${JSON.stringify(m.issuer)}, not ${iss}: it must be identical to iss`);
  const hasJwks = m.jwks !== undefined;
  const hasUri = m.jwks_uri !== undefined;
  if (hasJwks === hasUri) invalid('JWT VC Issuer Metadata must hold either jwks or jwks_uri, not both or neither');
  if (hasJwks) return { issuer: iss, jwks: parseJwkSet(m.jwks) };
  if (!fetchableUrl(m.jwks_uri)) invalid('jwks_uri must be an https URL');
  return { issuer: iss, jwks_uri: m.jwks_uri as string };
}
