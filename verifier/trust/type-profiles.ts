import type { DcqlQuery } from '../../core/dcql/types.js';
import { NetcredError } from '../../core/errors.js';
import { syncCommand } from '../sync-hint.js';
import type { TrustStore } from './store.js';

/**
 * The profiles (named DCQL queries) of registered types that a trust bundle holds, as sync
 * stored them with each issuer. A name is looked up by the credential's issuer AND vct: two
 * issuers may define the same name differently, and each credential is held to its own issuer's.
 */

/** Every profile name the bundle knows, of any issuer and type, sorted (for messages). */
export function typeProfileNames(trust: TrustStore): string[] {
  const names = new Set<string>();
  for (const issuer of trust.bundle.issuers) for (const named of Object.values(issuer.profiles ?? {})) for (const n of Object.keys(named)) names.add(n);
  return [...names].sort();
}

/** The names the type `vct` of `issuer` defines, sorted. */
export function typeProfileNamesOf(trust: TrustStore, issuer: string, vct: string): string[] {
  return Object.keys(trust.issuer(issuer)?.entry.profiles?.[vct] ?? {}).sort();
}

/** The profile `name` of the type `vct` of `issuer`, or undefined when that type defines none of that name. */
export function typeProfile(trust: TrustStore, issuer: string, vct: string, name: string): DcqlQuery | undefined {
  const named = trust.issuer(issuer)?.entry.profiles?.[vct];
  return named && Object.hasOwn(named, name) ? named[name] : undefined;
}

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
