import { issuerIdOf } from '../../core/vc/vcdm2.js';
import { RESIDENT_IDENTITY_VCT } from '../../schemas/profiles/index.js';
import { VerificationError } from '../errors.js';
import type { StoreIssuer } from './store.js';
import { syncCommand } from '../sync-hint.js';

/** W3C credential types that stand for an SD-JWT VC type: trusting the vct trusts its W3C twin. */
export const W3C_TYPE_VCT: Readonly<Record<string, string>> = { ResidentIdentityCredential: RESIDENT_IDENTITY_VCT };

/**
 * A trusted issuer presenting a type the bundle does not trust it for: distinct from an unknown
 * issuer (its key verified), saying what it is trusted for and how a type is added.
 */
function notTrustedForType(issuer: StoreIssuer, what: string): string {
  const trusted = [...issuer.vct];
  return `issuer ${issuer.entry.id} is in the trust bundle, but not for the credential's ${what} (it is trusted for ${trusted.join(', ') || 'no type'}): if it should be, sync it again while online with ${syncCommand(issuer.entry.source)} (every type it advertises) or --vct for just this one`;
}

/** An SD-JWT VC's `vct`, when this issuer is trusted for it. */
export function trustedVct(vct: string, issuer: StoreIssuer): string {
  if (!issuer.vct.has(vct)) throw new VerificationError('ISSUER_UNTRUSTED', notTrustedForType(issuer, `vct ${vct}`));
  return vct;
}

/**
 * A W3C credential (its VCDM 2.0 shape already checked by core/vc): `issuer` is the trusted
 * entry, which accepts its `vct` if it has one, else one of its types. Returns that type.
 */
export function trustedW3cType(claims: Record<string, unknown>, issuer: StoreIssuer): string {
  const issuerId = issuerIdOf(claims.issuer);
  if (issuerId !== issuer.entry.id) throw new VerificationError('ISSUER_UNTRUSTED', `issuer ${String(issuerId)} does not equal iss ${issuer.entry.id}`);
  const own = (claims.type as string[]).filter((t) => t !== 'VerifiableCredential');
  const candidates = typeof claims.vct === 'string' ? [claims.vct] : [...own, ...own.map((t) => W3C_TYPE_VCT[t]).filter((v): v is string => v !== undefined)];
  const vct = candidates.find((t) => issuer.vct.has(t));
  if (!vct) throw new VerificationError('ISSUER_UNTRUSTED', notTrustedForType(issuer, `type ${candidates.join(', ') || 'VerifiableCredential'}`));
  return vct;
}
