import { decoyCount, issueSdJwt, type DisclosureFrame } from '../../core/sd-jwt/issue.js';
import { signCompact } from '../../core/jose/sign.js';
import type { JwsSigner } from '../../core/jose/signer.js';
import type { PublicJwk } from '../../core/jose/jwk.js';
import { VC_JWT_TYP, W3C_SD_JWT_TYP } from '../../core/vc/formats.js';
import { issuerIdOf, VC_NEVER_DISCLOSABLE } from '../../core/vc/vcdm2.js';
import { epochSeconds, type Vcdm2Credential } from './credential.js';

export type VcJoseOptions = {
  /** Signature time (`iat`), epoch seconds. */
  iat: number;
  /** Signature expiry (`exp`); defaults to `validUntil` when the credential has one. */
  exp?: number;
  /** Holder key for key binding (`cnf.jwk`). */
  cnf?: { jwk: PublicJwk };
};

const MAX_FRAME_DEPTH = 4;

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Every property of a subject disclosable, recursively into nested objects, with decoys at each level. */
export function subjectDisclosureFrame(subject: Record<string, unknown>, depth = 0): DisclosureFrame<Record<string, unknown>> {
  const frame: Record<string, unknown> = { _sd: Object.keys(subject), _sd_decoy: decoyCount(depth === 0 ? 2 : 1, depth === 0 ? 5 : 3) };
  if (depth < MAX_FRAME_DEPTH) {
    for (const [k, v] of Object.entries(subject)) if (isObject(v)) frame[k] = subjectDisclosureFrame(v, depth + 1);
  }
  return frame as DisclosureFrame<Record<string, unknown>>;
}

/** The JWT claim set of a VC-JOSE-COSE credential: the VC itself plus iss/iat/exp/cnf (no `vc` wrapper). */
function claimSet(vc: Vcdm2Credential, options: VcJoseOptions): Record<string, unknown> {
  const exp = options.exp ?? (vc.validUntil ? epochSeconds(vc.validUntil) : undefined);
  const claims: Record<string, unknown> = { ...vc, iss: issuerIdOf(vc.issuer), iat: options.iat };
  if (exp !== undefined) claims.exp = exp;
  if (options.cnf) claims.cnf = options.cnf;
  return claims;
}

/** VCDM 2.0 secured as a plain JWS (VC-JOSE-COSE): `typ: vc+jwt`, `cty: vc`, `kid` from the signer. */
export function signVcJwt(vc: Vcdm2Credential, signer: JwsSigner, options: VcJoseOptions): Promise<string> {
  return signCompact({ typ: VC_JWT_TYP, cty: 'vc' }, claimSet(vc, options), signer);
}

/**
 * VCDM 2.0 secured with SD-JWT (VC-JOSE-COSE): `typ: vc+sd-jwt`, `cty: vc`; every
 * credentialSubject property disclosable (nested objects member by member); `@context`,
 * `type`, `issuer`, `credentialStatus`, `credentialSchema` and the JWT claims in the clear.
 */
export function signVcSdJwt(vc: Vcdm2Credential, signer: JwsSigner, options: VcJoseOptions): Promise<string> {
  const subject = vc.credentialSubject;
  const subjectFrame = Array.isArray(subject) ? Object.fromEntries(subject.map((s, i) => [i, subjectDisclosureFrame(s)])) : subjectDisclosureFrame(subject);
  return issueSdJwt({
    header: { typ: W3C_SD_JWT_TYP, cty: 'vc' },
    payload: claimSet(vc, options),
    disclosureFrame: { credentialSubject: subjectFrame } as DisclosureFrame<Record<string, unknown>>,
    signer,
    neverDisclosable: VC_NEVER_DISCLOSABLE,
  });
}
