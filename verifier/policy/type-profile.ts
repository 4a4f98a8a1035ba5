import { unsatisfiedClaim } from '../oid4vp/dcql.js';
import { VerificationError } from '../errors.js';
import type { TrustStore } from '../trust/store.js';
import { typeProfile, typeProfileNamesOf } from '../trust/type-profiles.js';

/**
 * A registered type's profile, by name: the query of the credential's own issuer and vct (from
 * the trust bundle), which the disclosed claims must satisfy as an OpenID4VP answer to it would
 * (core/dcql matching, PROFILE_NOT_SATISFIED naming what is missing). A type that defines no
 * profile of that name is PROFILE_NOT_SATISFIED too, naming the profiles it does define.
 */
export function checkTypeProfile(trust: TrustStore, issuer: string, vct: string, claims: Record<string, unknown>, name: string): void {
  const query = typeProfile(trust, issuer, vct, name);
  if (!query) {
    const own = typeProfileNamesOf(trust, issuer, vct);
    throw new VerificationError(
      'PROFILE_NOT_SATISFIED',
      `the credential's type ${vct} (issuer ${issuer}) defines no profile ${name} in the trust bundle (${own.length ? `it defines ${own.join(', ')}` : 'it defines none'})`,
    );
  }
  for (const q of query.credentials) {
    const missing = unsatisfiedClaim(q, { vct, claims });
    if (missing) throw new VerificationError('PROFILE_NOT_SATISFIED', `profile ${name} of ${vct}: ${missing}`);
  }
}
