import { timingSafeEqual, type KeyObject } from 'node:crypto';
import { decodeCompact, type DecodedJws } from '../jose/decode.js';
import type { JwsAlg } from '../jose/alg.js';
import { verifyDecoded } from '../jose/verify.js';
import { checkTimeClaims } from '../jose/claims.js';
import type { SdHashAlg } from './hash.js';
import { sdHashMatches } from './sd-hash.js';
import { NetcredError } from '../errors.js';
import { VerificationError } from '../verification-errors.js';

export type KbJwtPayload = { iat: number; aud: string; nonce: string; sd_hash: string; [k: string]: unknown };

export type KeyBindingCheck = {
  /** The holder key from the credential's `cnf.jwk`. */
  holderKey: KeyObject;
  /** `<issuer JWT>~<D1>~...~<Dn>~` exactly as received. */
  sdHashInput: string;
  sdAlg: SdHashAlg;
  algorithms: readonly JwsAlg[];
  /** Expected audience(s); when absent any non-empty string is accepted (and reported). */
  aud?: string | readonly string[];
  /** Expected nonce; when absent any non-empty string is accepted (and reported). */
  nonce?: string;
  /** Seconds since the epoch. */
  now: number;
  maxAgeSeconds: number;
  clockSkewSeconds: number;
};

function sameString(a: string, b: string): boolean {
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  return x.length === y.length && timingSafeEqual(x, y);
}

/** What a holder does about a stale proof: it is made when presenting, for one verification. */
function staleHint(reason: 'invalid' | 'expired' | 'early', maxAgeSeconds: number): string {
  if (reason === 'expired')
    return `: a key-binding proof is made when presenting; make a fresh presentation (netcred wallet present ...) and verify it within ${maxAgeSeconds} s`;
  if (reason === 'early') return ': the clocks of the wallet and the verifier disagree; check them';
  return '';
}

/** RFC 9901 section 7.3 step 4: the KB-JWT's typ, signature, sd_hash, aud, nonce and iat. */
export function verifyKeyBinding(kbJwt: string, check: KeyBindingCheck): DecodedJws<KbJwtPayload> {
  let decoded: DecodedJws<Record<string, unknown>>;
  try {
    decoded = decodeCompact(kbJwt);
  } catch (cause) {
    throw new VerificationError('KB_JWT_INVALID', 'the KB-JWT is not a compact JWS', { cause });
  }
  if (decoded.header.typ !== 'kb+jwt') throw new VerificationError('KB_JWT_INVALID', `KB-JWT typ must be kb+jwt, got ${String(decoded.header.typ)}`);
  if (decoded.header.crit !== undefined) throw new VerificationError('KB_JWT_INVALID', 'KB-JWT has critical header parameters we do not understand');
  try {
    verifyDecoded(decoded, check.holderKey, { algorithms: check.algorithms });
  } catch (cause) {
    const what = cause instanceof NetcredError && cause.code === 'ALG_NOT_ALLOWED' ? 'its alg is not allowed' : 'its signature does not verify with cnf.jwk';
    throw new VerificationError('KB_JWT_INVALID', `KB-JWT rejected: ${what}`, { cause });
  }
  const p = decoded.payload;
  if (!sdHashMatches(p.sd_hash, check.sdHashInput, check.sdAlg)) {
    throw new VerificationError('KB_JWT_SD_HASH_MISMATCH', 'KB-JWT sd_hash does not match the presented SD-JWT');
  }
  if (typeof p.aud !== 'string' || p.aud === '') throw new VerificationError('KB_JWT_AUD_MISMATCH', 'KB-JWT aud must be a non-empty string');
  if (check.aud !== undefined) {
    const auds = typeof check.aud === 'string' ? [check.aud] : check.aud;
    if (!auds.some((a) => sameString(a, p.aud as string))) throw new VerificationError('KB_JWT_AUD_MISMATCH', `KB-JWT aud ${p.aud} is not this verifier`);
  }
  if (typeof p.nonce !== 'string' || p.nonce === '') throw new VerificationError('KB_JWT_NONCE_MISMATCH', 'KB-JWT nonce must be a non-empty string');
  if (check.nonce !== undefined && !sameString(check.nonce, p.nonce)) throw new VerificationError('KB_JWT_NONCE_MISMATCH', 'KB-JWT nonce does not match');
  // iat is required and bounded by the max age; an exp or nbf, when sent, is held too.
  checkTimeClaims(p, {
    now: check.now,
    clockTolerance: check.clockSkewSeconds,
    maxAge: check.maxAgeSeconds,
    error: (e) =>
      new VerificationError(e.reason === 'invalid' ? 'KB_JWT_INVALID' : 'KB_JWT_STALE', `KB-JWT ${e.message}${staleHint(e.reason, check.maxAgeSeconds)}`, {
        cause: e,
      }),
  });
  return decoded as DecodedJws<KbJwtPayload>;
}
