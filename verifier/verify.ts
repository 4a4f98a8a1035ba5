import { jwkThumbprint } from '../core/jose/jwk.js';
import type { JwsAlg } from '../core/jose/alg.js';
import type { ProfileName } from '../schemas/profiles/index.js';
import { toVerificationError, VerificationError } from './errors.js';
import { checkProfileClaims } from './policy/profile.js';
import { checkTypeMetadata } from './policy/type-metadata-check.js';
import { NonceStore } from './replay/nonce-store.js';
import { ReplayCache, replayKey } from './replay/replay-cache.js';
import type { VerificationResult } from './result.js';
import { decodeQrTransport, isQrTransport } from '../core/qr/transport.js';
import { DEFAULT_MAX_PRESENTATION_BYTES, verifySdJwt, type DecodedIssuerJwt, type VerifiedSdJwt } from '../core/sd-jwt/verify.js';
import { CREDENTIAL_FORMATS, SD_JWT_VC_TYP, W3C_SD_JWT_TYP } from '../core/vc/formats.js';
import { sdJwtVcType } from '../core/vc/sd-jwt-vc.js';
import { checkJwtValidity, checkValidityPeriod } from '../core/vc/validity.js';
import { checkVcdm2, issuerIdOf } from '../core/vc/vcdm2.js';
import { checkStatus } from './status/check-status.js';
import { trustedVct, trustedW3cType } from './trust/credential-type.js';
import type { StoreIssuer, TrustStore } from './trust/store.js';

export const DEFAULTS = {
  clockSkewSeconds: 60,
  /** A KB-JWT older than this is stale: the QR proof is meant to be seconds old. */
  kbMaxAgeSeconds: 300,
  /** A status list is used offline up to a week after it was fetched, even past its ttl. */
  maxStatusAgeSeconds: 7 * 24 * 3600,
} as const;

/** Verifier-wide settings (a kiosk's configuration). */
export type VerifierOptions = {
  trust: TrustStore;
  algorithms?: readonly JwsAlg[];
  clockSkewSeconds?: number;
  maxPresentationBytes?: number;
  /** Key binding required (default true); the policy never depends on whether a KB-JWT was sent. */
  requireKeyBinding?: boolean;
  /** Default expected KB-JWT `aud` (this verifier's identifier). Unset: any audience, reported in the result. */
  aud?: string | readonly string[];
  kbMaxAgeSeconds?: number;
  maxStatusAgeSeconds?: number;
  /** Reject credentials with no status reference (default true). */
  requireStatus?: boolean;
  /** Types accepted (default both). */
  formats?: readonly string[];
  /** Issued nonces (the `upgraded` profile consumes one). */
  nonceStore?: NonceStore;
  /** Accepted KB-JWTs, for KB_JWT_REPLAYED. */
  replayCache?: ReplayCache;
};

/** Per-presentation request. */
export type VerifyRequest = {
  profile?: ProfileName;
  /** The nonce this verifier chose for this presentation (checked against the KB-JWT). */
  nonce?: string;
  aud?: string | readonly string[];
  now?: Date | number;
  kbMaxAgeSeconds?: number;
};

/** The verification time in seconds (an invalid one is MALFORMED, as the SD-JWT core says). */
function verificationSeconds(now: Date | number | undefined): number {
  const ms = now === undefined ? Date.now() : typeof now === 'number' ? now : now.getTime();
  if (!Number.isFinite(ms)) throw new VerificationError('MALFORMED', 'the verification time is not a valid date');
  return Math.floor(ms / 1000);
}

function issuerOf(jwt: DecodedIssuerJwt): unknown {
  const p = jwt.payload;
  if (jwt.header.typ === W3C_SD_JWT_TYP && p.iss === undefined) return issuerIdOf(p.issuer);
  return p.iss;
}

type Partial = { issuer: string | null; vct: string | null; format: string | null };

function rejected(err: unknown, partial: Partial, profile: ProfileName | null): VerificationResult {
  const e = toVerificationError(err);
  return {
    valid: false,
    code: e.code,
    message: e.message,
    ...partial,
    claims: {},
    holderKey: null,
    status: { value: null, listAge: null },
    profile,
    keyBinding: null,
  };
}

/**
 * The full offline pipeline: RFC 9901 core (signature with the trusted issuer key, disclosures,
 * key binding), SD-JWT VC or W3C checks, validity times, status from the cached lists, type
 * metadata and schema, profile, replay. Synchronous, never opens a connection, never throws:
 * every failure is a result with `valid: false` and a stable code.
 */
export function verifyPresentation(presentation: string, options: VerifierOptions & VerifyRequest): VerificationResult {
  const partial: Partial = { issuer: null, vct: null, format: null };
  const profile = options.profile ?? null;
  try {
    const { trust } = options;
    const skew = options.clockSkewSeconds ?? DEFAULTS.clockSkewSeconds;
    const maxAge = options.kbMaxAgeSeconds ?? DEFAULTS.kbMaxAgeSeconds;
    const formats: readonly string[] = options.formats ?? CREDENTIAL_FORMATS;
    if (profile !== null && profile !== 'lite' && profile !== 'upgraded') throw new VerificationError('MALFORMED', `unknown profile ${String(profile)}`);
    if (profile === 'upgraded' && options.requireKeyBinding === false) {
      throw new VerificationError('PROFILE_NOT_SATISFIED', 'the upgraded profile needs key binding');
    }
    // The wallet's one-way QR form (NC1:...) carries the same SD-JWT+KB, losslessly packed.
    const text = typeof presentation === 'string' && isQrTransport(presentation) ? decodeQrTransport(presentation.trim(), { maxBytes: options.maxPresentationBytes ?? DEFAULT_MAX_PRESENTATION_BYTES }) : presentation;
    let issuerId = '';
    let trusted: StoreIssuer | undefined;
    const sd: VerifiedSdJwt = verifySdJwt(text, {
      // x5c, else JWT VC Issuer Metadata, else DID (core/vc/issuer-key.ts), from the bundle only.
      issuerKey: (jwt) => {
        const iss = issuerOf(jwt);
        const resolved = trust.issuerKey(iss, jwt.header, verificationSeconds(options.now));
        issuerId = iss as string;
        trusted = resolved.issuer;
        return resolved.key;
      },
      algorithms: options.algorithms,
      maxBytes: options.maxPresentationBytes,
      now: options.now,
      clockSkewSeconds: skew,
      keyBinding: {
        required: options.requireKeyBinding ?? true,
        aud: options.aud,
        nonce: options.nonce,
        maxAgeSeconds: maxAge,
      },
    });
    partial.issuer = issuerId;
    const typ = sd.header.typ;
    if (typeof typ !== 'string' || !formats.includes(typ)) throw new VerificationError('TYP_INVALID', `typ ${String(typ)} is not one of ${formats.join(', ')}`);
    partial.format = typ;
    const issuer = trusted!;
    const { claims, payload, now } = sd;

    let vct: string;
    if (typ === SD_JWT_VC_TYP) {
      vct = trustedVct(sdJwtVcType(claims), issuer);
    } else {
      checkVcdm2(payload, claims);
      vct = trustedW3cType(claims, issuer);
    }
    partial.vct = vct;

    // Validity before status: an expired credential stays invalid whatever its list says.
    checkJwtValidity(payload, now, skew);
    if (typ === W3C_SD_JWT_TYP) checkValidityPeriod(payload, now, skew);
    if ((options.requireKeyBinding ?? true) && !sd.holderJwk) throw new VerificationError('KB_JWT_INVALID', 'the credential has no cnf.jwk to bind it to a holder');

    const status = checkStatus(payload, issuerId, trust, now, {
      maxStatusAgeSeconds: options.maxStatusAgeSeconds ?? DEFAULTS.maxStatusAgeSeconds,
      requireStatus: options.requireStatus ?? true,
    });

    // The type's claims: the credential itself, or (W3C) its subject without the holder `id`.
    const w3c = typ === W3C_SD_JWT_TYP;
    const subjectClaims = w3c ? withoutId(claims.credentialSubject) : claims;
    const meta = trust.typeMetadata(vct);
    if (meta) checkTypeMetadata(meta, w3c ? withoutId(payload.credentialSubject) : payload, subjectClaims);

    const kb = sd.kbJwt?.payload;
    if (profile !== null) {
      checkProfileClaims(profile, subjectClaims);
      if (profile === 'upgraded') {
        if (!kb) throw new VerificationError('PROFILE_NOT_SATISFIED', 'the upgraded profile needs a key-binding proof');
        const issued = options.nonceStore ? options.nonceStore.consume(kb.nonce) : options.nonce !== undefined;
        if (!issued) throw new VerificationError('PROFILE_NOT_SATISFIED', 'the upgraded profile needs a nonce this verifier issued');
      }
    }

    if (kb && sd.holderJwk && options.replayCache) {
      const key = replayKey(jwkThumbprint(sd.holderJwk), kb.nonce, kb.iat);
      if (!options.replayCache.remember(key, kb.iat + maxAge + skew, now)) {
        throw new VerificationError('KB_JWT_REPLAYED', 'this key-binding proof was already used');
      }
    }

    return {
      valid: true,
      issuer: issuerId,
      vct,
      format: typ,
      claims,
      holderKey: sd.holderJwk ?? null,
      status: status.pastTtl ? { value: status.value, listAge: status.listAge, pastTtl: true } : { value: status.value, listAge: status.listAge },
      profile,
      keyBinding: kb ? { aud: kb.aud, nonce: kb.nonce, iat: kb.iat } : null,
    };
  } catch (err) {
    return rejected(err, partial, profile);
  }
}

function withoutId(subject: unknown): Record<string, unknown> {
  if (typeof subject !== 'object' || subject === null || Array.isArray(subject)) return {};
  const { id: _id, ...rest } = subject as Record<string, unknown>;
  return rest;
}

export type Verifier = {
  readonly trust: TrustStore;
  readonly nonces: NonceStore;
  readonly replay: ReplayCache;
  verify(presentation: string, request?: VerifyRequest): VerificationResult;
  /** Replaces the trust store (after a sync) without restarting. */
  setTrust(trust: TrustStore): void;
};

/** A long-lived verifier (kiosk, HTTP app): one nonce store and one replay cache across presentations. */
export function createVerifier(options: VerifierOptions): Verifier {
  let current: VerifierOptions = { ...options, nonceStore: options.nonceStore ?? new NonceStore(), replayCache: options.replayCache ?? new ReplayCache() };
  return {
    get trust() {
      return current.trust;
    },
    get nonces() {
      return current.nonceStore!;
    },
    get replay() {
      return current.replayCache!;
    },
    verify: (presentation, request = {}) => verifyPresentation(presentation, { ...current, ...request, aud: request.aud ?? current.aud }),
    setTrust(trust) {
      current = { ...current, trust };
    },
  };
}
