import { signCompact } from '../../core/jose/sign.js';
import type { HolderKeyInfo } from '../keys.js';
import type { Wallet } from '../wallet.js';

/**
 * An OpenID4VCI key proof (appendix F.1) signed with a wallet key: typ openid4vci-proof+jwt,
 * kid = the key's DID URL, aud = the credential issuer, iat now, nonce = the c_nonce.
 * Needs the unlocked wallet.
 */
export async function createProofJwt(wallet: Wallet, key: HolderKeyInfo, audience: string, nonce: string): Promise<string> {
  const signer = await wallet.signer(key.id);
  const iat = Math.floor(wallet.now() / 1000);
  return signCompact({ typ: 'openid4vci-proof+jwt', kid: key.kid }, { aud: audience, iat, nonce }, signer);
}
