import { createECDH, createPrivateKey, ECDH, generateKeyPairSync, type KeyObject } from 'node:crypto';
import type { TKeyType } from '@veramo/core-types';
import { NetcredError } from '../../core/errors.js';
import type { JwsAlg } from '../../core/jose/alg.js';
import { publicJwkOf, type PublicJwk } from '../../core/jose/jwk.js';

/** The two Veramo key types our KMS manages, and what they sign with. */
export type ManagedKeyType = 'Ed25519' | 'Secp256r1';

export const ALG_OF: Record<ManagedKeyType, JwsAlg> = { Ed25519: 'EdDSA', Secp256r1: 'ES256' };
export const KEY_TYPE_OF: Record<JwsAlg, ManagedKeyType> = { EdDSA: 'Ed25519', ES256: 'Secp256r1' };
/** Algorithm names Veramo callers may pass for each key type. */
export const ALGORITHMS_OF: Record<ManagedKeyType, string[]> = { Ed25519: ['EdDSA', 'Ed25519'], Secp256r1: ['ES256'] };

export function isManagedKeyType(type: unknown): type is ManagedKeyType {
  return type === 'Ed25519' || type === 'Secp256r1';
}

export function assertManagedKeyType(type: TKeyType | string): asserts type is ManagedKeyType {
  if (!isManagedKeyType(type)) throw new NetcredError('KEY_TYPE_UNSUPPORTED', `key type ${type} is not supported (Ed25519, Secp256r1)`);
}

export function generatePrivateKey(type: ManagedKeyType): KeyObject {
  return type === 'Ed25519' ? generateKeyPairSync('ed25519').privateKey : generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey;
}

// PKCS#8 header of an Ed25519 private key (RFC 8410): the 32-byte seed follows.
const ED25519_PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

/** A private KeyObject from Veramo's `privateKeyHex` (Ed25519 seed, or seed||public; P-256 scalar). */
export function privateKeyFromHex(type: ManagedKeyType, privateKeyHex: string): KeyObject {
  const hex = privateKeyHex.startsWith('0x') ? privateKeyHex.slice(2) : privateKeyHex;
  if (!/^[0-9a-fA-F]*$/.test(hex)) throw new NetcredError('KEY_INVALID', 'privateKeyHex is not hex');
  const bytes = Buffer.from(hex, 'hex');
  try {
    if (type === 'Ed25519') {
      if (bytes.length !== 32 && bytes.length !== 64) throw new Error('an Ed25519 private key is 32 (or 64) bytes');
      return createPrivateKey({ key: Buffer.concat([ED25519_PKCS8_PREFIX, bytes.subarray(0, 32)]), format: 'der', type: 'pkcs8' });
    }
    if (bytes.length !== 32) throw new Error('a P-256 private key is 32 bytes');
    const ecdh = createECDH('prime256v1');
    ecdh.setPrivateKey(bytes);
    const pub = ecdh.getPublicKey();
    const b64 = (b: Buffer) => b.toString('base64url');
    return createPrivateKey({ key: { kty: 'EC', crv: 'P-256', d: b64(bytes), x: b64(pub.subarray(1, 33)), y: b64(pub.subarray(33, 65)) }, format: 'jwk' });
  } catch (cause) {
    throw new NetcredError('KEY_INVALID', `cannot import ${type} private key: ${(cause as Error).message}`, { cause });
  }
}

/** Veramo's publicKeyHex: raw 32 bytes for Ed25519, the compressed point for P-256 (as kms-local). */
export function publicKeyHexOf(key: KeyObject): string {
  const jwk = publicJwkOf(key);
  if (jwk.kty === 'OKP') return Buffer.from(jwk.x, 'base64url').toString('hex');
  const y = Buffer.from(jwk.y, 'base64url');
  return Buffer.concat([Buffer.from([(y[y.length - 1]! & 1) === 1 ? 3 : 2]), Buffer.from(jwk.x, 'base64url')]).toString('hex');
}

/** The public JWK of a Veramo key record (type + publicKeyHex). */
export function jwkFromPublicKeyHex(type: ManagedKeyType, publicKeyHex: string): PublicJwk {
  const bytes = Buffer.from(publicKeyHex, 'hex');
  if (type === 'Ed25519') {
    if (bytes.length !== 32) throw new NetcredError('KEY_INVALID', 'an Ed25519 public key is 32 bytes');
    return { kty: 'OKP', crv: 'Ed25519', x: bytes.toString('base64url') };
  }
  let point: Buffer;
  try {
    point = ECDH.convertKey(bytes, 'prime256v1', undefined, undefined, 'uncompressed') as Buffer;
  } catch (cause) {
    throw new NetcredError('KEY_INVALID', 'not a P-256 public key', { cause });
  }
  return { kty: 'EC', crv: 'P-256', x: point.subarray(1, 33).toString('base64url'), y: point.subarray(33, 65).toString('base64url') };
}
