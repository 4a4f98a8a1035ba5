import claimsSchema from './resident-identity/claims.schema.json' with { type: 'json' };
import typeMetadata from './resident-identity/type-metadata.json' with { type: 'json' };
import liteClaimsSchema from './resident-identity-lite/claims.schema.json' with { type: 'json' };
import liteTypeMetadata from './resident-identity-lite/type-metadata.json' with { type: 'json' };

export { RESIDENT_IDENTITY_VCT, RESIDENT_IDENTITY_LITE_VCT, PROFILES, isProfileName, profileClaimPaths } from './profiles/index.js';
export type { DcqlClaimQuery, DcqlCredentialQuery, DcqlQuery, ProfileName } from './profiles/index.js';
export { validateIdentityClaims } from './resident-identity/validate.js';
export { sampleIdentityClaims } from './resident-identity/sample.js';
export { idNumberCheckChar, parseIdNumber, makeIdNumber } from './resident-identity/id-number.js';
export { ADDRESS_CLAIM_NAMES, IDENTITY_CLAIM_NAMES, PORTRAIT_MAX_BYTES } from './resident-identity/types.js';
export type { IdentityAddress, IdentityClaims } from './resident-identity/types.js';

/** JSON Schema (2020-12) of the identity claims accepted at issuance. */
export const RESIDENT_IDENTITY_CLAIMS_SCHEMA = claimsSchema;

export type TypeMetadataDisplay = { locale: string; name?: string; label?: string; description?: string };
export type TypeMetadataClaim = { path: (string | number | null)[]; display?: TypeMetadataDisplay[]; mandatory?: boolean; sd?: 'always' | 'allowed' | 'never' };
export type TypeMetadata = {
  vct: string;
  name?: string;
  description?: string;
  extends?: string;
  display?: TypeMetadataDisplay[];
  claims?: TypeMetadataClaim[];
};

/** SD-JWT VC type metadata of the resident identity credential (what its `vct` resolves to). */
export const RESIDENT_IDENTITY_TYPE_METADATA = typeMetadata as TypeMetadata;

/** JSON Schema of the lite companion's claims (given_name, family_name, age_over_18). */
export const RESIDENT_IDENTITY_LITE_CLAIMS_SCHEMA = liteClaimsSchema;
/** SD-JWT VC type metadata of the lite companion (vct RESIDENT_IDENTITY_LITE_VCT). */
export const RESIDENT_IDENTITY_LITE_TYPE_METADATA = liteTypeMetadata as TypeMetadata;
/** The claims the lite companion carries, in the order the issuer mints them. */
export const LITE_CLAIM_NAMES = ['given_name', 'family_name', 'age_over_18'] as const;
