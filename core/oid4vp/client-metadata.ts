import { createPublicKey, type JsonWebKey, type KeyObject } from 'node:crypto';
import { isJweEnc, JWE_ALG, JWE_ENCS, type JweEnc } from '../jose/jwe.js';
import { SD_JWT_VC_TYP } from '../vc/formats.js';
import { Oid4vpRuleError } from './errors.js';

/**
 * The parts of a request's `client_metadata` (OpenID4VP 1.0 sections 5.1, 8.3, 11.1 and B.3.5)
 * a wallet must honour: the algorithms the verifier accepts per credential format, and the key
 * and content encryption to use for an encrypted response. The verifier builds the same object
 * with verifierClientMetadata.
 */

/** `sd-jwt_alg_values` / `kb-jwt_alg_values` of one credential format; an absent list accepts any algorithm. */
export type FormatAlgs = { sdJwt?: string[]; kbJwt?: string[] };

/** The verifier lists `vp_formats_supported` without this format: it accepts no credential of it. */
export type VpFormatSupport = { supported: false } | ({ supported: true } & FormatAlgs);

const MAX_ALGS = 32;

function invalid(message: string): Oid4vpRuleError {
  return new Oid4vpRuleError('OID4VP_REQUEST_INVALID', `client_metadata: ${message}`);
}

function isObject(v: unknown): v is Record<string, unknown> {
  return !!v && typeof v === 'object' && !Array.isArray(v);
}

function algList(value: unknown, where: string): string[] | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value) || value.length === 0 || value.length > MAX_ALGS || value.some((a) => typeof a !== 'string' || a.length === 0 || a.length > 64)) {
    throw invalid(`${where} must be a non-empty array of algorithm names`);
  }
  return value as string[];
}

/** What `client_metadata.vp_formats_supported` says about `format` (absent metadata or list: no restriction). */
export function vpFormatSupport(clientMetadata: unknown, format: string): VpFormatSupport {
  if (clientMetadata === undefined) return { supported: true };
  if (!isObject(clientMetadata)) throw invalid('not a JSON object');
  const formats = clientMetadata.vp_formats_supported;
  if (formats === undefined) return { supported: true };
  if (!isObject(formats)) throw invalid('vp_formats_supported must be an object');
  const entry = formats[format];
  if (entry === undefined) return { supported: false };
  if (!isObject(entry)) throw invalid(`vp_formats_supported.${format} must be an object`);
  const sdJwt = algList(entry['sd-jwt_alg_values'], `vp_formats_supported.${format}.sd-jwt_alg_values`);
  const kbJwt = algList(entry['kb-jwt_alg_values'], `vp_formats_supported.${format}.kb-jwt_alg_values`);
  return { supported: true, ...(sdJwt ? { sdJwt } : {}), ...(kbJwt ? { kbJwt } : {}) };
}

/**
 * Whether a list of accepted algorithms takes a JWS signed with `alg`. OpenID4VP 1.0 names
 * fully-specified algorithms there: `Ed25519` is EdDSA with an Ed25519 key (netcred's only
 * EdDSA), so either name accepts it. An absent list accepts anything.
 */
export function algAccepted(list: readonly string[] | undefined, alg: string): boolean {
  if (list === undefined) return true;
  if (list.includes(alg)) return true;
  return alg === 'EdDSA' && list.includes('Ed25519');
}

/** The key and algorithms of an encrypted response (`direct_post.jwt`). */
export type ResponseEncryption = { key: KeyObject; kid: string; alg: typeof JWE_ALG; enc: JweEnc };

const MAX_KEYS = 16;

/**
 * Chooses how to encrypt the response (OpenID4VP 1.0 section 8.3): a key of
 * `client_metadata.jwks` meant for encryption (`use` absent or `enc`), with `alg` ECDH-ES (the
 * JWE alg must be the key's) on P-256, and its `kid` (each key must have one, section 5.1); the
 * first `enc` of `encrypted_response_enc_values_supported` we support (A128GCM when absent).
 */
export function selectResponseEncryption(clientMetadata: unknown): ResponseEncryption {
  if (!isObject(clientMetadata)) throw invalid('an encrypted response needs client_metadata with jwks');
  const jwks = clientMetadata.jwks;
  if (!isObject(jwks) || !Array.isArray(jwks.keys) || jwks.keys.length === 0 || jwks.keys.length > MAX_KEYS) {
    throw invalid(`an encrypted response needs jwks with 1 to ${MAX_KEYS} keys`);
  }
  let chosen: { jwk: Record<string, unknown>; kid: string } | undefined;
  for (const jwk of jwks.keys as unknown[]) {
    if (!isObject(jwk)) throw invalid('jwks.keys holds a member that is not an object');
    if (typeof jwk.kid !== 'string' || jwk.kid.length === 0 || jwk.kid.length > 256) throw invalid('every key of jwks must have a kid');
    if (jwk.d !== undefined) throw invalid(`key ${jwk.kid} of jwks holds a private key`);
    if (jwk.use !== undefined && jwk.use !== 'enc') continue;
    if (jwk.alg === undefined) throw invalid(`key ${jwk.kid} of jwks has no alg (OpenID4VP 1.0 section 8.3 requires it)`);
    if (!chosen && jwk.alg === JWE_ALG && jwk.kty === 'EC' && jwk.crv === 'P-256') chosen = { jwk, kid: jwk.kid };
  }
  if (!chosen)
    throw new Oid4vpRuleError('OID4VP_UNSUPPORTED', `client_metadata.jwks has no ${JWE_ALG} P-256 key for encryption; that is the one this wallet encrypts to`);
  let key: KeyObject;
  try {
    const { kty, crv, x, y } = chosen.jwk;
    key = createPublicKey({ key: { kty, crv, x, y } as JsonWebKey, format: 'jwk' });
  } catch (cause) {
    throw new Oid4vpRuleError('OID4VP_REQUEST_INVALID', `client_metadata: key ${chosen.kid} of jwks is not a valid P-256 public key`, { cause });
  }
  const offered = clientMetadata.encrypted_response_enc_values_supported;
  let enc: JweEnc | undefined;
  if (offered === undefined) enc = 'A128GCM';
  else {
    const list = algList(offered, 'encrypted_response_enc_values_supported')!;
    enc = list.find(isJweEnc);
    if (!enc) throw new Oid4vpRuleError('OID4VP_UNSUPPORTED', `none of the response encryptions ${list.join(', ')} is supported (${JWE_ENCS.join(', ')})`);
  }
  return { key, kid: chosen.kid, alg: JWE_ALG, enc };
}

/** What a verifier advertises: the algorithms it verifies, and, for an encrypted response, its ephemeral key and encs. */
export function verifierClientMetadata(options: {
  algs: readonly string[];
  formats?: readonly string[];
  encryption?: { publicJwk: Record<string, unknown>; encs: readonly JweEnc[] };
}): Record<string, unknown> {
  const algs = [...options.algs];
  const formats = options.formats ?? [SD_JWT_VC_TYP];
  return {
    vp_formats_supported: Object.fromEntries(formats.map((f) => [f, { 'sd-jwt_alg_values': algs, 'kb-jwt_alg_values': algs }])),
    ...(options.encryption ? { jwks: { keys: [options.encryption.publicJwk] }, encrypted_response_enc_values_supported: [...options.encryption.encs] } : {}),
  };
}
