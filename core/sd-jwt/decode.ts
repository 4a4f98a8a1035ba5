import { decodeCompact } from '../jose/decode.js';
import { InputTooLargeError, InvalidInputError } from '../errors.js';
import { isSdHashAlg, type SdHashAlg } from './hash.js';
import { SdJwtFormatError, disclosureDigest, parseSdJwt } from './parse.js';
import { unpackSdJwt } from './unpack.js';

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
  /** RFC 9901 violations spotted while decoding (nothing is verified here). */
  problems: { code: string; message: string }[];
};

export const MAX_DECODE_INPUT = 1024 * 1024;

/** Unwraps a `data:<type>,<token>` URL or a VCDM 2.0 EnvelopedVerifiableCredential JSON around a token. */
function unwrap(text: string): { token: string; mediaType?: string } {
  let t = text.trim();
  if (t.startsWith('{')) {
    let obj: unknown;
    try {
      obj = JSON.parse(t);
    } catch (cause) {
      throw new InvalidInputError('input looks like JSON but does not parse', undefined, cause);
    }
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
  const sdAlg = jws.payload._sd_alg ?? 'sha-256';
  if (!isSdHashAlg(sdAlg)) throw new SdJwtFormatError('SD_ALG_UNSUPPORTED', `_sd_alg ${String(sdAlg)} is not supported`);
  const alg: SdHashAlg = sdAlg;
  const unpacked = unpackSdJwt(jws.payload, parsed.disclosures, alg);
  const disclosures = parsed.disclosures.map((d) => {
    const digest = disclosureDigest(d, alg);
    const base = { digest, salt: d.salt, value: d.value, referenced: unpacked.referenced.has(digest), encoded: d.encoded };
    return d.name === undefined ? base : { digest, salt: d.salt, name: d.name, value: d.value, referenced: base.referenced, encoded: d.encoded };
  });
  const out: DecodedSdJwt = { kind: 'sd-jwt', header: jws.header, payload: jws.payload, disclosures, claims: unpacked.claims, problems: unpacked.problems };
  if (parsed.kbJwt) {
    const kb = decodeCompact(parsed.kbJwt);
    out.kbJwt = { header: kb.header, payload: kb.payload };
  }
  return withType(out);
}
