import { VerificationError } from '../verification-errors.js';
import type { VcJoseMediaType } from './formats.js';

/** The base context of W3C VC Data Model 2.0: first in every credential's `@context`. */
export const VC_V2_CONTEXT = 'https://www.w3.org/ns/credentials/v2';

/** Members of a vc+sd-jwt that stay in the clear (VC-JOSE-COSE), besides the JWT claims. */
export const VC_NEVER_DISCLOSABLE = ['@context', 'type', 'issuer', 'credentialStatus', 'credentialSchema', 'validFrom', 'validUntil', 'id'] as const;

/** The JWT claims of a VC-JOSE-COSE claim set: they secure the credential, they are not its members. */
const JWT_CLAIMS = ['iss', 'iat', 'exp', 'nbf', 'cnf', 'jti', '_sd_alg'];
const CLEAR = new Set<string>([...VC_NEVER_DISCLOSABLE, ...JWT_CLAIMS, 'status']);

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** `issuer`, or `issuer.id` when the issuer is an object. */
export function issuerIdOf(issuer: unknown): string | undefined {
  if (typeof issuer === 'string') return issuer;
  if (isObject(issuer) && typeof issuer.id === 'string') return issuer.id;
  return undefined;
}

/** The protected header of a VC-JOSE-COSE credential: `typ` is its media type, `cty` (optional) is `vc`. */
export function checkVcJoseHeader(header: Record<string, unknown>, mediaType: VcJoseMediaType): void {
  if (header.typ !== mediaType) throw new VerificationError('TYP_INVALID', `typ ${String(header.typ)} is not ${mediaType}`);
  if (header.cty !== undefined && header.cty !== 'vc') throw new VerificationError('TYP_INVALID', `cty ${String(header.cty)} is not vc`);
}

/**
 * The VCDM 2.0 rules of a vc+sd-jwt (or vc+jwt) claim set: not an SD-JWT VC under the old typ,
 * the members of VC_NEVER_DISCLOSABLE and the JWT claims signed in the clear, `iss` equal to
 * `issuer`, `@context` starting with the v2 context, `type` an array of strings with
 * `VerifiableCredential`, a `credentialSubject`. `claims` are the payload with the disclosures applied.
 */
export function checkVcdm2(payload: Record<string, unknown>, claims: Record<string, unknown>): void {
  if (payload['@context'] === undefined && typeof payload.vct === 'string') {
    throw new VerificationError('TYP_INVALID', 'typ vc+sd-jwt on an SD-JWT VC (the pre-2025 value): use dc+sd-jwt');
  }
  for (const name of CLEAR) {
    if (Object.hasOwn(claims, name) && !Object.hasOwn(payload, name))
      throw new VerificationError('DISCLOSURE_FORBIDDEN_NAME', `${name} must not be selectively disclosed`);
  }
  if (payload.iss !== undefined && issuerIdOf(payload.issuer) !== payload.iss) throw new VerificationError('ISSUER_UNTRUSTED', 'issuer does not equal iss');
  const ctx = payload['@context'];
  if (!Array.isArray(ctx) || ctx[0] !== VC_V2_CONTEXT) throw new VerificationError('MALFORMED', `@context must be an array starting with ${VC_V2_CONTEXT}`);
  const types = payload.type;
  if (!Array.isArray(types) || !types.includes('VerifiableCredential') || !types.every((t) => typeof t === 'string')) {
    throw new VerificationError('MALFORMED', 'type must be an array including VerifiableCredential');
  }
  if (claims.credentialSubject === null || typeof claims.credentialSubject !== 'object')
    throw new VerificationError('MALFORMED', 'credentialSubject is missing');
}

/** The credential itself: the claim set without the JWT claims that secure it. */
export function credentialOfClaims(claims: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(claims).filter(([k]) => !JWT_CLAIMS.includes(k)));
}
