import { createECDH, createHash, createPrivateKey, createPublicKey, sign as nodeSign, type KeyObject } from 'node:crypto';
import { didJwkFromJwk, type PublicJwk } from '../../core/index.js';
import type { SeededBytes } from './random.js';

export type VectorAlg = 'EdDSA' | 'ES256';

/** A key pair derived from the seed, with its public JWK and did:jwk (`kid` = `<did>#0`). */
export type VectorKey = {
  alg: VectorAlg;
  privateKey: KeyObject;
  publicKey: KeyObject;
  publicJwk: PublicJwk;
  /** The private JWK, for implementations that need the holder key to present (never the issuer's in a case). */
  privateJwk: Record<string, string>;
  did: string;
  kid: string;
  /** Signs `input` (ASCII) as JWS `alg` wants it: Ed25519, or ES256 as raw r||s (RFC 7518 section 3.4). */
  sign(input: string): Buffer;
};

// PKCS#8 wrapping of a raw 32-byte Ed25519 seed (RFC 8410): the key is the seed, as RFC 8032 defines it.
const ED25519_PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

type NobleP256 = { sign(msgHash: Uint8Array, privateKey: Uint8Array): { toCompactRawBytes(): Uint8Array } };
let p256: NobleP256 | undefined;

/**
 * ES256 signatures from node:crypto are randomized (a fresh ECDSA nonce each time), so they are
 * made with RFC 6979 deterministic nonces by @noble/curves (an audited library already in the
 * dependency tree): the same seed gives the same bytes. Any valid ECDSA nonce gives a signature
 * every verifier accepts; node:crypto verifies them in the tests.
 */
export async function loadDeterministicEcdsa(): Promise<void> {
  if (p256) return;
  const mod = (await import('@noble/curves/nist.js' as string)) as { p256: NobleP256 };
  p256 = mod.p256;
}

function ed25519Key(seed: Buffer): Omit<VectorKey, 'did' | 'kid' | 'publicJwk' | 'sign'> & { publicJwk: PublicJwk } {
  const privateKey = createPrivateKey({ key: Buffer.concat([ED25519_PKCS8_PREFIX, seed]), format: 'der', type: 'pkcs8' });
  const publicKey = createPublicKey(privateKey);
  const jwk = privateKey.export({ format: 'jwk' }) as Record<string, string>;
  return {
    alg: 'EdDSA',
    privateKey,
    publicKey,
    publicJwk: { kty: 'OKP', crv: 'Ed25519', x: jwk.x! } as PublicJwk,
    privateJwk: { kty: 'OKP', crv: 'Ed25519', x: jwk.x!, d: jwk.d! },
  };
}

function p256Key(random: SeededBytes, label: string): Omit<VectorKey, 'did' | 'kid' | 'publicJwk' | 'sign'> & { publicJwk: PublicJwk; d: Buffer } {
  // A scalar outside [1, n-1] is refused by setPrivateKey: draw again (probability about 2^-32).
  for (let attempt = 0; ; attempt++) {
    const d = random.bytes(`${label}:p256:${attempt}`, 32);
    const ecdh = createECDH('prime256v1');
    try {
      ecdh.setPrivateKey(d);
    } catch {
      continue;
    }
    const point = ecdh.getPublicKey();
    const x = point.subarray(1, 33).toString('base64url');
    const y = point.subarray(33, 65).toString('base64url');
    const privateJwk = { kty: 'EC', crv: 'P-256', x, y, d: d.toString('base64url') };
    const privateKey = createPrivateKey({ key: privateJwk, format: 'jwk' });
    return { alg: 'ES256', privateKey, publicKey: createPublicKey(privateKey), publicJwk: { kty: 'EC', crv: 'P-256', x, y } as PublicJwk, privateJwk, d };
  }
}

/** The key named `label`, derived from the seed. */
export function deriveKey(random: SeededBytes, label: string, alg: VectorAlg): VectorKey {
  if (alg === 'EdDSA') {
    const k = ed25519Key(random.bytes(`${label}:ed25519`, 32));
    const did = didJwkFromJwk(k.publicJwk);
    return { ...k, did, kid: `${did}#0`, sign: (input) => nodeSign(null, Buffer.from(input, 'ascii'), k.privateKey) };
  }
  const k = p256Key(random, label);
  const did = didJwkFromJwk(k.publicJwk);
  const sign = (input: string): Buffer => {
    if (!p256) throw new Error('call loadDeterministicEcdsa() before signing with ES256');
    const digest = createHash('sha256').update(input, 'ascii').digest();
    return Buffer.from(p256.sign(digest, k.d).toCompactRawBytes());
  };
  const { d: _d, ...rest } = k;
  return { ...rest, did, kid: `${did}#0`, sign };
}
