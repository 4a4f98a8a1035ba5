import type { KeyObject } from 'node:crypto';
import type { Resolver } from 'did-resolver';
import { didJwkFromJwk } from '../../core/did/did-jwk.js';
import { resolvePublicKey } from '../../core/did/resolve.js';
import { checkTimeClaims } from '../../core/jose/claims.js';
import { decodeCompact, type DecodedJws } from '../../core/jose/decode.js';
import { assertPublicJwk, importPublicJwk, type PublicJwk } from '../../core/jose/jwk.js';
import { verifyDecoded } from '../../core/jose/verify.js';
import { OID4VCI_LIMITS, PROOF_JWT_TYP } from './config.js';
import { Oid4vciError } from './errors.js';

export type VerifiedProof = {
  /** The key the credential is bound to (`cnf.jwk`). */
  jwk: PublicJwk;
  /** The holder DID: the proof's `kid` DID, or did:jwk of its `jwk`. */
  holderDid: string;
  /** The c_nonce the proof carries; checked against the nonce store by the caller. */
  nonce: string;
};

/** Binding methods we advertise (`cryptographic_binding_methods_supported`). */
const DID_METHODS = new Set(['key', 'jwk']);

function invalid(description: string, cause?: unknown): Oid4vciError {
  return new Oid4vciError('invalid_proof', description, cause === undefined ? {} : { cause });
}

async function proofKey(header: DecodedJws['header'], resolver: Resolver): Promise<{ jwk: PublicJwk; key: KeyObject; holderDid: string }> {
  const named = ['kid', 'jwk', 'x5c'].filter((k) => header[k] !== undefined);
  if (named.length !== 1) throw invalid('the proof header must name its key with exactly one of kid, jwk, x5c');
  if (header.x5c !== undefined) throw invalid('x5c proofs are not supported; use kid (DID URL) or jwk');
  if (header.jwk !== undefined) {
    try {
      assertPublicJwk(header.jwk, 'proof jwk');
      const jwk = header.jwk;
      return { jwk, key: importPublicJwk(jwk, 'proof jwk'), holderDid: didJwkFromJwk(jwk) };
    } catch (cause) {
      throw invalid('the proof jwk is not a public Ed25519 or P-256 key', cause);
    }
  }
  const kid = header.kid;
  if (typeof kid !== 'string' || kid.length > 4096 || !/^did:[a-z0-9]+:[^#]+#.+$/.test(kid))
    throw invalid('the proof kid must be a DID URL (did:...#fragment)');
  const did = kid.split('#')[0]!;
  const method = did.split(':')[1]!;
  if (!DID_METHODS.has(method)) throw invalid(`DID method ${method} is not a supported binding method (did:key, did:jwk)`);
  try {
    const { jwk, key } = await resolvePublicKey(resolver, did, kid);
    return { jwk, key, holderDid: did };
  } catch (cause) {
    throw invalid(`the proof kid does not resolve to a key of ${did}`, cause);
  }
}

/**
 * Verifies one `jwt` key proof (OpenID4VCI 1.0 appendix F.1): typ, alg (never none), the key it
 * names, the signature by that key, aud = the credential issuer, a recent iat and a nonce.
 * The nonce's freshness is the caller's job (it is consumed only after every proof verified).
 */
export async function verifyProofJwt(jwt: unknown, options: { audience: string; resolver: Resolver; now: number }): Promise<VerifiedProof> {
  if (typeof jwt !== 'string' || jwt.length === 0) throw invalid('a jwt proof must be a compact JWS string');
  if (jwt.length > OID4VCI_LIMITS.maxProofBytes) throw invalid(`a jwt proof must be at most ${OID4VCI_LIMITS.maxProofBytes} bytes`);
  let decoded: DecodedJws;
  try {
    decoded = decodeCompact(jwt);
  } catch (cause) {
    throw invalid('the proof is not a compact JWS', cause);
  }
  const { header, payload } = decoded;
  if (header.typ !== PROOF_JWT_TYP) throw invalid(`the proof typ must be ${PROOF_JWT_TYP}`);
  if (header.alg !== 'ES256' && header.alg !== 'EdDSA') throw invalid(`proof alg ${String(header.alg)} is not allowed (ES256, EdDSA)`);
  if (header.crit !== undefined) throw invalid('the proof header has crit parameters we do not understand');
  const { jwk, key, holderDid } = await proofKey(header, options.resolver);
  try {
    verifyDecoded(decoded, key, { algorithms: ['ES256', 'EdDSA'], typ: PROOF_JWT_TYP });
  } catch (cause) {
    throw invalid('the proof signature is not by the key its header names', cause);
  }
  const aud = payload.aud;
  const audOk = aud === options.audience || (Array.isArray(aud) && aud.length === 1 && aud[0] === options.audience);
  if (!audOk) throw invalid(`the proof aud must be the credential issuer identifier ${options.audience}`);
  checkTimeClaims(payload, {
    now: options.now,
    clockTolerance: OID4VCI_LIMITS.proofMaxSkew,
    maxAge: OID4VCI_LIMITS.proofMaxAge,
    error: (e) => invalid(`the proof ${e.message}`, e),
  });
  const nonce = payload.nonce;
  if (typeof nonce !== 'string' || nonce.length === 0 || nonce.length > 256) throw invalid('the proof carries no c_nonce');
  return { jwk, holderDid, nonce };
}
