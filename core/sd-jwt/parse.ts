import { b64uDecode } from '../encoding/base64url.js';
import { parseJsonBounded } from '../encoding/json.js';
import { NetcredError } from '../errors.js';
import { sdDigest, type SdHashAlg } from './hash.js';

/** A disclosure as received: the encoded string is kept, because digests are over it, never over re-serialized JSON. */
export type Disclosure = {
  encoded: string;
  salt: string;
  /** Absent for an array element disclosure. */
  name?: string;
  value: unknown;
};

/** An SD-JWT split into its issuer-signed JWT, its disclosures and its optional KB-JWT (nothing verified). */
export type ParsedSdJwt = {
  /** The issuer-signed JWT. */
  jwt: string;
  disclosures: Disclosure[];
  /** The KB-JWT, when the input ended with one instead of `~`. */
  kbJwt?: string;
  /** `<issuer JWT>~<D1>~...~<Dn>~`: the input of the KB-JWT's sd_hash. */
  sdHashInput: string;
};

/** An SD-JWT whose serialization is malformed: `MALFORMED` or `DISCLOSURE_MALFORMED`. */
export class SdJwtFormatError extends NetcredError {}

const JWT = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;
const B64U = /^[A-Za-z0-9_-]+$/;

/** Decodes one disclosure; throws DISCLOSURE_MALFORMED for anything but a 2- or 3-element array with a string salt (and name). */
export function parseDisclosure(encoded: string): Disclosure {
  if (!B64U.test(encoded)) throw new SdJwtFormatError('DISCLOSURE_MALFORMED', 'disclosure is not base64url');
  const malformed = (cause: unknown) => new SdJwtFormatError('DISCLOSURE_MALFORMED', 'disclosure is not base64url-encoded JSON', { cause });
  let text: string;
  try {
    text = b64uDecode(encoded).toString('utf8');
  } catch (cause) {
    throw malformed(cause);
  }
  const arr = parseJsonBounded(text, 'disclosure', malformed);
  if (!Array.isArray(arr) || (arr.length !== 2 && arr.length !== 3)) {
    throw new SdJwtFormatError('DISCLOSURE_MALFORMED', 'disclosure must be a JSON array of 2 or 3 elements');
  }
  if (typeof arr[0] !== 'string') throw new SdJwtFormatError('DISCLOSURE_MALFORMED', 'disclosure salt must be a string');
  if (arr.length === 2) return { encoded, salt: arr[0], value: arr[1] };
  if (typeof arr[1] !== 'string') throw new SdJwtFormatError('DISCLOSURE_MALFORMED', 'disclosure claim name must be a string');
  return { encoded, salt: arr[0], name: arr[1], value: arr[2] };
}

/** Splits `<JWT>~<D>~...~[KB-JWT]` (RFC 9901 section 4) without verifying anything. */
export function parseSdJwt(input: string): ParsedSdJwt {
  if (typeof input !== 'string') throw new SdJwtFormatError('MALFORMED', 'SD-JWT must be a string');
  const text = input.trim();
  const parts = text.split('~');
  if (parts.length < 2) throw new SdJwtFormatError('MALFORMED', 'not an SD-JWT: no "~" separator');
  const jwt = parts[0]!;
  if (!JWT.test(jwt)) throw new SdJwtFormatError('MALFORMED', 'the issuer-signed JWT is not a compact JWS');
  const last = parts[parts.length - 1]!;
  if (last !== '' && !JWT.test(last)) throw new SdJwtFormatError('MALFORMED', 'the SD-JWT must end with "~" or a KB-JWT');
  const middle = parts.slice(1, -1);
  if (middle.some((d) => d === '')) throw new SdJwtFormatError('MALFORMED', 'empty disclosure between "~" separators');
  const disclosures = middle.map(parseDisclosure);
  const sdHashInput = `${[jwt, ...middle].join('~')}~`;
  return last === '' ? { jwt, disclosures, sdHashInput } : { jwt, disclosures, kbJwt: last, sdHashInput };
}

export function disclosureDigest(d: Disclosure, alg: SdHashAlg = 'sha-256'): string {
  return sdDigest(d.encoded, alg);
}
