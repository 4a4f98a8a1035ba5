import { verify as nodeVerify, type KeyObject } from 'node:crypto';
import { JoseError } from '../errors.js';
import { algForKey, nodeSignParams, SUPPORTED_ALGS, type JwsAlg } from './alg.js';
import { decodeCompact, type DecodedJws } from './decode.js';

/** What verifyCompact accepts besides the key: the algorithms and the expected `typ`. */
export type VerifyOptions = {
  /** Algorithms accepted; defaults to every supported one. `none` can never be allowed. */
  algorithms?: readonly JwsAlg[];
  /** Expected `typ` header value(s), compared case-sensitively. */
  typ?: string | readonly string[];
};

/** Verifies the signature of an already decoded JWS against one key. */
export function verifyDecoded(decoded: DecodedJws<unknown>, key: KeyObject, options: VerifyOptions = {}): void {
  const alg = decoded.header.alg;
  const allowed = options.algorithms ?? SUPPORTED_ALGS;
  if (!allowed.includes(alg as JwsAlg)) throw new JoseError('ALG_NOT_ALLOWED', `alg ${String(alg)} is not allowed`);
  if (algForKey(key) !== alg) throw new JoseError('ALG_KEY_MISMATCH', `alg ${alg} does not match the key type`);
  // We understand no critical header parameter (RFC 7515 section 4.1.11).
  if (decoded.header.crit !== undefined) throw new JoseError('JWS_CRIT_UNSUPPORTED', 'JWS has critical header parameters we do not understand');
  // The last base64url character carries unused bits: accept only the canonical form, so no
  // two different strings verify as the same signature.
  if (decoded.signature.toString('base64url') !== decoded.encodedSignature) {
    throw new JoseError('SIGNATURE_INVALID', 'JWS signature is not canonical base64url');
  }
  if (options.typ !== undefined) {
    const typs = typeof options.typ === 'string' ? [options.typ] : options.typ;
    if (!typs.includes(decoded.header.typ as string)) {
      throw new JoseError('TYP_INVALID', `typ ${String(decoded.header.typ)} is not one of ${typs.join(', ')}`);
    }
  }
  const { digest, dsaEncoding } = nodeSignParams(alg as JwsAlg);
  const keyArg = dsaEncoding ? { key, dsaEncoding } : key;
  let ok = false;
  try {
    ok = nodeVerify(digest, Buffer.from(decoded.signingInput, 'ascii'), keyArg, decoded.signature);
  } catch {
    ok = false;
  }
  if (!ok) throw new JoseError('SIGNATURE_INVALID', 'JWS signature does not verify');
}

/** Decodes and verifies a compact JWS; returns header and payload only when the signature is valid. */
export function verifyCompact<P = Record<string, unknown>>(jws: string, key: KeyObject, options: VerifyOptions = {}): DecodedJws<P> {
  const decoded = decodeCompact<P>(jws);
  verifyDecoded(decoded, key, options);
  return decoded;
}
