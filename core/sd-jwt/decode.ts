import { decodeCompact } from '../jose/decode.js';
import { parseJsonBounded } from '../encoding/json.js';
import { InputTooLargeError, InvalidInputError } from '../errors.js';
import { parseSdJwt } from './parse.js';
import { processDisclosures, type DisclosureProblem } from './disclosures.js';

/** One disclosure as decodeSdJwt shows it: digest, salt, name, value and whether the payload references it. */
export type DecodedDisclosure = {
  digest: string;
  salt: string;
  /** Absent for an array element. */
  name?: string;
  value: unknown;
  /** Whether a digest in the payload (or in another disclosure) references it. */
  referenced: boolean;
  encoded: string;
};

/** What decodeSdJwt shows of an SD-JWT or JWT, unverified: header, payload, disclosures, KB-JWT, claims. */
export type DecodedSdJwt = {
  /** `sd-jwt` for `<JWT>~...~[KB-JWT]`, `jwt` for a plain compact JWS (e.g. vc+jwt). */
  kind: 'sd-jwt' | 'jwt';
  /** Media type of a `data:` URL input (EnvelopedVerifiableCredential), when there was one. */
  mediaType?: string;
  header: Record<string, unknown>;
  payload: Record<string, unknown>;
  disclosures: DecodedDisclosure[];
  kbJwt?: { header: Record<string, unknown>; payload: Record<string, unknown> };
  /** The payload with every disclosure applied. */
  claims: Record<string, unknown>;
  /** RFC 9901 section 7.1 violations spotted while decoding, with the verifier's codes (nothing is verified here). */
  problems: DisclosureProblem[];
};

/** The largest input decodeSdJwt reads, in bytes (1 MiB); longer input is `INPUT_TOO_LARGE`. */
export const MAX_DECODE_INPUT = 1024 * 1024;

/** Unwraps a `data:<type>,<token>` URL or a VCDM 2.0 EnvelopedVerifiableCredential JSON around a token. */
function unwrap(text: string): { token: string; mediaType?: string } {
  let t = text.trim();
  if (t.startsWith('{')) {
    const obj = parseJsonBounded(t, 'JSON input', (cause) => new InvalidInputError('input looks like JSON but does not parse', undefined, cause), {
      maxBytes: MAX_DECODE_INPUT,
    });
    const id = (obj as { id?: unknown } | null)?.id;
    if (typeof id !== 'string') throw new InvalidInputError('JSON input is not an EnvelopedVerifiableCredential (no string id)');
    t = id;
  }
  if (t.startsWith('data:')) {
    const comma = t.indexOf(',');
    if (comma < 0) throw new InvalidInputError('data: URL has no ","');
    return { token: t.slice(comma + 1).replace(/\s+/g, ''), mediaType: t.slice(5, comma) };
  }
  return { token: t.replace(/\s+/g, '') };
}

/**
 * Decodes an SD-JWT (or SD-JWT+KB, or a plain JWT) for inspection: header, payload, each
 * disclosure with its digest, the KB-JWT, and the claims with disclosures applied. Verifies
 * nothing: signatures and key binding are the verifier's job.
 */
export function decodeSdJwt(input: string): DecodedSdJwt {
  if (typeof input !== 'string') throw new InvalidInputError('input must be a string');
  if (Buffer.byteLength(input, 'utf8') > MAX_DECODE_INPUT) throw new InputTooLargeError('SD-JWT', MAX_DECODE_INPUT);
  const { token, mediaType } = unwrap(input);
  const withType = <T extends object>(o: T) => (mediaType === undefined ? o : { ...o, mediaType });
  if (!token.includes('~')) {
    const jws = decodeCompact(token);
    return withType({ kind: 'jwt' as const, header: jws.header, payload: jws.payload, disclosures: [], claims: jws.payload, problems: [] });
  }
  const parsed = parseSdJwt(token);
  const jws = decodeCompact(parsed.jwt);
  const processed = processDisclosures(jws.payload, parsed.disclosures, { collect: true });
  const disclosures = parsed.disclosures.map((d, i): DecodedDisclosure => {
    const [digest, referenced] = [processed.digests[i]!, processed.referenced[i]!];
    return d.name === undefined
      ? { digest, salt: d.salt, value: d.value, referenced, encoded: d.encoded }
      : { digest, salt: d.salt, name: d.name, value: d.value, referenced, encoded: d.encoded };
  });
  const out: DecodedSdJwt = { kind: 'sd-jwt', header: jws.header, payload: jws.payload, disclosures, claims: processed.claims, problems: processed.problems };
  if (parsed.kbJwt) {
    const kb = decodeCompact(parsed.kbJwt);
    out.kbJwt = { header: kb.header, payload: kb.payload };
  }
  return withType(out);
}
