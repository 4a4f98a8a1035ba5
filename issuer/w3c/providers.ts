import type { ICredentialProvider } from '@veramo/credential-w3c';

/**
 * Credential providers plugged into the issuer agent's CredentialPlugin. STUB: the VCDM 2.0
 * provider (proof formats `vc+sd-jwt` and `vc+jwt`) replaces this list.
 */
export function credentialProviders(): ICredentialProvider[] {
  return [];
}
