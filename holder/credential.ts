import { decodeCompact, type DecodedJws } from '../core/jose/decode.js';
import { InputTooDeepError } from '../core/encoding/json.js';
import { isNetcredError } from '../core/errors.js';
import type { SdHashAlg } from '../core/sd-jwt/hash.js';
import type { ClaimNode, ClaimPath } from '../core/sd-jwt/claim-tree.js';
import { DisclosureError, processDisclosures } from '../core/sd-jwt/disclosures.js';
import { parseSdJwt, type ParsedSdJwt } from '../core/sd-jwt/parse.js';
import { CREDENTIAL_FORMATS, isCredentialFormat, MAX_CREDENTIAL_BYTES, type CredentialFormat } from '../core/vc/formats.js';
import { WalletError } from './errors.js';

/** Upper bound on a credential the wallet stores or presents. */
export { MAX_CREDENTIAL_BYTES };

/** The credential's claims with every disclosure applied, as the presentation planner walks them. */
export type UnpackedSdJwt = {
  /** Which disclosure revealed each claim. */
  root: ClaimNode;
  /** The disclosed claim set (root.value), for display and matching. */
  claims: Record<string, unknown>;
  /** The claim path of each disclosure, by index. */
  paths: (ClaimPath | undefined)[];
};

/** A credential the wallet decoded: the SD-JWT, its parts, the issuer JWS, format, `_sd_alg` and the unpacked claims. */
export type DecodedCredential = {
  sdJwt: string;
  parsed: ParsedSdJwt;
  jws: DecodedJws<Record<string, unknown>>;
  format: CredentialFormat;
  hashAlg: SdHashAlg;
  unpacked: UnpackedSdJwt;
};

/** Parses an SD-JWT credential and applies its disclosures; no signature check (see importCredential). */
export function decodeCredential(sdJwt: string): DecodedCredential {
  if (typeof sdJwt !== 'string') throw new WalletError('CREDENTIAL_INVALID', 'credential must be a string');
  const text = sdJwt.trim();
  if (text.length > MAX_CREDENTIAL_BYTES) throw new WalletError('INPUT_TOO_LARGE', `credential exceeds ${MAX_CREDENTIAL_BYTES} bytes`);
  let parsed: ParsedSdJwt;
  let jws: DecodedJws<Record<string, unknown>>;
  try {
    parsed = parseSdJwt(text);
    jws = decodeCompact(parsed.jwt);
  } catch (cause) {
    if (cause instanceof InputTooDeepError) throw cause;
    if (isNetcredError(cause)) throw new WalletError('CREDENTIAL_INVALID', `not an SD-JWT: ${cause.message}`, { cause });
    throw cause;
  }
  const typ = jws.header.typ;
  if (!isCredentialFormat(typ)) throw new WalletError('CREDENTIAL_TYP_INVALID', `typ ${String(typ)} is not ${CREDENTIAL_FORMATS.join(' or ')}`);
  let processed: ReturnType<typeof processDisclosures>;
  try {
    // The verifier's own rules: a wallet never stores what a verifier would reject.
    processed = processDisclosures(jws.payload, parsed.disclosures, { tree: true });
  } catch (cause) {
    if (!(cause instanceof DisclosureError)) throw cause;
    throw new WalletError('CREDENTIAL_INVALID', cause.message, { cause, details: [{ path: cause.code, message: cause.message }] });
  }
  const unpacked: UnpackedSdJwt = { root: processed.root!, claims: processed.claims, paths: processed.paths! };
  const alg = processed.sdAlg;
  return { sdJwt: text, parsed, jws, format: typ, hashAlg: alg, unpacked };
}
