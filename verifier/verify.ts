import { jwkThumbprint } from '../core/jose/jwk.js';
import type { JwsAlg } from '../core/jose/alg.js';
import type { ProfileName } from '../schemas/profiles/index.js';
import { toVerificationError, VerificationError } from './errors.js';
import { checkProfileClaims } from './policy/profile.js';
import { checkTypeProfile } from './policy/type-profile.js';
import { checkTypeMetadata } from './policy/type-metadata-check.js';
import { NonceStore } from './replay/nonce-store.js';
import { ReplayCache, replayKey } from './replay/replay-cache.js';
import type { NonceStoreLike, ReplayCacheLike } from './replay/stores.js';
import type { VerificationResult } from './result.js';
import { decodeQrTransport, isQrTransport } from '../core/qr/transport.js';
import { DEFAULT_MAX_PRESENTATION_BYTES, verifySdJwt, type DecodedIssuerJwt, type VerifiedSdJwt } from '../core/sd-jwt/verify.js';
import { CREDENTIAL_FORMATS, SD_JWT_VC_TYP, W3C_SD_JWT_TYP } from '../core/vc/formats.js';
import { checkSdJwtVcClearClaims, sdJwtVcType } from '../core/vc/sd-jwt-vc.js';
import { checkJwtValidity, checkValidityPeriod } from '../core/vc/validity.js';
import { checkVcdm2, issuerIdOf } from '../core/vc/vcdm2.js';
import { checkStatus, type StatusOutcome } from './status/check-status.js';
import { trustedVct, trustedW3cType } from './trust/credential-type.js';
import type { StoreIssuer, TrustStore } from './trust/store.js';

/** The verifier's defaults: 60 s clock skew, KB-JWTs at most 5 minutes old, status lists at most 7 days old. */
export const DEFAULTS = {
  clockSkewSeconds: 60,
  /** A KB-JWT older than this is stale: the QR proof is meant to be seconds old. */
  kbMaxAgeSeconds: 300,
  /** A status list is used offline up to a week after it was fetched, even past its ttl. */
  maxStatusAgeSeconds: 7 * 24 * 3600,
} as const;

/** Verifier-wide settings (a kiosk's configuration), stores aside. */
export type VerifierSettings = {
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
  /**
   * Look the credential's status up in the bundle's lists (default true). false: not checked at
   * all (a verifier given a raw issuer key, no lists); the result's `notChecked` says so.
   */
  checkStatus?: boolean;
  /** Types accepted (default both). */
  formats?: readonly string[];
};

/** The options of the synchronous pipeline: its stores, if any, answer at once (in memory). */
export type VerifierOptions = VerifierSettings & {
  /** Issued nonces (the `upgraded` profile consumes one). */
  nonceStore?: Pick<NonceStore, 'consume'>;
  /** Accepted KB-JWTs, for KB_JWT_REPLAYED. */
  replayCache?: Pick<ReplayCache, 'remember'>;
};

/** The options of `createVerifier` and `verifyPresentationAsync`: stores in memory, or shared ones that answer later (verifier/state: Redis). */
export type SharedVerifierOptions = VerifierSettings & {
  nonceStore?: NonceStoreLike;
  replayCache?: ReplayCacheLike;
};

/** Per-presentation request. */
export type VerifyRequest = {
  profile?: ProfileName;
  /**
   * A profile (named DCQL query) of a registered credential type, by name: the one the trust
   * bundle holds for the credential's issuer and vct (`verifier sync` stores them). Not with `profile`.
   */
  typeProfile?: string;
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

function rejected(err: unknown, partial: Partial, profile: string | null): VerificationResult {
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
 * What the stateless checks found, and the two stateful checks still to run, in this order: the
 * nonce to consume (`upgraded`, with a nonce store) and the proof to remember (replay).
 */
type Checked = {
  result: VerificationResult;
  partial: Partial;
  /** The KB-JWT nonce, when the profile needs one this verifier issued. */
  consumeNonce?: string;
  /** The replay key of the KB-JWT and how long it is remembered (seconds since the epoch). */
  remember?: { key: string; until: number; now: number };
};

const nonceRefused = () => new VerificationError('PROFILE_NOT_SATISFIED', 'the upgraded profile needs a nonce this verifier issued');
const replayed = () => new VerificationError('KB_JWT_REPLAYED', 'this key-binding proof was already used');

/**
 * The full offline pipeline: RFC 9901 core (signature with the trusted issuer key, disclosures,
 * key binding), SD-JWT VC or W3C checks, validity times, status from the cached lists, type
 * metadata and schema, profile, replay. Synchronous, never opens a connection, never throws:
 * every failure is a result with `valid: false` and a stable code. Its stores, if any, are
 * in-memory ones; with shared stores use `verifyPresentationAsync` (or `createVerifier`).
 */
export function verifyPresentation(presentation: string, options: VerifierOptions & VerifyRequest): VerificationResult {
  const checked = checkPresentation(presentation, options, options.nonceStore !== undefined, options.replayCache !== undefined);
  if (!('result' in checked)) return checked;
  try {
    if (checked.consumeNonce !== undefined && !options.nonceStore!.consume(checked.consumeNonce)) throw nonceRefused();
    if (checked.remember && !options.replayCache!.remember(checked.remember.key, checked.remember.until, checked.remember.now)) throw replayed();
    return checked.result;
  } catch (err) {
    return rejected(err, checked.partial, options.profile ?? options.typeProfile ?? null);
  }
}

/**
 * The same pipeline with stores that may answer later (Redis, verifier/state): it awaits the
 * nonce and the replay check. A verdict is a result as above; a store that cannot answer
 * (CACHE_UNAVAILABLE) is thrown, never turned into a verdict: a presentation that cannot be
 * checked for replay is neither accepted nor refused, and the caller answers 503.
 */
export async function verifyPresentationAsync(presentation: string, options: SharedVerifierOptions & VerifyRequest): Promise<VerificationResult> {
  const checked = checkPresentation(presentation, options, options.nonceStore !== undefined, options.replayCache !== undefined);
  if (!('result' in checked)) return checked;
  if (checked.consumeNonce !== undefined && !(await options.nonceStore!.consume(checked.consumeNonce)))
    return rejected(nonceRefused(), checked.partial, options.profile ?? options.typeProfile ?? null);
  if (checked.remember && !(await options.replayCache!.remember(checked.remember.key, checked.remember.until, checked.remember.now)))
    return rejected(replayed(), checked.partial, options.profile ?? options.typeProfile ?? null);
  return checked.result;
}

/** Every check that needs no store; a rejection is returned as the final result. */
function checkPresentation(
  presentation: string,
  options: VerifierSettings & VerifyRequest,
  hasNonceStore: boolean,
  hasReplayCache: boolean,
): Checked | VerificationResult {
  const partial: Partial = { issuer: null, vct: null, format: null };
  const profile = options.profile ?? null;
  const typeProfile = options.typeProfile ?? null;
  try {
    const { trust } = options;
    const skew = options.clockSkewSeconds ?? DEFAULTS.clockSkewSeconds;
    const maxAge = options.kbMaxAgeSeconds ?? DEFAULTS.kbMaxAgeSeconds;
    const formats: readonly string[] = options.formats ?? CREDENTIAL_FORMATS;
    if (profile !== null && profile !== 'lite' && profile !== 'upgraded') throw new VerificationError('MALFORMED', `unknown profile ${String(profile)}`);
    if (profile !== null && typeProfile !== null) throw new VerificationError('MALFORMED', 'give a built-in profile or a type profile, not both');
    if (profile === 'upgraded' && options.requireKeyBinding === false) {
      throw new VerificationError('PROFILE_NOT_SATISFIED', 'the upgraded profile needs key binding');
    }
    // The wallet's one-way QR form (NC1:...) carries the same SD-JWT+KB, losslessly packed.
    const text =
      typeof presentation === 'string' && isQrTransport(presentation)
        ? decodeQrTransport(presentation.trim(), { maxBytes: options.maxPresentationBytes ?? DEFAULT_MAX_PRESENTATION_BYTES })
        : presentation;
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
      checkSdJwtVcClearClaims(payload, claims);
      // Read before the trust check: a type the issuer is not trusted for is reported with it.
      partial.vct = sdJwtVcType(claims);
      vct = trustedVct(partial.vct, issuer);
    } else {
      checkVcdm2(payload, claims);
      vct = trustedW3cType(claims, issuer);
    }
    partial.vct = vct;

    // Validity before status: an expired credential stays invalid whatever its list says.
    checkJwtValidity(payload, now, skew);
    if (typ === W3C_SD_JWT_TYP) checkValidityPeriod(payload, now, skew);
    if ((options.requireKeyBinding ?? true) && !sd.holderJwk)
      throw new VerificationError('KB_JWT_INVALID', 'the credential has no cnf.jwk to bind it to a holder');

    const status: StatusOutcome =
      options.checkStatus === false
        ? { value: null, listAge: null }
        : checkStatus(payload, issuerId, trust, now, {
            maxStatusAgeSeconds: options.maxStatusAgeSeconds ?? DEFAULTS.maxStatusAgeSeconds,
            requireStatus: options.requireStatus ?? true,
          });

    // The type's claims: the credential itself, or (W3C) its subject without the holder `id`.
    const w3c = typ === W3C_SD_JWT_TYP;
    const subjectClaims = w3c ? withoutId(claims.credentialSubject) : claims;
    const meta = trust.typeMetadata(vct);
    if (meta) checkTypeMetadata(meta, w3c ? withoutId(payload.credentialSubject) : payload, subjectClaims);

    if (typeProfile !== null) checkTypeProfile(trust, issuerId, vct, subjectClaims, typeProfile);

    const kb = sd.kbJwt?.payload;
    let consumeNonce: string | undefined;
    if (profile !== null) {
      checkProfileClaims(profile, subjectClaims);
      if (profile === 'upgraded') {
        if (!kb) throw new VerificationError('PROFILE_NOT_SATISFIED', 'the upgraded profile needs a key-binding proof');
        if (hasNonceStore) consumeNonce = kb.nonce;
        else if (options.nonce === undefined) throw nonceRefused();
      }
    }
    // Stateful checks run last, once everything else passed: a refused presentation consumes nothing.
    const remember =
      kb && sd.holderJwk && hasReplayCache ? { key: replayKey(jwkThumbprint(sd.holderJwk), kb.nonce, kb.iat), until: kb.iat + maxAge + skew, now } : undefined;

    const result: VerificationResult = {
      valid: true,
      issuer: issuerId,
      vct,
      format: typ,
      claims,
      holderKey: sd.holderJwk ?? null,
      status: status.pastTtl ? { value: status.value, listAge: status.listAge, pastTtl: true } : { value: status.value, listAge: status.listAge },
      profile: profile ?? typeProfile,
      keyBinding: kb ? { aud: kb.aud, nonce: kb.nonce, iat: kb.iat } : null,
    };
    const notChecked = [...(kb ? [] : (['keyBinding'] as const)), ...(options.checkStatus === false ? (['status'] as const) : [])];
    if (notChecked.length > 0) result.notChecked = notChecked;
    return { result, partial, ...(consumeNonce !== undefined ? { consumeNonce } : {}), ...(remember ? { remember } : {}) };
  } catch (err) {
    return rejected(err, partial, profile ?? typeProfile);
  }
}

function withoutId(subject: unknown): Record<string, unknown> {
  if (typeof subject !== 'object' || subject === null || Array.isArray(subject)) return {};
  const { id: _id, ...rest } = subject as Record<string, unknown>;
  return rest;
}

/**
 * A verifier (createVerifier): verify() runs the offline pipeline on a presentation against its trust store,
 * nonces and replay cache; setTrust() swaps the trust store.
 *
 * @example
 * ```ts
 * const verifier = createVerifier({ trust: new TrustStore(readTrustBundle('trust.json')) });
 * const result = await verifier.verify(presentation, { profile: 'lite' });
 * ```
 */
export type Verifier = {
  readonly trust: TrustStore;
  readonly nonces: NonceStoreLike;
  readonly replay: ReplayCacheLike;
  /** How long after its fetch a status list is used offline (seconds; the kiosk's bundle status reports it). */
  readonly maxStatusAgeSeconds: number;
  /** The pipeline with this verifier's stores, awaited; throws only when a shared store cannot answer (CACHE_UNAVAILABLE). */
  verify(presentation: string, request?: VerifyRequest): Promise<VerificationResult>;
  /** Replaces the trust store (after a sync) without restarting. */
  setTrust(trust: TrustStore): void;
};

/**
 * A long-lived verifier (kiosk, HTTP app): one nonce store and one replay cache across
 * presentations, in memory unless shared ones are given (verifier/state: Redis).
 */
export function createVerifier(options: SharedVerifierOptions): Verifier {
  let current: SharedVerifierOptions = {
    ...options,
    nonceStore: options.nonceStore ?? new NonceStore(),
    replayCache: options.replayCache ?? new ReplayCache(),
  };
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
    get maxStatusAgeSeconds() {
      return current.maxStatusAgeSeconds ?? DEFAULTS.maxStatusAgeSeconds;
    },
    verify: (presentation, request = {}) => verifyPresentationAsync(presentation, { ...current, ...request, aud: request.aud ?? current.aud }),
    setTrust(trust) {
      current = { ...current, trust };
    },
  };
}
