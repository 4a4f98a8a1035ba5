import { decodeCompact, type DecodedJws } from '../core/jose/decode.js';
import { InputTooDeepError } from '../core/encoding/json.js';
import { isNetcredError } from '../core/errors.js';
import type { SdHashAlg } from '../core/sd-jwt/hash.js';
import type { ClaimNode, ClaimPath } from '../core/sd-jwt/claim-tree.js';
import { DisclosureError, processDisclosures } from '../core/sd-jwt/disclosures.js';
import { parseSdJwt, type ParsedSdJwt } from '../core/sd-jwt/parse.js';
import { WalletError } from './errors.js';

/** Credential formats the wallet accepts: SD-JWT VC (and its pre-2025 typ) and VCDM 2.0 over SD-JWT. */
export const ACCEPTED_TYPS = ['dc+sd-jwt', 'vc+sd-jwt'] as const;
export type CredentialFormat = (typeof ACCEPTED_TYPS)[number];

/** Upper bound on a credential the wallet stores or presents (room for a 64 KiB portrait, base64 twice). */
export const MAX_CREDENTIAL_BYTES = 256 * 1024;

/** The credential's claims with every disclosure applied, as the presentation planner walks them. */
export type UnpackedSdJwt = {
  /** Which disclosure revealed each claim. */
  root: ClaimNode;
  /** The disclosed claim set (root.value), for display and matching. */
  claims: Record<string, unknown>;
  /** The claim path of each disclosure, by index. */
  paths: (ClaimPath | undefined)[];
};

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
  if (typ !== 'dc+sd-jwt' && typ !== 'vc+sd-jwt') throw new WalletError('CREDENTIAL_TYP_INVALID', `typ ${String(typ)} is not dc+sd-jwt or vc+sd-jwt`);
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
