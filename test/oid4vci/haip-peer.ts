import { createHash, randomBytes, sign } from 'node:crypto';
import {
  clientAuthenticationClientAttestationJwt,
  clientAuthenticationNone,
  createClientAttestationJwt,
  type CallbackContext,
  type Jwk,
  type JwtSigner,
} from '@openid4vc/oauth2';
import { Openid4vciClient } from '@openid4vc/openid4vci';
import { peerKey, type PeerKey } from './peer-wallet.js';

/**
 * The independent wallet of the HAIP tests: @openid4vc/openid4vci + @openid4vc/oauth2 (0.4.6) with
 * node:crypto keys, nothing of netcred's. Its JWT signer knows every key the test made (DPoP key,
 * wallet instance key, proof keys, the wallet provider's key) by its public `x`.
 */
export class PeerKeyring {
  private readonly keys = new Map<string, PeerKey>();

  add(key: PeerKey): PeerKey {
    this.keys.set(key.publicJwk.x as string, key);
    return key;
  }

  make(alg: 'ES256' | 'EdDSA' = 'ES256'): PeerKey {
    return this.add(peerKey(alg));
  }

  signJwt = async (signer: JwtSigner, { header, payload }: { header: Record<string, unknown>; payload: Record<string, unknown> }) => {
    const jwk = (signer as { publicJwk?: Jwk }).publicJwk;
    const key = jwk ? this.keys.get(jwk.x as string) : undefined;
    if (!key) throw new Error('the test keyring has no key for this signer');
    const b64u = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
    const input = `${b64u(header)}.${b64u(payload)}`;
    const sig =
      key.alg === 'ES256'
        ? sign('sha256', Buffer.from(input), { key: key.privateKey, dsaEncoding: 'ieee-p1363' })
        : sign(null, Buffer.from(input), key.privateKey);
    return { jwt: `${input}.${sig.toString('base64url')}`, signerJwk: key.publicJwk };
  };
}

export function callbacksOf(keyring: PeerKeyring): Pick<CallbackContext, 'fetch' | 'hash' | 'generateRandom' | 'signJwt'> {
  return {
    fetch,
    hash: (data, alg) => createHash(alg.replace('-', '')).update(data).digest(),
    generateRandom: (n) => randomBytes(n),
    signJwt: keyring.signJwt as CallbackContext['signJwt'],
  };
}

/** A wallet attestation made by a "wallet provider" with @openid4vc/oauth2's own createClientAttestationJwt. */
export async function peerWalletAttestation(
  keyring: PeerKeyring,
  provider: PeerKey,
  clientId: string,
  options: { expiresIn?: number } = {},
): Promise<{ jwt: string; instance: PeerKey }> {
  const instance = keyring.make('ES256');
  keyring.add(provider);
  const jwt = await createClientAttestationJwt({
    issuer: 'https://wallet-provider.example',
    clientId,
    confirmation: { jwk: instance.publicJwk },
    expiresAt: new Date(Date.now() + (options.expiresIn ?? 3600) * 1000),
    signer: { method: 'jwk', alg: provider.alg, publicJwk: provider.publicJwk },
    callbacks: callbacksOf(keyring),
  } as Parameters<typeof createClientAttestationJwt>[0]);
  return { jwt, instance };
}

export type PeerFlowOptions = {
  clientId: string;
  redirectUri: string;
  /** Plays the resident's browser and the enrollment point: GETs the URL, approves, returns the redirect. */
  authorize(authorizationUrl: string): Promise<string>;
  /** Sends a wallet attestation (made by the provider key) at PAR and token. */
  attestation?: string;
  /** Binds everything to DPoP (default true). */
  dpop?: boolean;
  proofKeys?: PeerKey[];
};

export type PeerFlowResult = { credentials: string[]; tokenType: string; accessToken: string; dpopKey?: PeerKey; code: string; codeVerifier: string };

/** The whole authorization code flow with the independent client: PAR + PKCE (+ DPoP, + attestation) -> browser -> token -> nonce -> credential. */
export async function peerAuthorizationCodeFlow(offerUri: string, options: PeerFlowOptions, keyring = new PeerKeyring()): Promise<PeerFlowResult> {
  const clientAuthentication = options.attestation
    ? clientAuthenticationClientAttestationJwt({ clientAttestationJwt: options.attestation, callbacks: callbacksOf(keyring) as CallbackContext })
    : clientAuthenticationNone({ clientId: options.clientId });
  const client = new Openid4vciClient({ callbacks: { ...callbacksOf(keyring), clientAuthentication } as CallbackContext });
  const offer = await client.resolveCredentialOffer(offerUri);
  const issuerMetadata = await client.resolveIssuerMetadata(offer.credential_issuer);
  const dpopKey = options.dpop === false ? undefined : keyring.make('ES256');
  const dpopSigner = dpopKey ? { method: 'jwk' as const, alg: 'ES256', publicJwk: dpopKey.publicJwk } : undefined;

  const init = (await client.initiateAuthorization({
    clientId: options.clientId,
    issuerMetadata,
    credentialOffer: offer,
    redirectUri: options.redirectUri,
    dpop: dpopSigner ? { signer: dpopSigner } : undefined,
  })) as { authorizationRequestUrl: string; pkce?: { codeVerifier: string }; dpop?: { nonce?: string } };
  const redirect = await options.authorize(init.authorizationRequestUrl);
  const as = issuerMetadata.authorizationServers[0]!;
  const response = client.parseAndVerifyAuthorizationResponseRedirectUrl({ url: redirect, authorizationServerMetadata: as }) as { code?: string };
  if (!response.code) throw new Error(`no code in ${redirect}`);

  const token = await client.retrieveAuthorizationCodeAccessTokenFromOffer({
    issuerMetadata,
    credentialOffer: offer,
    authorizationCode: response.code,
    pkceCodeVerifier: init.pkce!.codeVerifier,
    redirectUri: options.redirectUri,
    dpop: dpopSigner ? { signer: dpopSigner, nonce: init.dpop?.nonce } : undefined,
  });
  const { c_nonce } = await client.requestNonce({ issuerMetadata });
  const configurationId = offer.credential_configuration_ids[0]!;
  const proofKeys = options.proofKeys ?? [keyring.make('ES256')];
  const jwts: string[] = [];
  for (const key of proofKeys) {
    keyring.add(key);
    const { jwt } = await client.createCredentialRequestJwtProof({
      issuerMetadata,
      credentialConfigurationId: configurationId,
      nonce: c_nonce,
      signer: { method: 'jwk', alg: key.alg, publicJwk: key.publicJwk },
    });
    jwts.push(jwt);
  }
  const res = await client.retrieveCredentials({
    issuerMetadata,
    accessToken: token.accessTokenResponse.access_token,
    credentialConfigurationId: configurationId,
    proofs: { jwt: jwts },
    dpop: dpopSigner ? { signer: dpopSigner, nonce: token.dpop?.nonce } : undefined,
  });
  return {
    credentials: (res.credentialResponse.credentials ?? []).map((c) => (c as { credential: string }).credential),
    tokenType: token.accessTokenResponse.token_type,
    accessToken: token.accessTokenResponse.access_token,
    dpopKey,
    code: response.code,
    codeVerifier: init.pkce!.codeVerifier,
  };
}
