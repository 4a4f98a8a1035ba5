/**
 * `netcred/veramo`: netcred's Veramo plugins, ready to add to any Veramo agent (docs/veramo.md).
 *
 * - {@link CredentialProviderVcdm2}: a `@veramo/credential-w3c` credential provider for VCDM 2.0
 *   secured as `vc+sd-jwt` (SD-JWT, every credentialSubject property disclosable) or `vc+jwt`.
 * - {@link NetcredKms}: a key management system over node:crypto (Ed25519, P-256) with private
 *   keys sealed by AES-256-GCM in its own table; add {@link netcredKmsMigrations} to the
 *   DataSource's migrations.
 * - {@link DidKeyProvider}: did:key for Ed25519 and P-256 keys (Veramo's own is Ed25519/X25519 only).
 * - {@link netcredDidResolvers}: did:key, did:jwk and did:web resolvers for `@veramo/did-resolver`.
 */
import type { DIDResolver } from 'did-resolver';
import { didMethodResolvers, type DidResolverOptions } from '../core/did/resolve.js';
import { keyMigrations } from '../issuer/store/schema/private-keys.js';

export { CredentialProviderVcdm2 } from '../issuer/w3c/provider.js';
export { normalizeVcdm2, type Vcdm2Credential } from '../issuer/w3c/credential.js';
export { NetcredKms } from '../issuer/agent/kms.js';
export { DidKeyProvider, type DidKeyCreateOptions } from '../issuer/agent/did-key-provider.js';
export { CachingKeyStore } from '../issuer/agent/caching-key-store.js';
export type { DidResolverOptions } from '../core/did/resolve.js';

/** TypeORM migrations creating {@link NetcredKms}'s sealed private-key table; add them to your DataSource. */
export const netcredKmsMigrations = [...keyMigrations];

/**
 * did:key (Ed25519, P-256), did:jwk and did:web resolvers for `new DIDResolverPlugin(...)`.
 * `options` bound did:web fetches (timeout, size) and may allow http for tests.
 *
 * @example
 * new DIDResolverPlugin(netcredDidResolvers())
 */
export function netcredDidResolvers(options: DidResolverOptions = {}): Record<string, DIDResolver> {
  return didMethodResolvers(options);
}
