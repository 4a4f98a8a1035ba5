import { InvalidInputError } from '../errors.js';
import { parseJsonBounded } from './json.js';

const B64URL = /^[A-Za-z0-9_-]*$/;

/** Base64url without padding of bytes, or of a string's UTF-8. */
export function b64uEncode(input: Uint8Array | string): string {
  return (typeof input === 'string' ? Buffer.from(input, 'utf8') : Buffer.from(input.buffer, input.byteOffset, input.byteLength)).toString('base64url');
}

/** Strict decode: Buffer.from silently skips bad characters, so check the alphabet first. */
export function b64uDecode(input: string, what = 'base64url value'): Buffer {
  if (typeof input !== 'string' || !B64URL.test(input) || input.length % 4 === 1) {
    throw new InvalidInputError(`${what} is not valid base64url`);
  }
  return Buffer.from(input, 'base64url');
}

export function b64uDecodeJson<T = unknown>(input: string, what = 'base64url JSON'): T {
  const text = b64uDecode(input, what).toString('utf8');
  return parseJsonBounded(text, what, (cause) => new InvalidInputError(`${what} is not valid JSON`, undefined, cause)) as T;
}
