/** SD-JWT VC (draft-ietf-oauth-sd-jwt-vc): the default credential format. */
export const SD_JWT_VC_TYP = 'dc+sd-jwt';
/** W3C VCDM 2.0 secured with SD-JWT (VC-JOSE-COSE). */
export const W3C_SD_JWT_TYP = 'vc+sd-jwt';
/** W3C VCDM 2.0 secured with a plain JWS (VC-JOSE-COSE): the issuer's agent mints and verifies it, no wallet stores it. */
export const VC_JWT_TYP = 'vc+jwt';

/** The credential formats (header `typ` values) netcred issues, stores, presents and verifies. */
export const CREDENTIAL_FORMATS = [SD_JWT_VC_TYP, W3C_SD_JWT_TYP] as const;
/** A credential format netcred issues, by its `typ`: `dc+sd-jwt` (SD-JWT VC) or `vc+sd-jwt` (VCDM 2.0). */
export type CredentialFormat = (typeof CREDENTIAL_FORMATS)[number];

/** Whether `value` is a credential format netcred issues and verifies (CREDENTIAL_FORMATS). */
export function isCredentialFormat(value: unknown): value is CredentialFormat {
  return (CREDENTIAL_FORMATS as readonly unknown[]).includes(value);
}

/** Media types of a VCDM 2.0 credential secured with JOSE, as `typ` and in an enveloping `data:` URL. */
export const VC_JOSE_MEDIA_TYPES = [W3C_SD_JWT_TYP, VC_JWT_TYP] as const;
export type VcJoseMediaType = (typeof VC_JOSE_MEDIA_TYPES)[number];

/** Upper bound on one issued credential, any format: room for a 64 KiB portrait, base64 twice. */
export const MAX_CREDENTIAL_BYTES = 256 * 1024;
