import type { KeyObject } from 'node:crypto';
import { absoluteVmId, type DIDDocument } from '../../core/did/document.js';
import { jwkFromDocument } from '../../core/did/resolve.js';
import { decodeCompact, type DecodedJws } from '../../core/jose/decode.js';
import { importPublicJwk } from '../../core/jose/jwk.js';
import { verifyDecoded } from '../../core/jose/verify.js';
import { verifySdJwt } from '../../core/sd-jwt/verify.js';
import { MAX_CREDENTIAL_BYTES, W3C_SD_JWT_TYP, type VcJoseMediaType } from '../../core/vc/formats.js';
import { checkJwtValidity, checkValidityPeriod } from '../../core/vc/validity.js';
import { checkVcdm2, checkVcJoseHeader, credentialOfClaims, issuerIdOf } from '../../core/vc/vcdm2.js';
import { toVerificationError, VerificationError } from '../../core/verification-errors.js';

export type VcJoseVerifyOptions = {
  /** Resolves the issuer DID (from the header `kid`). */
  resolve: (did: string) => Promise<DIDDocument>;
  /** Current time, epoch seconds. */
  now?: number;
  /** Check exp/nbf/iat and validFrom/validUntil (default true). */
  checkTimes?: boolean;
  skewSeconds?: number;
};

export type VcJoseVerified = {
  mediaType: VcJoseMediaType;
  header: Record<string, unknown>;
  /** The issuer-signed claim set as sent (digests, JWT claims). */
  payload: Record<string, unknown>;
  /** The VCDM 2.0 credential with the disclosures applied and the JWT claims removed. */
  credential: Record<string, unknown>;
  issuer: string;
};

/** The issuer's trust rule: `kid` is a DID URL of `issuer`, listed for assertions in its DID document. */
async function assertionKey(jwt: DecodedJws, resolve: VcJoseVerifyOptions['resolve']): Promise<KeyObject> {
  const kid = jwt.header.kid;
  if (typeof kid !== 'string' || !kid.startsWith('did:') || !kid.includes('#'))
    throw new VerificationError('KID_MISMATCH', 'kid must be a DID URL of the issuer key');
  const did = kid.split('#')[0]!;
  const issuer = issuerIdOf(jwt.payload.issuer);
  if (issuer !== did) throw new VerificationError('KID_MISMATCH', `kid ${kid} is not a key of issuer ${String(issuer)}`);
  const doc = await resolve(did);
  const jwk = jwkFromDocument(doc, did, kid);
  const isAssertion = (a: string | { id: string }) => absoluteVmId(did, typeof a === 'string' ? a : a.id) === absoluteVmId(did, kid);
  if (doc.assertionMethod && !doc.assertionMethod.some(isAssertion)) throw new VerificationError('KID_MISMATCH', `${kid} is not an assertion method of ${did}`);
  return importPublicJwk(jwk, `key ${kid}`);
}

/**
 * Verifies a VCDM 2.0 credential secured with JOSE (vc+jwt) or SD-JWT (vc+sd-jwt) with the core
 * rules every role uses (core/sd-jwt, core/vc; a KB-JWT, when attached, checked in full), the
 * issuer key found by the rule above. Throws a VerificationError with a verdict code.
 */
export async function verifyVcJose(token: string, mediaType: VcJoseMediaType, options: VcJoseVerifyOptions): Promise<VcJoseVerified> {
  try {
    const sd = mediaType === W3C_SD_JWT_TYP;
    if (!sd && token.includes('~')) throw new VerificationError('MALFORMED', 'a vc+jwt has no disclosures');
    const jwt = decodeCompact(token.split('~')[0]!);
    checkVcJoseHeader(jwt.header, mediaType);
    const key = await assertionKey(jwt, options.resolve);
    const now = options.now ?? Math.floor(Date.now() / 1000);
    const skew = options.skewSeconds ?? 60;
    let claims = jwt.payload;
    if (!sd) verifyDecoded(jwt, key);
    else
      claims = verifySdJwt(token, {
        issuerKey: key,
        maxBytes: MAX_CREDENTIAL_BYTES,
        keyBinding: { required: false },
        now: now * 1000,
        clockSkewSeconds: skew,
      }).claims;
    checkVcdm2(jwt.payload, claims);
    if (options.checkTimes !== false) {
      checkJwtValidity(jwt.payload, now, skew);
      checkValidityPeriod(jwt.payload, now, skew);
    }
    return { mediaType, header: jwt.header, payload: jwt.payload, credential: credentialOfClaims(claims), issuer: issuerIdOf(jwt.payload.issuer)! };
  } catch (err) {
    throw toVerificationError(err);
  }
}
