import { b64uDecode } from '../encoding/base64url.js';
import { parseJsonBounded } from '../encoding/json.js';
import { JoseError } from '../errors.js';
import type { JwsHeader } from './sign.js';

/** A compact JWS split and decoded (nothing verified): its header, payload, signing input and signature. */
export type DecodedJws<P = Record<string, unknown>> = {
  header: JwsHeader;
  payload: P;
  signingInput: string;
  signature: Buffer;
  /** The signature as received (base64url), to check it is the one canonical encoding. */
  encodedSignature: string;
};

/** The largest JWTs we read are status list tokens (up to 4 Mi characters); callers bound their whole input. */
const MAX_PART_JSON_BYTES = 4 * 1024 * 1024;

function parseObject(part: string, what: string): Record<string, unknown> {
  const malformed = (cause: unknown) => new JoseError('JWS_MALFORMED', `${what} is not base64url JSON`, { cause });
  let text: string;
  try {
    text = b64uDecode(part, what).toString('utf8');
  } catch (cause) {
    throw malformed(cause);
  }
  // INPUT_TOO_DEEP / INPUT_TOO_LARGE pass through with their own codes.
  const value = parseJsonBounded(text, what, malformed, { maxBytes: MAX_PART_JSON_BYTES });
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw new JoseError('JWS_MALFORMED', `${what} is not a JSON object`);
  return value as Record<string, unknown>;
}

/** Splits and parses a compact JWS without verifying it. */
export function decodeCompact<P = Record<string, unknown>>(jws: string): DecodedJws<P> {
  if (typeof jws !== 'string') throw new JoseError('JWS_MALFORMED', 'JWS must be a string');
  const parts = jws.split('.');
  if (parts.length !== 3) throw new JoseError('JWS_MALFORMED', 'compact JWS must have three parts');
  const [h, p, s] = parts as [string, string, string];
  const header = parseObject(h, 'JWS header');
  if (typeof header.alg !== 'string') throw new JoseError('JWS_MALFORMED', 'JWS header has no alg');
  const payload = parseObject(p, 'JWS payload') as P;
  let signature: Buffer;
  try {
    signature = b64uDecode(s, 'JWS signature');
  } catch (cause) {
    throw new JoseError('JWS_MALFORMED', 'JWS signature is not base64url', { cause });
  }
  return { header: header as JwsHeader, payload, signingInput: `${h}.${p}`, signature, encodedSignature: s };
}
