import typeMetadata from '../../schemas/resident-identity/type-metadata.json' with { type: 'json' };
import { RESIDENT_IDENTITY_VCT } from '../../schemas/profiles/index.js';
import { W3C_SD_JWT_TYP, type CredentialFormat } from '../../core/vc/formats.js';
import type { IssuerContext } from '../context.js';
import { issuerIdentifier, OID4VCI_LIMITS, OID4VCI_PATHS } from './config.js';

/**
 * Our credential configurations. `dc+sd-jwt` is the OpenID4VCI 1.0 SD-JWT VC format.
 * `vc+sd-jwt` (W3C VCDM 2.0 secured with SD-JWT) is OUR EXTENSION: OpenID4VCI 1.0 defines no
 * identifier for it, so we describe it as earlier drafts did, with a `credential_definition.type`.
 */
export const CREDENTIAL_CONFIGURATIONS = {
  resident_identity_sd_jwt: { format: 'dc+sd-jwt' },
  resident_identity_vc_sd_jwt: { format: 'vc+sd-jwt' },
} as const satisfies Record<string, { format: CredentialFormat }>;

export type CredentialConfigurationId = keyof typeof CREDENTIAL_CONFIGURATIONS;
export const DEFAULT_CONFIGURATION_ID: CredentialConfigurationId = 'resident_identity_sd_jwt';

export function isCredentialConfigurationId(id: unknown): id is CredentialConfigurationId {
  return typeof id === 'string' && Object.hasOwn(CREDENTIAL_CONFIGURATIONS, id);
}

export function configurationIdForFormat(format: CredentialFormat): CredentialConfigurationId {
  return format === W3C_SD_JWT_TYP ? 'resident_identity_vc_sd_jwt' : 'resident_identity_sd_jwt';
}

/** W3C `type` of the identity credential in its VCDM 2.0 form. */
export const RESIDENT_IDENTITY_VC_TYPE = ['VerifiableCredential', 'ResidentIdentityCredential'];

/** OpenID4VCI display entries use `name` where SD-JWT VC type metadata uses `label`. */
function credentialMetadata() {
  return {
    display: typeMetadata.display.map((d) => ({ name: d.name, locale: d.locale, description: d.description })),
    claims: typeMetadata.claims.map((c) => ({
      path: c.path,
      mandatory: c.mandatory,
      display: c.display.map((d) => ({ name: d.label, locale: d.locale })),
    })),
  };
}

/** OpenID4VCI 1.0 section 12.2 Credential Issuer Metadata. */
export function credentialIssuerMetadata(ctx: IssuerContext): Record<string, unknown> {
  const iss = issuerIdentifier(ctx.config.publicUrl);
  const common = {
    cryptographic_binding_methods_supported: ['jwk', 'did:key', 'did:jwk'],
    credential_signing_alg_values_supported: [ctx.signer.alg],
    proof_types_supported: { jwt: { proof_signing_alg_values_supported: ['ES256', 'EdDSA'] } },
    credential_metadata: credentialMetadata(),
  };
  return {
    credential_issuer: iss,
    authorization_servers: [iss],
    credential_endpoint: `${iss}${OID4VCI_PATHS.credential}`,
    nonce_endpoint: `${iss}${OID4VCI_PATHS.nonce}`,
    batch_credential_issuance: { batch_size: OID4VCI_LIMITS.batchSize },
    display: [{ name: 'netcred issuer', locale: 'en' }],
    credential_configurations_supported: {
      resident_identity_sd_jwt: { format: 'dc+sd-jwt', vct: RESIDENT_IDENTITY_VCT, ...common },
      resident_identity_vc_sd_jwt: { format: 'vc+sd-jwt', credential_definition: { type: RESIDENT_IDENTITY_VC_TYPE }, ...common },
    },
  };
}

/** RFC 8414 Authorization Server Metadata: the credential issuer is its own AS (pre-authorized code only). */
export function authorizationServerMetadata(ctx: IssuerContext): Record<string, unknown> {
  const iss = issuerIdentifier(ctx.config.publicUrl);
  return {
    issuer: iss,
    token_endpoint: `${iss}${OID4VCI_PATHS.token}`,
    grant_types_supported: ['urn:ietf:params:oauth:grant-type:pre-authorized_code'],
    response_types_supported: [],
    token_endpoint_auth_methods_supported: ['none'],
    'pre-authorized_grant_anonymous_access_supported': true,
  };
}
