import type { KeyObject } from 'node:crypto';
import { SUPPORTED_ALGS, type JwsAlg } from '../jose/alg.js';
import { decodeCompact, type DecodedJws } from '../jose/decode.js';
import { assertPublicJwk, type PublicJwk } from '../jose/jwk.js';
import { verifyDecoded } from '../jose/verify.js';
import type { SdHashAlg } from './hash.js';
import { processDisclosures } from './disclosures.js';
import { parseSdJwt, type Disclosure } from './parse.js';
import { toVerificationError, VerificationError } from '../verification-errors.js';
import { compactFromJson } from './json-serialization.js';
import { holderKeyObject } from './holder-key.js';
import { verifyKeyBinding, type KbJwtPayload } from './key-binding.js';

/** Default bound on a presentation, checked before any parsing. */
export const DEFAULT_MAX_PRESENTATION_BYTES = 64 * 1024;

export type JwtPayload = Record<string, unknown>;
export type DecodedIssuerJwt = DecodedJws<JwtPayload>;

/** Picks the issuer key once the issuer JWT is decoded (not yet verified): by `iss` and `kid`. */
export type IssuerKeyResolver = (jwt: DecodedIssuerJwt) => KeyObject;

/** What a KB-JWT must satisfy: whether one is required, its `aud`, `nonce` and maximum age. */
export type KeyBindingPolicy = {
  /** Key binding required (default true). Decided by policy, never by whether a KB-JWT was sent. */
  required?: boolean;
  aud?: string | readonly string[];
  nonce?: string;
  /** How old a KB-JWT may be, in seconds (default 300). */
  maxAgeSeconds?: number;
};

/**
 * How verifySdJwt checks a presentation: the issuer key (or a resolver), algorithms, size bound,
 * key binding policy, time and clock skew.
 */
export type VerifySdJwtOptions = {
  issuerKey: KeyObject | IssuerKeyResolver;
  /** JWS algorithms accepted for the issuer JWT and the KB-JWT (default EdDSA, ES256). */
  algorithms?: readonly JwsAlg[];
  /** `_sd_alg` values accepted (default sha-256, sha-384, sha-512). */
  sdAlgs?: readonly SdHashAlg[];
  maxBytes?: number;
  keyBinding?: KeyBindingPolicy;
  /** The verification time (default: the clock). A number is milliseconds since the epoch. */
  now?: Date | number;
  /** Allowed clock difference, in seconds (default 60). */
  clockSkewSeconds?: number;
};

/** A verified SD-JWT: its header and payload as signed, the processed claims, the disclosures and the KB-JWT. */
export type VerifiedSdJwt = {
  header: DecodedIssuerJwt['header'];
  /** The issuer-signed payload as signed (with `_sd`). */
  payload: JwtPayload;
  /** The processed claims: disclosed values in place, `_sd` and `_sd_alg` removed. */
  claims: JwtPayload;
  disclosures: Disclosure[];
  sdAlg: SdHashAlg;
  /** `cnf.jwk` when the credential has one. */
  holderJwk?: PublicJwk;
  /** The verified KB-JWT, when one was sent. */
  kbJwt?: DecodedJws<KbJwtPayload>;
  /** The verification time used, in seconds since the epoch. */
  now: number;
};

function canonicalSignature(jws: string): boolean {
  const sig = jws.slice(jws.lastIndexOf('.') + 1);
  return Buffer.from(sig, 'base64url').toString('base64url') === sig;
}

function isPublicJwk(value: unknown): value is PublicJwk {
  try {
    assertPublicJwk(value);
    return true;
  } catch {
    return false;
  }
}

function nowSeconds(now: Date | number | undefined): number {
  const ms = now === undefined ? Date.now() : typeof now === 'number' ? now : now.getTime();
  if (!Number.isFinite(ms)) throw new VerificationError('MALFORMED', 'the verification time is not a valid date');
  return Math.floor(ms / 1000);
}

/** UTF-8 size, without encoding a huge string: it is never smaller than the UTF-16 length. */
function tooLarge(input: string, maxBytes: number): boolean {
  return input.length > maxBytes || Buffer.byteLength(input, 'utf8') > maxBytes;
}

/**
 * The RFC 9901 core every role verifies with (any `typ`; the issuer key comes from the role's
 * trust policy): size bound, parsing, issuer signature, `_sd_alg`, every disclosure rule of
 * section 7.1 and key binding (section 7.3). Claims such as `exp` or `vct` are left to the
 * credential format (core/vc). Throws only VerificationError
 * (anything else, even a bug, becomes MALFORMED with its cause kept).
 */
export function verifySdJwt(presentation: string, options: VerifySdJwtOptions): VerifiedSdJwt {
  try {
    return verifyUnwrapped(presentation, options);
  } catch (err) {
    throw toVerificationError(err);
  }
}

function verifyUnwrapped(presentation: string, options: VerifySdJwtOptions): VerifiedSdJwt {
  if (typeof presentation !== 'string') throw new VerificationError('MALFORMED', 'the presentation must be a string');
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_PRESENTATION_BYTES;
  if (tooLarge(presentation, maxBytes)) throw new VerificationError('INPUT_TOO_LARGE', `the presentation exceeds ${maxBytes} bytes`);
  const text = presentation.trim();
  const parsed = parseSdJwt(text.startsWith('{') || text.startsWith('"') ? compactFromJson(text) : text);

  const jwt = decodeCompact<JwtPayload>(parsed.jwt);
  // A signature's last base64url character carries unused bits: only the canonical form is
  // accepted, so no two different strings verify as the same proof.
  if (!canonicalSignature(parsed.jwt)) throw new VerificationError('SIGNATURE_INVALID', 'the issuer signature is not canonical base64url');
  const algorithms = options.algorithms ?? SUPPORTED_ALGS;
  if (!algorithms.includes(jwt.header.alg as JwsAlg)) throw new VerificationError('ALG_NOT_ALLOWED', `issuer JWT alg ${String(jwt.header.alg)} is not allowed`);
  if (jwt.header.crit !== undefined) throw new VerificationError('MALFORMED', 'issuer JWT has critical header parameters we do not understand');
  const key = typeof options.issuerKey === 'function' ? options.issuerKey(jwt) : options.issuerKey;
  try {
    verifyDecoded(jwt, key, { algorithms });
  } catch (cause) {
    throw new VerificationError('SIGNATURE_INVALID', 'the issuer signature does not verify', { cause });
  }

  const payload = jwt.payload;
  // `_sd_alg` and every disclosure rule of section 7.1; throws the first violation with its verdict code.
  const { claims, sdAlg } = processDisclosures(payload, parsed.disclosures, { sdAlgs: options.sdAlgs });
  const now = nowSeconds(options.now);
  const skew = options.clockSkewSeconds ?? 60;

  // cnf.jwk is only checked when key binding is used: a credential with an unsupported
  // cnf key (e.g. RSA) still verifies as a plain SD-JWT.
  const cnf = payload.cnf as { jwk?: unknown } | undefined;
  const cnfJwk = cnf !== null && typeof cnf === 'object' ? cnf.jwk : undefined;
  const holderJwk = isPublicJwk(cnfJwk) ? cnfJwk : undefined;

  const policy = options.keyBinding ?? {};
  const required = policy.required ?? true;
  if (required && parsed.kbJwt === undefined) throw new VerificationError('KB_JWT_MISSING', 'key binding is required but no KB-JWT was presented');
  let kbJwt: DecodedJws<KbJwtPayload> | undefined;
  // A KB-JWT that is sent is always checked, even when the policy does not require one:
  // accepting a presentation with a forged or replayed proof attached is never right.
  if (parsed.kbJwt !== undefined) {
    if (!holderJwk) throw new VerificationError('KB_JWT_INVALID', 'a KB-JWT was presented but the credential has no supported cnf.jwk');
    if (!canonicalSignature(parsed.kbJwt)) throw new VerificationError('KB_JWT_INVALID', 'the KB-JWT signature is not canonical base64url');
    kbJwt = verifyKeyBinding(parsed.kbJwt, {
      holderKey: holderKeyObject(holderJwk),
      sdHashInput: parsed.sdHashInput,
      sdAlg,
      algorithms,
      aud: policy.aud,
      nonce: policy.nonce,
      now,
      maxAgeSeconds: policy.maxAgeSeconds ?? 300,
      clockSkewSeconds: skew,
    });
  }
  return { header: jwt.header, payload, claims, disclosures: parsed.disclosures, sdAlg, holderJwk, kbJwt, now };
}
