import { VerificationError } from '../errors.js';
import type { StoreIssuer } from '../trust/store.js';

import { RESIDENT_IDENTITY_VCT } from '../../schemas/profiles/index.js';

export const W3C_SD_JWT_TYP = 'vc+sd-jwt';

/** W3C credential types that stand for an SD-JWT VC type: trusting the vct trusts its W3C twin. */
export const W3C_TYPE_VCT: Readonly<Record<string, string>> = { ResidentIdentityCredential: RESIDENT_IDENTITY_VCT };
export const VCDM2_CONTEXT = 'https://www.w3.org/ns/credentials/v2';

export function w3cIssuerId(vc: Record<string, unknown>): string | undefined {
  const issuer = vc.issuer;
  if (typeof issuer === 'string') return issuer;
  if (issuer && typeof issuer === 'object' && typeof (issuer as { id?: unknown }).id === 'string') return (issuer as { id: string }).id;
  return undefined;
}

/**
 * W3C VCDM 2.0 secured with SD-JWT (VC-JOSE-COSE): the claims are the credential itself.
 * Returns the credential type the trust entry accepts (its `vct` if it has one, else a `type`).
 */
export function checkW3cVc(claims: Record<string, unknown>, issuer: StoreIssuer): { vct: string } {
  const ctx = claims['@context'];
  if (!Array.isArray(ctx) || ctx[0] !== VCDM2_CONTEXT) throw new VerificationError('MALFORMED', `@context must be an array starting with ${VCDM2_CONTEXT}`);
  const types = claims.type;
  if (!Array.isArray(types) || !types.includes('VerifiableCredential') || !types.every((t) => typeof t === 'string')) {
    throw new VerificationError('MALFORMED', 'type must be an array including VerifiableCredential');
  }
  const issuerId = w3cIssuerId(claims);
  if (issuerId !== issuer.entry.id) throw new VerificationError('ISSUER_UNTRUSTED', `issuer ${String(issuerId)} does not equal iss ${issuer.entry.id}`);
  if (claims.credentialSubject === undefined || typeof claims.credentialSubject !== 'object') {
    throw new VerificationError('MALFORMED', 'credentialSubject is missing');
  }
  const own = (types as string[]).filter((t) => t !== 'VerifiableCredential');
  const candidates = typeof claims.vct === 'string' ? [claims.vct] : [...own, ...own.map((t) => W3C_TYPE_VCT[t]).filter((v): v is string => v !== undefined)];
  const vct = candidates.find((t) => issuer.vct.has(t));
  if (!vct) throw new VerificationError('ISSUER_UNTRUSTED', `issuer ${issuer.entry.id} is not trusted for type ${candidates.join(', ') || 'VerifiableCredential'}`);
  return { vct };
}
