import type { ICredentialProvider } from '@veramo/credential-w3c';
import { CredentialProviderVcdm2 } from './provider.js';

export { CredentialProviderVcdm2 } from './provider.js';
export { normalizeVcdm2, type Vcdm2Credential } from './credential.js';
export { signVcJwt, signVcSdJwt, type VcJoseOptions } from './sign.js';
export { verifyVcJose, type VcJoseVerified } from './verify.js';

/**
 * Credential providers plugged into the issuer agent's CredentialPlugin: the VCDM 2.0 provider
 * (proof formats `vc+sd-jwt` and `vc+jwt`). Put them before Veramo's CredentialProviderJWT.
 */
export function credentialProviders(): ICredentialProvider[] {
  return [new CredentialProviderVcdm2()];
}
