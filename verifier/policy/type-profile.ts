import { NetcredError } from '../../core/errors.js';
import { unsatisfiedClaim } from '../oid4vp/dcql.js';
import { VerificationError } from '../errors.js';
import { syncCommand } from '../sync-hint.js';
import type { TrustStore } from '../trust/store.js';
import { typeProfile, typeProfileNames, typeProfileNamesOf } from '../trust/type-profiles.js';

/**
 * A profile name other than lite and upgraded must be one the trust bundle holds (for some
 * issuer's type): otherwise PROFILE_UNKNOWN (an input error: exit 2, HTTP 400) listing the names
 * it knows. Every front door (verify --profile, POST /verify, OpenID4VP requests) asks this first;
 * which issuer's query applies is decided later, by the credential's issuer and vct.
 */
export function assertKnownTypeProfile(trust: TrustStore, name: string, bundleFile?: string): void {
  const known = typeProfileNames(trust);
  if (known.includes(name)) return;
  throw new NetcredError(
    'PROFILE_UNKNOWN',
    `unknown profile ${name}: a profile is lite, upgraded${known.length ? ` or a profile of a registered type in the trust bundle (${known.join(', ')})` : ' (the trust bundle holds no profile of a registered type)'}; if the issuer registered the type or profile since the bundle was made, run ${syncCommand(undefined, bundleFile)}`,
    { details: [{ path: 'profile', message: name }] },
  );
}

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
