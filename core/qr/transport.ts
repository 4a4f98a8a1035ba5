import { createHash } from 'node:crypto';
import { constants, deflateRawSync, inflateRawSync } from 'node:zlib';
import { NetcredError } from '../errors.js';
import { base45Decode, base45Encode } from './base45.js';
import { QR_DICTIONARY_V1 } from './dictionary.js';
import { ByteReader, ByteWriter } from './varint.js';

/**
 * Lossless compact transport of an SD-JWT(+KB) for one QR code (docs/qr-transport.md):
 *   "NC1:" + base45( deflateRaw( packing, preset dictionary V1 ) )
 * The packing splits the string at "~" (segments) and "." (parts), stores each base64url part
 * as the bytes it encodes, and replaces any SHA-256 digest of another segment (a disclosure's
 * digest in `_sd`) or the KB-JWT's `sd_hash` by a reference the decoder recomputes.
 */
export const QR_PREFIX = 'NC1:';
/** The largest presentation decodeQrTransport rebuilds by default, in bytes (64 KiB). */
export const DEFAULT_MAX_DECODED_BYTES = 64 * 1024;
const MAX_TEXT = 16 * 1024;
const B64U = /^[A-Za-z0-9_-]*$/;

/** A QR transport payload that cannot be decoded: `QR_MALFORMED`, `INPUT_TOO_LARGE` or `INVALID_INPUT`. */
export class QrTransportError extends NetcredError {}

function malformed(why: string): never {
  throw new QrTransportError('QR_MALFORMED', `QR payload is malformed: ${why}`);
}

/** Part kinds: a binary part goes to the raw tail; a JSON part is kept as text pieces; anything else as UTF-8. */
const BLOB = 0;
const TEXT = 1;
const PIECES = 2;
/** Piece kinds inside a JSON part: literal text, a recomputed digest, a base64url run stored as raw bytes in the tail. */
const P_LIT = 0;
const P_REF = 1;
const P_BLOB = 2;

const digestOf = (ascii: string) => createHash('sha256').update(ascii, 'ascii').digest('base64url');

function isCanonicalB64u(s: string): boolean {
  return B64U.test(s) && s.length % 4 !== 1 && Buffer.from(s, 'base64url').toString('base64url') === s;
}

/** Quoted base64url runs this long or longer (salts, digests, key coordinates, nonces) are stored as raw bytes. */
const RUN = /"([A-Za-z0-9_-]{20,})"/g;

/** Digests a part may stand in for: 0 = sd_hash of the text before the last segment, k+1 = digest of segment k. */
function candidatesFor(segments: string[], at: number): Map<string, number> {
  const out = new Map<string, number>();
  segments.forEach((seg, k) => {
    if (k !== at && seg.length > 0) out.set(digestOf(seg), k + 1);
  });
  if (at === segments.length - 1 && at >= 1) out.set(digestOf(`${segments.slice(0, at).join('~')}~`), 0);
  return out;
}

function writePart(w: ByteWriter, tail: ByteWriter, part: string, candidates: Map<string, number>): void {
  if (!isCanonicalB64u(part)) {
    const bytes = Buffer.from(part, 'utf8');
    w.varint(bytes.length * 4 + TEXT);
    w.bytes(bytes);
    return;
  }
  const bytes = Buffer.from(part, 'base64url');
  const first = bytes[0];
  if (first !== 0x7b && first !== 0x5b) {
    w.varint(bytes.length * 4 + BLOB);
    tail.bytes(bytes);
    return;
  }
  // JSON text: positions in the latin1 view are byte offsets, so runs of ASCII can be cut out safely.
  const view = bytes.toString('latin1');
  const pieces: { kind: number; n: number; data?: Buffer }[] = [];
  let pos = 0;
  for (const m of view.matchAll(RUN)) {
    const run = m[1]!;
    const start = m.index! + 1;
    const ref = candidates.get(run);
    if (ref === undefined && !isCanonicalB64u(run)) continue;
    if (start > pos) pieces.push({ kind: P_LIT, n: start - pos, data: bytes.subarray(pos, start) });
    if (ref !== undefined) pieces.push({ kind: P_REF, n: ref });
    else {
      const raw = Buffer.from(run, 'base64url');
      pieces.push({ kind: P_BLOB, n: raw.length, data: raw });
    }
    pos = start + run.length;
  }
  if (pos < bytes.length) pieces.push({ kind: P_LIT, n: bytes.length - pos, data: bytes.subarray(pos) });
  w.varint(pieces.length * 4 + PIECES);
  for (const p of pieces) {
    w.varint(p.n * 4 + p.kind);
    if (p.kind === P_LIT) w.bytes(p.data!);
    else if (p.kind === P_BLOB) tail.bytes(p.data!);
  }
}

function pack(text: string, useRefs: boolean): Buffer {
  const segments = text.split('~');
  const w = new ByteWriter();
  const tail = new ByteWriter();
  w.varint(segments.length);
  segments.forEach((seg, i) => {
    const parts = seg.split('.');
    const candidates = useRefs ? candidatesFor(segments, i) : new Map<string, number>();
    w.varint(parts.length);
    for (const part of parts) writePart(w, tail, part, candidates);
  });
  const raw = w.toBuffer();
  // A decoder inflates at most DEFAULT_MAX_DECODED_BYTES: an input near that size can pack into more.
  if (raw.length > DEFAULT_MAX_DECODED_BYTES)
    throw new QrTransportError(
      'INPUT_TOO_LARGE',
      `the packed presentation would be ${raw.length} bytes, more than the ${DEFAULT_MAX_DECODED_BYTES} a decoder accepts: disclose fewer claims`,
    );
  const structure = deflateRawSync(raw, { level: constants.Z_BEST_COMPRESSION, memLevel: 9, windowBits: 15, dictionary: QR_DICTIONARY_V1 });
  const out = new ByteWriter();
  out.varint(structure.length);
  out.bytes(structure);
  out.bytes(tail.toBuffer());
  return out.toBuffer();
}

/** Encodes an SD-JWT(+KB) (any string, really) as an `NC1:` base45 text for a QR code in alphanumeric mode. */
export function encodeQrTransport(sdJwtKb: string): string {
  if (typeof sdJwtKb !== 'string' || sdJwtKb.length === 0) throw new QrTransportError('INVALID_INPUT', 'nothing to encode');
  if (sdJwtKb.length > DEFAULT_MAX_DECODED_BYTES) throw new QrTransportError('INPUT_TOO_LARGE', `input exceeds ${DEFAULT_MAX_DECODED_BYTES} characters`);
  const withRefs = `${QR_PREFIX}${base45Encode(pack(sdJwtKb, true))}`;
  // References are resolved by hashing on the other side; check the round trip, else do without them.
  try {
    if (decodeQrTransport(withRefs) === sdJwtKb) return withRefs;
  } catch {
    /* fall through */
  }
  const plain = `${QR_PREFIX}${base45Encode(pack(sdJwtKb, false))}`;
  // Too much for one code: the caller's input, not a malformed payload (decoding would say so).
  if (plain.length > MAX_TEXT)
    throw new QrTransportError(
      'INPUT_TOO_LARGE',
      `the QR text would be ${plain.length} characters, more than the ${MAX_TEXT} one QR code carries: disclose fewer claims`,
    );
  if (decodeQrTransport(plain) !== sdJwtKb) throw new QrTransportError('INTERNAL', 'QR transport round trip failed');
  return plain;
}

/** Whether `text` is netcred's compact QR transport (starts with its prefix), not a plain presentation. */
export function isQrTransport(text: unknown): boolean {
  return typeof text === 'string' && text.trimStart().startsWith(QR_PREFIX);
}

type Piece = { lit: Buffer } | { ref: number };
type Part = { kind: typeof BLOB | typeof TEXT; data: Buffer } | { kind: typeof PIECES; pieces: Piece[] };

/**
 * Decodes an `NC1:` text back to the exact original string. Anything else (wrong prefix,
 * base45 errors, bad DEFLATE, a packing that does not parse, dangling or cyclic references,
 * more than `maxBytes` once inflated or rebuilt) is QR_MALFORMED.
 */
export function decodeQrTransport(text: string, options: { maxBytes?: number } = {}): string {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_DECODED_BYTES;
  if (typeof text !== 'string') malformed('not a string');
  const body = text.trim();
  if (!body.startsWith(QR_PREFIX)) malformed(`missing the ${QR_PREFIX} prefix`);
  if (body.length > MAX_TEXT) malformed('too long');
  const packed = base45Decode(body.slice(QR_PREFIX.length));
  if (!packed || packed.length === 0) malformed('not base45');
  const outer = new ByteReader(packed, malformed);
  const structLen = outer.varint();
  const deflated = outer.bytes(structLen);
  const tail = new ByteReader(outer.rest(), malformed);
  let structure: Buffer;
  try {
    structure = inflateRawSync(deflated, { dictionary: QR_DICTIONARY_V1, maxOutputLength: maxBytes });
  } catch {
    malformed('not DEFLATE data, truncated, or larger than the limit');
  }

  const r = new ByteReader(structure, malformed);
  const segCount = r.varint();
  if (segCount < 1 || segCount > structure.length) malformed('bad segment count');
  const segments: Part[][] = [];
  for (let s = 0; s < segCount; s++) {
    const partCount = r.varint();
    if (partCount < 1 || partCount > structure.length) malformed('bad part count');
    const parts: Part[] = [];
    for (let p = 0; p < partCount; p++) {
      const tag = r.varint();
      const kind = tag % 4;
      const n = Math.floor(tag / 4);
      if (kind === BLOB) parts.push({ kind: BLOB, data: tail.bytes(n) });
      else if (kind === TEXT) parts.push({ kind: TEXT, data: r.bytes(n) });
      else if (kind === PIECES) {
        if (n < 1 || n > structure.length) malformed('bad piece count');
        const pieces: Piece[] = [];
        for (let i = 0; i < n; i++) {
          const v = r.varint();
          const pk = v % 4;
          const pn = Math.floor(v / 4);
          if (pk === P_LIT) pieces.push({ lit: r.bytes(pn) });
          else if (pk === P_BLOB) pieces.push({ lit: Buffer.from(tail.bytes(pn).toString('base64url'), 'ascii') });
          else if (pk === P_REF) {
            if (pn > segCount) malformed('reference to a missing segment');
            if (pn === 0 && (s !== segCount - 1 || s === 0)) malformed('sd_hash reference outside the last segment');
            if (pn === s + 1) malformed('self reference');
            pieces.push({ ref: pn });
          } else malformed('unknown piece kind');
        }
        parts.push({ kind: PIECES, pieces });
      } else malformed('unknown part kind');
    }
    segments.push(parts);
  }
  if (!r.done) malformed('trailing bytes in the structure');
  if (!tail.done) malformed('trailing bytes after the binary parts');

  // Rebuild segments on demand: a reference needs the text of the segment it names.
  const texts: (string | undefined)[] = new Array(segCount);
  const building = new Set<number>();
  let total = 0;
  const digests = new Map<number, Buffer>();
  const refDigest = (ref: number): Buffer => {
    let d = digests.get(ref);
    if (!d) {
      const target = ref === 0 ? `${Array.from({ length: segCount - 1 }, (_, k) => segmentText(k)).join('~')}~` : segmentText(ref - 1);
      d = Buffer.from(digestOf(target), 'ascii');
      digests.set(ref, d);
    }
    return d;
  };
  const partText = (part: Part): string => {
    if (part.kind === PIECES) return Buffer.concat(part.pieces.map((pc) => ('lit' in pc ? pc.lit : refDigest(pc.ref)))).toString('base64url');
    if (part.kind === BLOB) return part.data.toString('base64url');
    const t = part.data.toString('utf8');
    if (!Buffer.from(t, 'utf8').equals(part.data) || t.includes('~') || t.includes('.') || isCanonicalB64u(t)) malformed('invalid text part');
    return t;
  };
  const segmentText = (k: number): string => {
    const done = texts[k];
    if (done !== undefined) return done;
    if (building.has(k)) malformed('cyclic references');
    building.add(k);
    const t = segments[k]!.map(partText).join('.');
    building.delete(k);
    total += t.length;
    if (total > maxBytes * 2) malformed('rebuilt text exceeds the limit');
    texts[k] = t;
    return t;
  };
  const out = Array.from({ length: segCount }, (_, k) => segmentText(k)).join('~');
  if (out.length > maxBytes) malformed('rebuilt text exceeds the limit');
  return out;
}
