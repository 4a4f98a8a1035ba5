import { createHash, generateKeyPairSync, randomBytes, timingSafeEqual, type KeyObject } from 'node:crypto';
import { calculateJwkThumbprint, EmbeddedJWK, errors as joseErrors, jwtVerify, SignJWT, type JWK } from 'jose';
import { NetcredError } from '../errors.js';
import { checkTimeClaims } from '../jose/claims.js';

/**
 * DPoP (RFC 9449): the pure rules of a proof, for the server that checks one (issuer) and the
 * client that makes one (wallet). Nonce minting, the jti memory and the choice of when DPoP is
 * required are the server's (issuer/oid4vci/dpop.ts).
 */

export const DPOP_TYP = 'dpop+jwt';
/** Proof algorithms netcred accepts and advertises (`dpop_signing_alg_values_supported`). */
export const DPOP_ALGS = ['ES256', 'EdDSA'] as const;
/** A proof is a compact JWS with a small header and payload: anything larger is refused unread. */
export const DPOP_MAX_BYTES = 4096;
const MAX_JTI = 256;
const MAX_NONCE = 512;

/** A proof that cannot be accepted: `invalid_dpop_proof` on the wire. */
export class DpopProofError extends NetcredError {
  constructor(message: string, options: { cause?: unknown } = {}) {
    super('DPOP_PROOF_INVALID', message, options);
  }
}

/** A proof without a nonce the server accepts (none, stale or not its own): `use_dpop_nonce`. */
export class DpopNonceError extends NetcredError {
  constructor(message: string) {
    super('DPOP_NONCE_REQUIRED', message);
  }
}

/**
 * The one `DPoP` request header (RFC 9449 4.3 (1)): undefined when there is none; refused when
 * it is repeated (Node joins repeated headers with ", ", which a compact JWS never contains),
 * too large or not a compact JWS.
 */
export function dpopHeaderValue(value: string | string[] | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (Array.isArray(value) || value.includes(',')) throw new DpopProofError('more than one DPoP header');
  const v = value.trim();
  if (v.length > DPOP_MAX_BYTES) throw new DpopProofError('the DPoP proof is too large');
  if (!/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/.test(v)) throw new DpopProofError('the DPoP header is not a compact JWS');
  return v;
}

/**
 * The `htu` form of a URL (RFC 9449 4.3 (9), RFC 9110 4.2.3): no query or fragment, scheme and
 * host in lower case, no default port, dot segments resolved, percent-encodings of unreserved
 * characters decoded and the others in upper case. undefined when it is not an http(s) URL.
 */
export function normalizeHtu(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.length > 2048) return undefined;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return undefined;
  }
  if ((url.protocol !== 'https:' && url.protocol !== 'http:') || url.username || url.password) return undefined;
  url.search = '';
  url.hash = '';
  url.pathname = url.pathname.replace(/%[0-9A-Fa-f]{2}/g, (pct) => {
    const ch = String.fromCharCode(parseInt(pct.slice(1), 16));
    return /^[A-Za-z0-9\-._~]$/.test(ch) ? ch : pct.toUpperCase();
  });
  return url.href;
}

/** `ath` (RFC 9449 4.2): base64url of the SHA-256 of the access token's ASCII. */
export function accessTokenHash(accessToken: string): string {
  return createHash('sha256').update(accessToken, 'ascii').digest('base64url');
}

export type DpopCheckOptions = {
  /** The request as the server publishes it: method and its public URL (not the Host header). */
  request: { method: string; url: string };
  /** Epoch seconds. */
  now: number;
  /** How old `iat` may be ... */
  maxAge: number;
  /** ... give or take this clock difference, either way. */
  clockTolerance: number;
  /** The resource request's access token: the proof must carry its `ath`. */
  accessToken?: string;
  /** The thumbprint the access token (or authorization code) is bound to: the proof must be by that key. */
  boundJkt?: string;
  /** When given, the proof must carry a `nonce` this accepts (else DpopNonceError: `use_dpop_nonce`). */
  acceptNonce?: (nonce: string) => boolean;
};

export type VerifiedDpopProof = {
  /** RFC 7638 SHA-256 thumbprint of the proof key: what a token bound to it carries as `cnf.jkt`. */
  jkt: string;
  jti: string;
  iat: number;
  jwk: JWK;
};

function sameString(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * Checks a DPoP proof (RFC 9449 4.3): a JWT with `typ: dpop+jwt`, an asymmetric `alg` we accept,
 * a public `jwk` in its header that verifies its signature, `htm` and `htu` of this request,
 * a fresh `iat`, a `jti`, the server's nonce when one is required, `ath` of the access token
 * on a resource request, and the bound key when there is one. The jti's single use is the
 * caller's (it must remember it for maxAge + clockTolerance).
 */
export async function verifyDpopProof(proof: string, options: DpopCheckOptions): Promise<VerifiedDpopProof> {
  let payload: Record<string, unknown>;
  let jwk: JWK;
  try {
    const verified = await jwtVerify(proof, EmbeddedJWK, {
      typ: DPOP_TYP,
      algorithms: [...DPOP_ALGS],
      currentDate: new Date(options.now * 1000),
      clockTolerance: options.clockTolerance,
    });
    payload = verified.payload as Record<string, unknown>;
    jwk = verified.protectedHeader.jwk as JWK;
  } catch (cause) {
    if (cause instanceof joseErrors.JOSEError) throw new DpopProofError(`the DPoP proof does not verify: ${cause.message}`, { cause });
    throw cause;
  }
  if ('d' in jwk) throw new DpopProofError('the DPoP proof header carries a private key');
  if (payload.htm !== options.request.method) throw new DpopProofError(`the DPoP proof htm must be ${options.request.method}`);
  const htu = normalizeHtu(payload.htu);
  if (htu === undefined || htu !== normalizeHtu(options.request.url))
    throw new DpopProofError(`the DPoP proof htu must be ${normalizeHtu(options.request.url)}`);
  // jwtVerify held exp and nbf; iat is bounded by the max age (core/jose/claims.ts).
  const { iat } = checkTimeClaims(
    { iat: payload.iat },
    {
      now: options.now,
      clockTolerance: options.clockTolerance,
      maxAge: options.maxAge,
      error: (e) => new DpopProofError(`the DPoP proof ${e.message}`, { cause: e }),
    },
  ) as { iat: number };
  const jti = payload.jti;
  if (typeof jti !== 'string' || jti.length === 0 || jti.length > MAX_JTI) throw new DpopProofError('the DPoP proof has no jti');
  if (options.acceptNonce) {
    const nonce = payload.nonce;
    if (nonce === undefined) throw new DpopNonceError('a DPoP nonce from the server is required (DPoP-Nonce header)');
    if (typeof nonce !== 'string' || nonce.length > MAX_NONCE || !options.acceptNonce(nonce))
      throw new DpopNonceError('the DPoP nonce is stale or not ours: use the one in the DPoP-Nonce header');
  }
  if (options.accessToken !== undefined) {
    if (typeof payload.ath !== 'string' || !sameString(payload.ath, accessTokenHash(options.accessToken)))
      throw new DpopProofError('the DPoP proof ath is not the hash of this access token');
  }
  const jkt = await calculateJwkThumbprint(jwk, 'sha256');
  if (options.boundJkt !== undefined && !sameString(jkt, options.boundJkt))
    throw new DpopProofError('the DPoP proof is signed by another key than the one the token is bound to');
  return { jkt, jti, iat, jwk };
}

/** A client's DPoP key: made fresh per flow and kept in memory only. */
export type DpopKey = { privateKey: KeyObject; publicJwk: JWK; alg: (typeof DPOP_ALGS)[number] };

/** A fresh P-256 key for one flow (the private key never leaves this process). */
export function createDpopKey(): DpopKey {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const { kty, crv, x, y } = publicKey.export({ format: 'jwk' });
  return { privateKey, publicJwk: { kty, crv, x, y }, alg: 'ES256' };
}

/** A DPoP proof for one request (RFC 9449 4.2): fresh jti, iat now, the server's nonce and `ath` when given. */
export async function createDpopProof(
  key: DpopKey,
  request: { method: string; url: string; nonce?: string; accessToken?: string },
  now = Math.floor(Date.now() / 1000),
): Promise<string> {
  const htu = normalizeHtu(request.url);
  if (htu === undefined) throw new DpopProofError(`cannot make a DPoP proof for ${request.url}`);
  const claims: Record<string, unknown> = { htm: request.method, htu, jti: randomBytes(24).toString('base64url') };
  if (request.nonce !== undefined) claims.nonce = request.nonce;
  if (request.accessToken !== undefined) claims.ath = accessTokenHash(request.accessToken);
  return new SignJWT(claims).setProtectedHeader({ alg: key.alg, typ: DPOP_TYP, jwk: key.publicJwk }).setIssuedAt(now).sign(key.privateKey);
}

/** RFC 7638 SHA-256 thumbprint of a public JWK (jose). */
export function jwkThumbprintOf(jwk: JWK): Promise<string> {
  return calculateJwkThumbprint(jwk, 'sha256');
}
