import type { KeyObject } from 'node:crypto';
import { JoseError } from '../errors.js';

/** The JWS algorithms netcred signs and verifies with. `none` is never one of them. */
export type JwsAlg = 'EdDSA' | 'ES256';
/** The JWS algorithms netcred signs and verifies: EdDSA (Ed25519) and ES256 (P-256). */
export const SUPPORTED_ALGS: readonly JwsAlg[] = ['EdDSA', 'ES256'];

/** Whether `alg` is a JWS algorithm netcred signs and verifies (EdDSA, ES256). */
export function isSupportedAlg(alg: unknown): alg is JwsAlg {
  return alg === 'EdDSA' || alg === 'ES256';
}

/** The algorithm a key can sign with; rejects key types we do not support. */
export function algForKey(key: KeyObject): JwsAlg {
  if (key.asymmetricKeyType === 'ed25519') return 'EdDSA';
  if (key.asymmetricKeyType === 'ec' && key.asymmetricKeyDetails?.namedCurve === 'prime256v1') return 'ES256';
  throw new JoseError('KEY_UNSUPPORTED', `unsupported key type ${key.asymmetricKeyType ?? 'unknown'}`);
}

/** Arguments for node:crypto sign/verify: Ed25519 takes no digest; ES256 uses JOSE's raw r||s form. */
export function nodeSignParams(alg: JwsAlg): { digest: string | null; dsaEncoding?: 'ieee-p1363' } {
  return alg === 'EdDSA' ? { digest: null } : { digest: 'sha256', dsaEncoding: 'ieee-p1363' };
}
