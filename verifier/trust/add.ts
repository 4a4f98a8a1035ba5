import { jwkFromDidJwk } from '../../core/did/did-jwk.js';
import { jwkFromDidKey } from '../../core/did/did-key.js';
import { NetcredError } from '../../core/errors.js';
import {
  RESIDENT_IDENTITY_CLAIMS_SCHEMA,
  RESIDENT_IDENTITY_LITE_CLAIMS_SCHEMA,
  RESIDENT_IDENTITY_LITE_TYPE_METADATA,
  RESIDENT_IDENTITY_LITE_VCT,
  RESIDENT_IDENTITY_TYPE_METADATA,
  RESIDENT_IDENTITY_VCT,
} from '../../schemas/index.js';
import type { TrustBundle, TypeMetadataEntry } from './bundle.js';

const BUILT_IN: Record<string, { metadata: unknown; schema: unknown }> = {
  [RESIDENT_IDENTITY_VCT]: { metadata: RESIDENT_IDENTITY_TYPE_METADATA, schema: RESIDENT_IDENTITY_CLAIMS_SCHEMA },
  [RESIDENT_IDENTITY_LITE_VCT]: { metadata: RESIDENT_IDENTITY_LITE_TYPE_METADATA, schema: RESIDENT_IDENTITY_LITE_CLAIMS_SCHEMA },
};

/** Type metadata shipped with netcred (the identity credential and its lite companion): known without fetching anything. */
export function builtInTypeMetadata(vct: string): TypeMetadataEntry | undefined {
  const known = Object.hasOwn(BUILT_IN, vct) ? BUILT_IN[vct] : undefined;
  if (!known) return undefined;
  return { vct, metadata: known.metadata as Record<string, unknown>, schema: known.schema as Record<string, unknown> };
}

/**
 * Adds (or extends) a did:key / did:jwk issuer with no network: its key comes from the
 * identifier itself. did:web needs its document, so it comes through `sync`.
 */
export function addDidIssuer(
  bundle: TrustBundle,
  did: string,
  vcts: readonly string[] = [RESIDENT_IDENTITY_VCT, RESIDENT_IDENTITY_LITE_VCT],
  now = new Date(),
): TrustBundle {
  if (did.includes('#') || did.includes('?')) throw new NetcredError('INVALID_INPUT', 'give the DID itself, without a fragment or query');
  if (did.startsWith('did:key:')) jwkFromDidKey(did);
  else if (did.startsWith('did:jwk:')) jwkFromDidJwk(did);
  else
    throw new NetcredError(
      'INVALID_INPUT',
      `trust add takes a did:key or did:jwk (no network); use "verifier sync" for ${did.split(':').slice(0, 2).join(':')}`,
    );
  if (vcts.length === 0 || vcts.some((v) => typeof v !== 'string' || v === ''))
    throw new NetcredError('INVALID_INPUT', '--vct values must be non-empty strings');
  const stamp = now.toISOString();
  const issuers = bundle.issuers.filter((i) => i.id !== did);
  const existing = bundle.issuers.find((i) => i.id === did);
  issuers.push({ ...(existing ?? {}), id: did, vct: [...new Set([...(existing?.vct ?? []), ...vcts])], addedAt: existing?.addedAt ?? stamp, updatedAt: stamp });
  const typeMetadata = [...bundle.typeMetadata];
  for (const vct of vcts) {
    const builtIn = builtInTypeMetadata(vct);
    if (builtIn && !typeMetadata.some((t) => t.vct === vct)) typeMetadata.push(builtIn);
  }
  return { ...bundle, updatedAt: stamp, issuers, typeMetadata };
}
