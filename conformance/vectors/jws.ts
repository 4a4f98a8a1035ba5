import type { VectorKey } from './keys.js';

/** How a signature is spoiled (or re-encoded) after signing, for the JWS cases. */
export type SignatureMutation = 'tamper' | 'der' | 'high-s' | 'ed25519-s-plus-l' | 'non-canonical-b64' | 'strip';

// Group orders: P-256 (SEC 2) and Ed25519's L (RFC 8032 section 5.1).
const P256_N = BigInt('0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551');
const ED25519_L = (1n << 252n) + 27742317777372353535851937790883648493n;

export const b64json = (value: unknown): string => Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');

const toBig = (b: Buffer): bigint => BigInt(`0x${b.toString('hex') || '0'}`);
const fromBig = (n: bigint, length: number): Buffer => Buffer.from(n.toString(16).padStart(length * 2, '0'), 'hex');

function derInteger(b: Buffer): Buffer {
  let i = 0;
  while (i < b.length - 1 && b[i] === 0) i++;
  let v = b.subarray(i);
  if (v[0]! & 0x80) v = Buffer.concat([Buffer.from([0]), v]);
  return Buffer.concat([Buffer.from([0x02, v.length]), v]);
}

/** ES256 r||s as an ASN.1 DER SEQUENCE (what X.509 uses; RFC 7518 section 3.4 requires r||s). */
function toDer(raw: Buffer): Buffer {
  const body = Buffer.concat([derInteger(raw.subarray(0, 32)), derInteger(raw.subarray(32))]);
  return Buffer.concat([Buffer.from([0x30, body.length]), body]);
}

function mutate(sig: Buffer, how: SignatureMutation, alg: string): Buffer {
  switch (how) {
    case 'tamper': {
      const out = Buffer.from(sig);
      out[out.length - 5]! ^= 0x01;
      return out;
    }
    case 'der':
      if (alg !== 'ES256') throw new Error('DER applies to ES256');
      return toDer(sig);
    case 'high-s': {
      if (alg !== 'ES256') throw new Error('high-S applies to ES256');
      const s = toBig(sig.subarray(32));
      return Buffer.concat([sig.subarray(0, 32), fromBig(P256_N - s, 32)]);
    }
    case 'ed25519-s-plus-l': {
      if (alg !== 'EdDSA') throw new Error('S+L applies to Ed25519');
      // S is little-endian in the last 32 bytes; S + L still fits in 256 bits.
      const s = toBig(Buffer.from(sig.subarray(32)).reverse());
      return Buffer.concat([sig.subarray(0, 32), fromBig(s + ED25519_L, 32).reverse()]);
    }
    case 'strip':
      return Buffer.alloc(0);
    case 'non-canonical-b64':
      return sig; // re-encoded below
  }
}

/** The last base64url character of a signature with its unused low bits set: same bytes, another string. */
function nonCanonical(encoded: string): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  const unused = encoded.length % 4 === 3 ? 2 : encoded.length % 4 === 2 ? 4 : 0;
  if (unused === 0) throw new Error('this signature length has no unused bits');
  const last = alphabet.indexOf(encoded[encoded.length - 1]!);
  return encoded.slice(0, -1) + alphabet[last | 1]!;
}

/**
 * A compact JWS signed with node:crypto (Ed25519) or deterministic ECDSA (keys.ts), built by
 * hand so that the cases can carry what a JOSE library would refuse to produce. `payload` is
 * JSON unless it is given already encoded (`raw`).
 */
export function compactJws(
  header: Record<string, unknown>,
  payload: unknown,
  key: VectorKey,
  options: { raw?: boolean; signature?: SignatureMutation } = {},
): string {
  const input = `${b64json(header)}.${options.raw ? Buffer.from(String(payload), 'utf8').toString('base64url') : b64json(payload)}`;
  if (header.alg === 'none') return `${input}.`;
  const sig = key.sign(input);
  const how = options.signature;
  const bytes = how ? mutate(sig, how, key.alg) : sig;
  const encoded = bytes.toString('base64url');
  return `${input}.${how === 'non-canonical-b64' ? nonCanonical(encoded) : encoded}`;
}
