import { calculateJwkThumbprint, decodeProtectedHeader, errors as joseErrors, importJWK, jwtVerify, type JWK, type JWTPayload } from 'jose';
import { NetcredError } from '../errors.js';
import { checkTimeClaims } from '../jose/claims.js';

/**
 * OAuth 2.0 Attestation-Based Client Authentication (draft-ietf-oauth-attestation-based-client-auth):
 * a wallet provider vouches for a wallet instance in a Client Attestation JWT (its `sub` is the
 * client_id, its `cnf.jwk` the instance key), and each request carries a fresh PoP JWT signed with
 * that key for this server. Which providers are trusted, and the PoP's single use, are the server's.
 */

export const CLIENT_ATTESTATION_HEADER = 'OAuth-Client-Attestation';
export const CLIENT_ATTESTATION_POP_HEADER = 'OAuth-Client-Attestation-PoP';
export const CLIENT_ATTESTATION_TYP = 'oauth-client-attestation+jwt';
export const CLIENT_ATTESTATION_POP_TYP = 'oauth-client-attestation-pop+jwt';
/** The token_endpoint_auth_method of this scheme (RFC 8414 metadata). */
export const ATTEST_JWT_CLIENT_AUTH = 'attest_jwt_client_auth';
export const CLIENT_ATTESTATION_ALGS = ['ES256', 'EdDSA'] as const;
const MAX_JWT = 8192;

/** An attestation or PoP that cannot be accepted: `invalid_client` on the wire. */
export class ClientAttestationError extends NetcredError {
  constructor(message: string, options: { cause?: unknown } = {}) {
    super('CLIENT_ATTESTATION_INVALID', message, options);
  }
}

const COMPACT = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

function single(value: string | string[] | undefined, name: string): string | undefined {
  if (value === undefined) return undefined;
  if (Array.isArray(value) || value.includes(',')) throw new ClientAttestationError(`more than one ${name} header`);
  const v = value.trim();
  if (v.length > MAX_JWT || !COMPACT.test(v)) throw new ClientAttestationError(`the ${name} header is not a compact JWT`);
  return v;
}

/** Both headers, each exactly once (draft section 6.1 (1), (2)); undefined when neither is sent. */
export function clientAttestationHeaders(
  attestation: string | string[] | undefined,
  pop: string | string[] | undefined,
): { attestation: string; pop: string } | undefined {
  const a = single(attestation, CLIENT_ATTESTATION_HEADER);
  const p = single(pop, CLIENT_ATTESTATION_POP_HEADER);
  if (a === undefined && p === undefined) return undefined;
  if (a === undefined || p === undefined) throw new ClientAttestationError(`${CLIENT_ATTESTATION_HEADER} and ${CLIENT_ATTESTATION_POP_HEADER} go together`);
  return { attestation: a, pop: p };
}

export type ClientAttestationOptions = {
  /** Public keys of the wallet providers this server trusts. */
  trustedKeys: readonly JWK[];
  /** This server's issuer identifier: the PoP's `aud`. */
  audience: string;
  /** Epoch seconds. */
  now: number;
  /** How old the PoP's `iat` may be ... */
  maxAge: number;
  /** ... give or take this clock difference, either way (also for `exp` and `nbf`). */
  clockTolerance: number;
  /** The client_id the request names, if any: it must be the attestation's `sub`. */
  clientId?: string;
};

export type VerifiedClientAttestation = {
  /** The attestation's `sub`. */
  clientId: string;
  /** The attestation's `iss`. */
  walletProvider: string;
  /** Thumbprint of the wallet instance key (`cnf.jwk`). */
  instanceJkt: string;
  /** The PoP's `jti`: remember it until popExpiresAt, never accept it twice. */
  popJti: string;
  popExpiresAt: number;
};

function fail(what: string, cause: unknown): never {
  if (cause instanceof joseErrors.JOSEError) throw new ClientAttestationError(`${what}: ${cause.message}`, { cause });
  throw cause;
}

/** A header that does not decode: jose throws a plain TypeError for one that is not base64url JSON. */
function malformed(what: string, cause: unknown): never {
  throw new ClientAttestationError(`${what} is malformed: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
}

function matchesAlg(jwk: JWK, alg: unknown): boolean {
  if (alg === 'ES256') return jwk.kty === 'EC' && jwk.crv === 'P-256';
  if (alg === 'EdDSA') return jwk.kty === 'OKP' && jwk.crv === 'Ed25519';
  return false;
}

/** The attestation, verified with the one trusted key that signed it (by `kid` when it names one). */
async function verifyAttestationJwt(jwt: string, options: ClientAttestationOptions): Promise<JWTPayload> {
  let header: ReturnType<typeof decodeProtectedHeader>;
  try {
    header = decodeProtectedHeader(jwt);
  } catch (cause) {
    malformed('the client attestation', cause);
  }
  const candidates = options.trustedKeys.filter((k) => matchesAlg(k, header.alg) && (header.kid === undefined || k.kid === undefined || k.kid === header.kid));
  if (candidates.length === 0) throw new ClientAttestationError('the client attestation is not signed by a trusted wallet provider key');
  const verifyOptions = {
    typ: CLIENT_ATTESTATION_TYP,
    algorithms: [...CLIENT_ATTESTATION_ALGS],
    requiredClaims: ['iss', 'sub', 'exp', 'cnf'],
    currentDate: new Date(options.now * 1000),
    clockTolerance: options.clockTolerance,
  };
  for (const jwk of candidates) {
    try {
      return (await jwtVerify(jwt, await importJWK(jwk, header.alg), verifyOptions)).payload;
    } catch (cause) {
      if (cause instanceof joseErrors.JWSSignatureVerificationFailed) continue;
      fail('the client attestation is refused', cause);
    }
  }
  throw new ClientAttestationError('the client attestation is not signed by a trusted wallet provider key');
}

/**
 * Checks a client attestation and its PoP (draft section 6.1): the attestation has
 * `typ: oauth-client-attestation+jwt`, a signature by a trusted wallet provider key, `iss`, `sub`,
 * an `exp` not passed and a public `cnf.jwk`; the PoP has `typ: oauth-client-attestation-pop+jwt`,
 * a signature by that `cnf` key, `aud` this server, a fresh `iat` and a `jti`. A client_id named
 * by the request must be the attestation's `sub`.
 */
export async function verifyClientAttestation(attestation: string, pop: string, options: ClientAttestationOptions): Promise<VerifiedClientAttestation> {
  const claims = await verifyAttestationJwt(attestation, options);
  const sub = claims.sub;
  if (typeof sub !== 'string' || sub.length === 0 || sub.length > 256) throw new ClientAttestationError('the client attestation sub must be the client_id');
  if (typeof claims.iss !== 'string' || claims.iss.length === 0) throw new ClientAttestationError('the client attestation has no iss');
  const cnf = claims.cnf as { jwk?: unknown } | undefined;
  const instanceKey = cnf?.jwk as JWK | undefined;
  if (!instanceKey || typeof instanceKey !== 'object' || Array.isArray(instanceKey) || 'd' in instanceKey)
    throw new ClientAttestationError('the client attestation has no public cnf.jwk');
  if (options.clientId !== undefined && options.clientId !== sub)
    throw new ClientAttestationError(`client_id ${options.clientId} is not the attested client ${sub}`);

  let popHeader: ReturnType<typeof decodeProtectedHeader>;
  try {
    popHeader = decodeProtectedHeader(pop);
  } catch (cause) {
    malformed('the client attestation PoP', cause);
  }
  let popClaims: JWTPayload;
  try {
    if (!matchesAlg(instanceKey, popHeader.alg)) throw new ClientAttestationError('the client attestation PoP alg does not fit the cnf key');
    const verified = await jwtVerify(pop, await importJWK(instanceKey, popHeader.alg), {
      typ: CLIENT_ATTESTATION_POP_TYP,
      algorithms: [...CLIENT_ATTESTATION_ALGS],
      requiredClaims: ['aud', 'jti', 'iat'],
      currentDate: new Date(options.now * 1000),
      clockTolerance: options.clockTolerance,
    });
    popClaims = verified.payload;
  } catch (cause) {
    if (cause instanceof ClientAttestationError) throw cause;
    fail('the client attestation PoP is refused', cause);
  }
  const aud = popClaims.aud;
  if (!(aud === options.audience || (Array.isArray(aud) && aud.length === 1 && aud[0] === options.audience)))
    throw new ClientAttestationError(`the client attestation PoP aud must be ${options.audience}`);
  // jwtVerify held exp and nbf; iat is bounded by the max age (core/jose/claims.ts).
  const { iat } = checkTimeClaims(
    { iat: popClaims.iat },
    {
      now: options.now,
      clockTolerance: options.clockTolerance,
      maxAge: options.maxAge,
      error: (e) => new ClientAttestationError(`the client attestation PoP ${e.message}`, { cause: e }),
    },
  ) as { iat: number };
  // Earlier drafts put the client_id in the PoP's iss; when it is there it must agree.
  if (popClaims.iss !== undefined && popClaims.iss !== sub) throw new ClientAttestationError('the client attestation PoP iss is not the attested client');
  const jti = popClaims.jti;
  if (typeof jti !== 'string' || jti.length === 0 || jti.length > 256) throw new ClientAttestationError('the client attestation PoP has no jti');
  return {
    clientId: sub,
    walletProvider: claims.iss,
    instanceJkt: await calculateJwkThumbprint(instanceKey, 'sha256'),
    popJti: jti,
    popExpiresAt: iat + options.maxAge + options.clockTolerance,
  };
}
