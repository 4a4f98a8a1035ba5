import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { DPOP_ALGS, DpopNonceError, DpopProofError, dpopHeaderValue, verifyDpopProof } from '../../core/oauth/dpop.js';
import type { IssuerContext } from '../context.js';
import { issuerIdentifier, OID4VCI_LIMITS } from './config.js';
import { Oid4vciError } from './errors.js';
import { secretHash } from './secrets.js';
import { oid4vciStateOf } from './state/index.js';

/**
 * DPoP at this issuer (RFC 9449): the server nonce it hands out, when a proof is required, and
 * the single use of a proof's jti (in the database, so neither a restart nor a second process
 * accepts it twice). The proof rules themselves are core/oauth/dpop.ts.
 */

export const DPOP_NONCE_KEY_PURPOSE = 'oid4vci-dpop-nonce';
export const DPOP_NONCE_HEADER = 'DPoP-Nonce';

// nonce = base64url(expiry (4 bytes, BE seconds) || 16 random bytes || HMAC-SHA256 truncated to 16 bytes)
const BODY = 20;
const TAG = 16;

function tag(ctx: IssuerContext, body: Buffer): Buffer {
  return createHmac('sha256', ctx.deriveKey(DPOP_NONCE_KEY_PURPOSE)).update(body).digest().subarray(0, TAG);
}

/**
 * A fresh server nonce (RFC 9449 section 8). It carries its expiry under a MAC keyed from the
 * issuer secret: nothing is written, every process of this issuer accepts it, and a stale one
 * is told apart from a forged one by nobody but us. It is not single use: the proof's jti is.
 */
export function issueDpopNonce(ctx: IssuerContext, now = Math.floor(Date.now() / 1000)): string {
  const body = Buffer.alloc(BODY);
  body.writeUInt32BE((now + OID4VCI_LIMITS.dpopNonceTtl) >>> 0, 0);
  randomBytes(16).copy(body, 4);
  return Buffer.concat([body, tag(ctx, body)]).toString('base64url');
}

/** A nonce we handed out that has not expired. */
export function dpopNonceAccepted(ctx: IssuerContext, nonce: string, now: number): boolean {
  if (!/^[A-Za-z0-9_-]{48}$/.test(nonce)) return false;
  const raw = Buffer.from(nonce, 'base64url');
  if (raw.length !== BODY + TAG) return false;
  const body = raw.subarray(0, BODY);
  return timingSafeEqual(raw.subarray(BODY), tag(ctx, body)) && body.readUInt32BE(0) > now;
}

/** `dpop_signing_alg_values_supported`. */
export const DPOP_SIGNING_ALGS: readonly string[] = DPOP_ALGS;

export type DpopUse = {
  /** The endpoint's path under the credential issuer identifier (OID4VCI_PATHS). */
  path: string;
  /** The authorization server's endpoints answer 400; the credential endpoint (a resource server) 401. */
  role: 'authorization-server' | 'resource-server';
  /** A proof must be sent (HAIP, or a DPoP-bound token). */
  required: boolean;
  /** Resource requests: the access token the proof's ath must hash. */
  accessToken?: string;
  /** The key the token or code is bound to. */
  boundJkt?: string;
};

/** The protocol error of a refused proof where it was refused (RFC 9449 5, 7.1, 8, 9). */
function refusal(use: DpopUse, err: DpopProofError | DpopNonceError): Error {
  // At the credential endpoint the core errors stand as they are: 401, WWW-Authenticate: DPoP.
  if (use.role === 'resource-server') return err;
  return new Oid4vciError(err instanceof DpopNonceError ? 'use_dpop_nonce' : 'invalid_dpop_proof', err.message, { cause: err });
}

/**
 * Checks the request's DPoP header, if any (and that there is one when required): the proof for
 * this endpoint, with a live server nonce, its jti never seen before. Returns the proof key's
 * thumbprint, or undefined when no proof was sent and none is required.
 */
export async function checkDpop(ctx: IssuerContext, header: string | string[] | undefined, use: DpopUse): Promise<string | undefined> {
  try {
    const proof = dpopHeaderValue(header);
    if (proof === undefined) {
      if (use.required) throw new DpopProofError('a DPoP proof is required (DPoP header)');
      return undefined;
    }
    const now = Math.floor(Date.now() / 1000);
    const verified = await verifyDpopProof(proof, {
      request: { method: 'POST', url: `${issuerIdentifier(ctx.config.publicUrl)}${use.path}` },
      now,
      maxAge: OID4VCI_LIMITS.dpopMaxAge,
      clockTolerance: OID4VCI_LIMITS.proofMaxSkew,
      accessToken: use.accessToken,
      boundJkt: use.boundJkt,
      acceptNonce: (nonce) => dpopNonceAccepted(ctx, nonce, now),
    });
    const until = verified.iat + OID4VCI_LIMITS.dpopMaxAge + OID4VCI_LIMITS.proofMaxSkew;
    if (!(await oid4vciStateOf(ctx).recordJti(secretHash(`dpop:${verified.jkt}:${verified.jti}`), until))) {
      throw new DpopProofError('the DPoP proof jti was already used (replay)');
    }
    return verified.jkt;
  } catch (err) {
    if (err instanceof DpopProofError || err instanceof DpopNonceError) throw refusal(use, err);
    throw err;
  }
}
