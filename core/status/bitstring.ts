import { gunzipSync, gzipSync } from 'node:zlib';
import { b64uDecode, b64uEncode } from '../encoding/base64url.js';
import { InputTooLargeError, NetcredError } from '../errors.js';

/** W3C Bitstring Status List v1.0: a list has at least 131,072 entries (16 KB). */
export const BITSTRING_MIN_ENTRIES = 131072;
/** Default bound on a decompressed bitstring (16 MiB), against zip bombs. */
export const DEFAULT_MAX_BITSTRING_BYTES = 16 * 1024 * 1024;

/**
 * A 1-bit W3C Bitstring Status List. Index 0 is the MOST significant bit of byte 0, the
 * opposite of the IETF list; `encodedList` is multibase `u` + base64url(GZIP(bytes)).
 */
export class Bitstring {
  readonly size: number;
  private readonly bytes: Uint8Array;

  constructor(size: number, data?: Uint8Array) {
    if (!Number.isSafeInteger(size) || size < BITSTRING_MIN_ENTRIES || size % 8 !== 0) {
      throw new NetcredError(
        'STATUS_LIST_INVALID',
        `a bitstring status list needs a multiple of 8 entries, at least ${BITSTRING_MIN_ENTRIES}; got ${String(size)}`,
      );
    }
    if (data !== undefined && data.byteLength !== size / 8) {
      throw new NetcredError('STATUS_LIST_INVALID', `a bitstring of ${size} entries needs ${size / 8} bytes, got ${data.byteLength}`);
    }
    this.size = size;
    this.bytes = data ?? new Uint8Array(size / 8);
  }

  get data(): Uint8Array {
    return this.bytes;
  }

  private locate(i: number): { byte: number; mask: number } {
    if (!Number.isSafeInteger(i) || i < 0 || i >= this.size) {
      throw new NetcredError('STATUS_INDEX_OUT_OF_RANGE', `status index ${String(i)} is outside the bitstring (size ${this.size})`);
    }
    return { byte: i >> 3, mask: 0x80 >> (i & 7) };
  }

  get(i: number): boolean {
    const { byte, mask } = this.locate(i);
    return (this.bytes[byte]! & mask) !== 0;
  }

  set(i: number, v: boolean): void {
    const { byte, mask } = this.locate(i);
    this.bytes[byte] = v ? this.bytes[byte]! | mask : this.bytes[byte]! & ~mask;
  }

  /** GZIP at zlib's default level 6 (level 9 is far slower on sparse lists, see StatusList.encode). */
  encode(options: { level?: number } = {}): string {
    return `u${b64uEncode(gzipSync(this.bytes, { level: options.level ?? 6 }))}`;
  }

  static decode(encodedList: string, options: { maxBytes?: number } = {}): Bitstring {
    if (typeof encodedList !== 'string' || !encodedList.startsWith('u')) {
      throw new NetcredError('STATUS_LIST_INVALID', 'encodedList must be multibase base64url (prefix u)');
    }
    const maxBytes = options.maxBytes ?? DEFAULT_MAX_BITSTRING_BYTES;
    let compressed: Buffer;
    try {
      compressed = b64uDecode(encodedList.slice(1), 'encodedList');
    } catch (cause) {
      throw new NetcredError('STATUS_LIST_INVALID', 'encodedList is not base64url', { cause });
    }
    let bytes: Buffer;
    try {
      bytes = gunzipSync(compressed, { maxOutputLength: maxBytes });
    } catch (cause) {
      if ((cause as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') throw new InputTooLargeError('decompressed bitstring', maxBytes);
      throw new NetcredError('STATUS_LIST_INVALID', 'encodedList is not GZIP data', { cause });
    }
    const size = bytes.byteLength * 8;
    if (size < BITSTRING_MIN_ENTRIES) throw new NetcredError('STATUS_LIST_INVALID', `bitstring has ${size} entries, fewer than ${BITSTRING_MIN_ENTRIES}`);
    return new Bitstring(size, new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  }
}
