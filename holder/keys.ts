import { createPrivateKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { didJwkFromJwk } from '../core/did/did-jwk.js';
import { didKeyFromJwk } from '../core/did/did-key.js';
import type { JwsAlg } from '../core/jose/alg.js';
import { jwkThumbprint, publicJwkOf, type PublicJwk } from '../core/jose/jwk.js';
import { WalletError } from './errors.js';

/** A holder DID method: did:jwk or did:key. */
export type DidMethod = 'jwk' | 'key';

/** A holder key as the wallet lists it (public parts only). */
export type HolderKeyInfo = {
  /** RFC 7638 thumbprint of the public key. */
  id: string;
  did: string;
  /** DID URL of the key (`did#fragment`). */
  kid: string;
  alg: JwsAlg;
  publicJwk: PublicJwk;
  createdAt: number;
};

export type NewHolderKey = HolderKeyInfo & { privateKey: KeyObject };

/** Whether `v` is a holder DID method: `jwk` or `key`. */
export function isDidMethod(v: unknown): v is DidMethod {
  return v === 'jwk' || v === 'key';
}

/** Generates a key pair with node:crypto and names it with a did:jwk or did:key. */
export function generateHolderKey(method: DidMethod = 'jwk', alg: JwsAlg = 'ES256', now = Date.now()): NewHolderKey {
  if (!isDidMethod(method)) throw new WalletError('INVALID_INPUT', `unsupported DID method ${String(method)} (jwk, key)`);
  if (alg !== 'ES256' && alg !== 'EdDSA') throw new WalletError('INVALID_INPUT', `unsupported algorithm ${String(alg)} (ES256, EdDSA)`);
  const { privateKey } = alg === 'ES256' ? generateKeyPairSync('ec', { namedCurve: 'prime256v1' }) : generateKeyPairSync('ed25519');
  const publicJwk = publicJwkOf(privateKey);
  const did = method === 'jwk' ? didJwkFromJwk(publicJwk) : didKeyFromJwk(publicJwk);
  const kid = method === 'jwk' ? `${did}#0` : `${did}#${did.slice('did:key:'.length)}`;
  return { id: jwkThumbprint(publicJwk), did, kid, alg, publicJwk, createdAt: now, privateKey };
}

export function exportPrivateKey(key: KeyObject): Buffer {
  return key.export({ format: 'der', type: 'pkcs8' });
}

export function importPrivateKey(der: Buffer): KeyObject {
  return createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
}
