import { InvalidInputError } from '../core/errors.js';
import { assertPublicJwk, type PublicJwk } from '../core/jose/jwk.js';

/**
 * How the issuer's authorization server treats wallets (config.json `oauth`): the OpenID4VC
 * High Assurance Interoperability Profile (HAIP 1.0) and wallet attestation
 * (OAuth 2.0 Attestation-Based Client Authentication). By default the issuer works as it always
 * did: the pre-authorized code grant, Bearer tokens (or DPoP-bound ones for a client that sends a
 * DPoP proof). `authorizationCode` adds the authorization code flow (PKCE S256 always; PAR or
 * the parameters in the URL), approved at the enrollment point. HAIP turns that flow on, requires
 * its requests to be pushed (PAR) and every token and credential request to carry a DPoP proof.
 */
export type WalletAttestationMode = 'required' | 'optional' | 'off';
/** Whether the token endpoint requires, accepts or ignores OAuth client attestation (wallet attestation). */
export const WALLET_ATTESTATION_MODES: readonly WalletAttestationMode[] = ['required', 'optional', 'off'];

/** An issuer's OAuth settings: HAIP, the authorization code flow, wallet attestation and the wallet providers' keys. */
export type OAuthPolicy = {
  haip: boolean;
  /** The authorization code flow (also on whenever haip is). */
  authorizationCode: boolean;
  /** required: PAR and token requests must carry a valid attestation; optional: checked when sent; off: ignored. */
  walletAttestation: WalletAttestationMode;
  /** Public keys of the wallet providers whose attestations are accepted. */
  walletProviderKeys: PublicJwk[];
};

/** The OAuth policy of a new issuer: no HAIP, pre-authorized code only, no wallet attestation. */
export const DEFAULT_OAUTH_POLICY: OAuthPolicy = { haip: false, authorizationCode: false, walletAttestation: 'off', walletProviderKeys: [] };

/** Whether the authorization code flow (PAR, authorization endpoint, approval, code grant) is on. */
export function authorizationCodeEnabled(p: OAuthPolicy): boolean {
  return p.haip || p.authorizationCode;
}
const MAX_PROVIDER_KEYS = 32;

/** Whether `value` is a wallet attestation mode: `required`, `optional` or `off`. */
export function isWalletAttestationMode(value: unknown): value is WalletAttestationMode {
  return typeof value === 'string' && (WALLET_ATTESTATION_MODES as readonly string[]).includes(value);
}

/** Why a policy is refused (the field and why), or undefined. */
export function oauthPolicyProblem(p: OAuthPolicy): { path: string; message: string } | undefined {
  if (typeof p.haip !== 'boolean') return { path: 'haip', message: 'must be true or false' };
  if (typeof p.authorizationCode !== 'boolean') return { path: 'authorizationCode', message: 'must be true or false' };
  if (!isWalletAttestationMode(p.walletAttestation)) return { path: 'walletAttestation', message: `must be one of ${WALLET_ATTESTATION_MODES.join(', ')}` };
  if (!Array.isArray(p.walletProviderKeys) || p.walletProviderKeys.length > MAX_PROVIDER_KEYS)
    return { path: 'walletProviderKeys', message: `must be a list of at most ${MAX_PROVIDER_KEYS} public keys` };
  for (const [i, k] of p.walletProviderKeys.entries()) {
    try {
      assertPublicJwk(k, `walletProviderKeys[${i}]`);
    } catch (err) {
      return { path: `walletProviderKeys[${i}]`, message: (err as Error).message };
    }
  }
  if (p.walletAttestation !== 'off' && p.walletProviderKeys.length === 0) {
    return { path: 'walletProviderKeys', message: `wallet attestation ${p.walletAttestation} needs at least one wallet provider key` };
  }
  return undefined;
}

/** The policy an issuer runs with: config.json's `oauth`, defaults for what it predates. */
export function oauthPolicyOf(stored: { oauth?: Partial<OAuthPolicy> }): OAuthPolicy {
  return { ...DEFAULT_OAUTH_POLICY, ...stored.oauth };
}

/** The public members of a JWK (no private part even if the file had one: that is refused). */
function publicMembers(jwk: PublicJwk): PublicJwk {
  const { kty, crv, x, kid } = jwk as PublicJwk & { kid?: string };
  const key = (kty === 'EC' ? { kty, crv, x, y: (jwk as { y: string }).y } : { kty, crv, x }) as PublicJwk;
  return kid === undefined ? key : { ...key, kid };
}

/** Wallet provider keys from a file's text: one public JWK, or a JWK Set `{keys: [...]}`. */
export function parseWalletProviderKeys(text: string, what: string): PublicJwk[] {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (cause) {
    throw new InvalidInputError(`${what} is not JSON`, [{ path: 'walletProviderKey', message: 'not JSON' }], cause);
  }
  const keys = value && typeof value === 'object' && Array.isArray((value as { keys?: unknown }).keys) ? (value as { keys: unknown[] }).keys : [value];
  return keys.map((k, i) => {
    try {
      assertPublicJwk(k, `${what} key ${i}`);
    } catch (cause) {
      throw new InvalidInputError(`${what}: ${(cause as Error).message}`, [{ path: 'walletProviderKey', message: (cause as Error).message }], cause);
    }
    return publicMembers(k);
  });
}
