import { ECDH } from 'node:crypto';
import { base58Decode, base58Encode } from '../encoding/base58.js';
import { DidError } from '../errors.js';
import type { PublicJwk } from '../jose/jwk.js';
import { singleKeyDocument, type DIDDocument } from './document.js';

// Multicodec prefixes (unsigned varint): ed25519-pub 0xed, p256-pub 0x1200.
const ED25519 = [0xed, 0x01];
const P256 = [0x80, 0x24];

function startsWith(bytes: Uint8Array, prefix: number[]): boolean {
  return prefix.every((b, i) => bytes[i] === b);
}

/** did:key of a public key: `z6Mk...` for Ed25519, `zDn...` for P-256 (compressed point). */
export function didKeyFromJwk(jwk: PublicJwk): string {
  const x = Buffer.from(jwk.x, 'base64url');
  let body: Uint8Array;
  if (jwk.kty === 'OKP') {
    body = Uint8Array.from([...ED25519, ...x]);
  } else {
    const y = Buffer.from(jwk.y, 'base64url');
    const parity = (y[y.length - 1]! & 1) === 1 ? 0x03 : 0x02;
    body = Uint8Array.from([...P256, parity, ...x]);
  }
  return `did:key:z${base58Encode(body)}`;
}

/**
 * The public JWK a did:key holds (Ed25519 or P-256; a fragment is ignored).
 *
 * @throws DidError `DID_INVALID` (not a base58btc did:key) or `DID_UNSUPPORTED_KEY` (another multicodec key).
 */
export function jwkFromDidKey(did: string): PublicJwk {
  const id = did.split('#')[0]!;
  const m = /^did:key:z([1-9A-HJ-NP-Za-km-z]+)$/.exec(id);
  if (!m) throw new DidError('DID_INVALID', `not a base58btc did:key: ${id}`);
  const bytes = base58Decode(m[1]!);
  if (!bytes) throw new DidError('DID_INVALID', `did:key is not base58btc: ${id}`);
  if (startsWith(bytes, ED25519) && bytes.length === 34) {
    return { kty: 'OKP', crv: 'Ed25519', x: Buffer.from(bytes.subarray(2)).toString('base64url') };
  }
  if (startsWith(bytes, P256) && bytes.length === 35) {
    let point: Buffer;
    try {
      point = ECDH.convertKey(Buffer.from(bytes.subarray(2)), 'prime256v1', undefined, undefined, 'uncompressed') as Buffer;
    } catch (cause) {
      throw new DidError('DID_INVALID', `did:key holds no valid P-256 point: ${id}`, { cause });
    }
    return { kty: 'EC', crv: 'P-256', x: point.subarray(1, 33).toString('base64url'), y: point.subarray(33, 65).toString('base64url') };
  }
  throw new DidError('DID_UNSUPPORTED_KEY', `did:key key type is not Ed25519 or P-256: ${id}`);
}

export function didKeyDocument(did: string): DIDDocument {
  const jwk = jwkFromDidKey(did);
  return singleKeyDocument(did, did.slice('did:key:'.length), jwk);
}
