import typeMetadata from '../../schemas/resident-identity/type-metadata.json' with { type: 'json' };
import { RESIDENT_IDENTITY_VCT } from '../../schemas/profiles/index.js';
import { W3C_SD_JWT_TYP, type CredentialFormat } from '../../core/vc/formats.js';
import type { IssuerContext } from '../context.js';
import type { CredentialTypeDefinition } from '../credential-types/index.js';
import { ATTEST_JWT_CLIENT_AUTH, CLIENT_ATTESTATION_ALGS } from '../../core/oauth/client-attestation.js';
import { PKCE_METHOD } from '../../core/oauth/pkce.js';
import { authorizationCodeEnabled } from '../oauth-policy.js';
import { AUTHORIZATION_CODE_GRANT, issuerIdentifier, OID4VCI_LIMITS, OID4VCI_PATHS, PRE_AUTHORIZED_GRANT } from './config.js';
import { DPOP_SIGNING_ALGS } from './dpop.js';

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

/** A registered type's display and claims, from its SD-JWT VC type metadata. */
function registeredCredentialMetadata(def: CredentialTypeDefinition) {
  return {
    display: (def.metadata.display ?? []).map((d) => ({
      name: d.name ?? def.name,
      locale: d.locale,
      ...(d.description !== undefined ? { description: d.description } : {}),
    })),
    claims: (def.metadata.claims ?? []).map((c) => ({
      path: c.path,
      ...(c.mandatory !== undefined ? { mandatory: c.mandatory } : {}),
      ...(c.display ? { display: c.display.map((d) => ({ name: d.label, locale: d.locale })) } : {}),
    })),
  };
}

/**
 * OpenID4VCI 1.0 section 12.2 Credential Issuer Metadata. A registered credential type
 * (issuer/credential-types) is one more `dc+sd-jwt` configuration whose id is its vct, offered
 * through the pre-authorized code grant (no scope: the authorization code flow asks for the
 * built-in configurations only).
 */
export function credentialIssuerMetadata(ctx: IssuerContext, registered: readonly CredentialTypeDefinition[] = []): Record<string, unknown> {
  const iss = issuerIdentifier(ctx.config.publicUrl);
  const common = {
    cryptographic_binding_methods_supported: ['jwk', 'did:key', 'did:jwk'],
    credential_signing_alg_values_supported: [ctx.signer.alg],
    proof_types_supported: { jwt: { proof_signing_alg_values_supported: ['ES256', 'EdDSA'] } },
    credential_metadata: credentialMetadata(),
  };
  // With the authorization code flow, a wallet asks for a configuration by its scope (its id).
  const scope = (id: string) => (authorizationCodeEnabled(ctx.config.oauth) ? { scope: id } : {});
  return {
    credential_issuer: iss,
    authorization_servers: [iss],
    credential_endpoint: `${iss}${OID4VCI_PATHS.credential}`,
    nonce_endpoint: `${iss}${OID4VCI_PATHS.nonce}`,
    batch_credential_issuance: { batch_size: OID4VCI_LIMITS.batchSize },
    display: [{ name: 'netcred issuer', locale: 'en' }],
    credential_configurations_supported: {
      resident_identity_sd_jwt: { format: 'dc+sd-jwt', vct: RESIDENT_IDENTITY_VCT, ...scope('resident_identity_sd_jwt'), ...common },
      resident_identity_vc_sd_jwt: {
        format: 'vc+sd-jwt',
        credential_definition: { type: RESIDENT_IDENTITY_VC_TYPE },
        ...scope('resident_identity_vc_sd_jwt'),
        ...common,
      },
      ...Object.fromEntries(
        registered.map((d) => [d.vct, { format: 'dc+sd-jwt', vct: d.vct, ...common, credential_metadata: registeredCredentialMetadata(d) }]),
      ),
    },
  };
}

/**
 * RFC 8414 Authorization Server Metadata: the credential issuer is its own AS. Always: the
 * pre-authorized code grant and DPoP (RFC 9449 5.1). With the authorization code flow: its
 * endpoints, PKCE S256 only, PAR (RFC 9126; required under HAIP) and `iss` in authorization
 * responses (RFC 9207). Client authentication: `none` (public wallets) and/or
 * `attest_jwt_client_auth`, as the wallet attestation policy says.
 */
export function authorizationServerMetadata(ctx: IssuerContext): Record<string, unknown> {
  const iss = issuerIdentifier(ctx.config.publicUrl);
  const policy = ctx.config.oauth;
  const codeFlow = authorizationCodeEnabled(policy);
  const authMethods =
    policy.walletAttestation === 'off' ? ['none'] : policy.walletAttestation === 'optional' ? ['none', ATTEST_JWT_CLIENT_AUTH] : [ATTEST_JWT_CLIENT_AUTH];
  return {
    issuer: iss,
    ...(codeFlow
      ? {
          authorization_endpoint: `${iss}${OID4VCI_PATHS.authorize}`,
          pushed_authorization_request_endpoint: `${iss}${OID4VCI_PATHS.par}`,
          require_pushed_authorization_requests: policy.haip,
        }
      : {}),
    token_endpoint: `${iss}${OID4VCI_PATHS.token}`,
    grant_types_supported: codeFlow ? [PRE_AUTHORIZED_GRANT, AUTHORIZATION_CODE_GRANT] : [PRE_AUTHORIZED_GRANT],
    response_types_supported: codeFlow ? ['code'] : [],
    ...(codeFlow
      ? {
          response_modes_supported: ['query'],
          code_challenge_methods_supported: [PKCE_METHOD],
          authorization_response_iss_parameter_supported: true,
          scopes_supported: Object.keys(CREDENTIAL_CONFIGURATIONS),
        }
      : {}),
    dpop_signing_alg_values_supported: [...DPOP_SIGNING_ALGS],
    token_endpoint_auth_methods_supported: authMethods,
    ...(policy.walletAttestation === 'off'
      ? {}
      : {
          client_attestation_signing_alg_values_supported: [...CLIENT_ATTESTATION_ALGS],
          client_attestation_pop_signing_alg_values_supported: [...CLIENT_ATTESTATION_ALGS],
        }),
    'pre-authorized_grant_anonymous_access_supported': policy.walletAttestation !== 'required',
  };
}
