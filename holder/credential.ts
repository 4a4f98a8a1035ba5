import { decodeCompact, type DecodedJws } from '../core/jose/decode.js';
import { isNetcredError } from '../core/errors.js';
import { isSdHashAlg, type SdHashAlg } from '../core/sd-jwt/hash.js';
import { parseSdJwt, type ParsedSdJwt } from '../core/sd-jwt/parse.js';
import { WalletError } from './errors.js';
import { unpackSdJwt, type UnpackedSdJwt } from './sd-jwt/unpack.js';

/** Credential formats the wallet accepts: SD-JWT VC (and its pre-2025 typ) and VCDM 2.0 over SD-JWT. */
export const ACCEPTED_TYPS = ['dc+sd-jwt', 'vc+sd-jwt'] as const;
export type CredentialFormat = (typeof ACCEPTED_TYPS)[number];

/** Upper bound on a credential the wallet stores or presents (room for a 64 KiB portrait, base64 twice). */
export const MAX_CREDENTIAL_BYTES = 256 * 1024;

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
    if (isNetcredError(cause)) throw new WalletError('CREDENTIAL_INVALID', `not an SD-JWT: ${cause.message}`, { cause });
    throw cause;
  }
  const typ = jws.header.typ;
  if (typ !== 'dc+sd-jwt' && typ !== 'vc+sd-jwt') throw new WalletError('CREDENTIAL_TYP_INVALID', `typ ${String(typ)} is not dc+sd-jwt or vc+sd-jwt`);
  const alg = jws.payload._sd_alg ?? 'sha-256';
  if (!isSdHashAlg(alg)) throw new WalletError('CREDENTIAL_INVALID', `unsupported _sd_alg ${String(alg)}`);
  const unpacked = unpackSdJwt(jws.payload, parsed.disclosures, alg);
  return { sdJwt: text, parsed, jws, format: typ, hashAlg: alg, unpacked };
}
