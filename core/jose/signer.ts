import { sign as nodeSign, type KeyObject } from 'node:crypto';
import { algForKey, nodeSignParams, type JwsAlg } from './alg.js';

/**
 * Anything that can produce a JWS signature: a raw KeyObject, or a Veramo agent's
 * key manager behind the same shape. `kid` (and `x5c`, the signing key's certificate chain,
 * leaf first) is what goes in the protected header.
 */
export interface JwsSigner {
  readonly alg: JwsAlg;
  readonly kid?: string;
  readonly x5c?: readonly string[];
  sign(data: Uint8Array): Promise<Uint8Array> | Uint8Array;
}

/** A signer over a node:crypto private key: the fastest path, used by tests and baselines. */
export function keyObjectSigner(privateKey: KeyObject, kid?: string): JwsSigner {
  const alg = algForKey(privateKey);
  const { digest, dsaEncoding } = nodeSignParams(alg);
  const key = dsaEncoding ? { key: privateKey, dsaEncoding } : privateKey;
  return { alg, kid, sign: (data) => nodeSign(digest, data, key) };
}
