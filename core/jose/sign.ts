import { b64uEncode } from '../encoding/base64url.js';
import type { JwsSigner } from './signer.js';

/** A JWS protected header: `alg` and the optional `typ` and `kid`, plus any other member. */
export type JwsHeader = { alg: string; typ?: string; kid?: string; [k: string]: unknown };

// An issuer signs thousands of tokens with the same few headers: their encoding is kept per
// signer, keyed by the header's JSON (bounded, so odd headers cannot grow it without limit).
const MAX_HEADERS_PER_SIGNER = 16;
const encodedHeaders = new WeakMap<JwsSigner, Map<string, string>>();

// A frozen header (e.g. a module constant) cannot change: its encoding is also kept by identity,
// which skips building and stringifying the full header on every token.
const frozenHeaders = new WeakMap<JwsSigner, WeakMap<object, string>>();

function encodedHeader(header: Omit<JwsHeader, 'alg'>, signer: JwsSigner): string {
  const frozen = Object.isFrozen(header);
  if (frozen) {
    const hit = frozenHeaders.get(signer)?.get(header);
    if (hit !== undefined) return hit;
  }
  const encoded = encodeHeader(header, signer);
  if (frozen) {
    let known = frozenHeaders.get(signer);
    if (!known) frozenHeaders.set(signer, (known = new WeakMap()));
    known.set(header, encoded);
  }
  return encoded;
}

function encodeHeader(header: Omit<JwsHeader, 'alg'>, signer: JwsSigner): string {
  const fullHeader: JwsHeader = { alg: signer.alg, ...header };
  fullHeader.alg = signer.alg;
  if (fullHeader.kid === undefined && signer.kid !== undefined) fullHeader.kid = signer.kid;
  if (fullHeader.x5c === undefined && signer.x5c !== undefined) fullHeader.x5c = [...signer.x5c];
  const json = JSON.stringify(fullHeader);
  let cache = encodedHeaders.get(signer);
  if (!cache) encodedHeaders.set(signer, (cache = new Map()));
  let encoded = cache.get(json);
  if (encoded === undefined) {
    encoded = b64uEncode(json);
    if (cache.size < MAX_HEADERS_PER_SIGNER) cache.set(json, encoded);
  }
  return encoded;
}

// UTF-8 of the payload JSON is written here rather than into a new Buffer per token (GC churn).
let scratch = Buffer.allocUnsafe(16 * 1024);

function encodedJson(value: object): string {
  const json = JSON.stringify(value);
  // Each UTF-16 unit takes at most 3 UTF-8 bytes.
  if (json.length * 3 > scratch.length) scratch = Buffer.allocUnsafe(json.length * 3);
  const n = scratch.write(json, 0, 'utf8');
  return scratch.toString('base64url', 0, n);
}

/**
 * Signs a compact JWS. The header's `alg` (and `kid` and `x5c`, unless given) come from the signer,
 * so a caller can never label a signature with an algorithm it was not made with.
 */
export async function signCompact(header: Omit<JwsHeader, 'alg'>, payload: object | Uint8Array, signer: JwsSigner): Promise<string> {
  const body = payload instanceof Uint8Array ? b64uEncode(payload) : encodedJson(payload);
  const signingInput = `${encodedHeader(header, signer)}.${body}`;
  const signature = await signer.sign(Buffer.from(signingInput, 'latin1'));
  return `${signingInput}.${b64uEncode(signature)}`;
}
