import { createHash, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';
import { clientAuthenticationAnonymous, type Jwk, type JwtSigner } from '@openid4vc/oauth2';
import { Openid4vciClient, setGlobalConfig } from '@openid4vc/openid4vci';

// Our issuer runs on http://127.0.0.1 in tests; the library only allows https otherwise.
setGlobalConfig({ allowInsecureUrls: true });

/** A holder key the independent wallet signs its proofs with (node:crypto, nothing of ours). */
export type PeerKey = { privateKey: KeyObject; publicJwk: Jwk; alg: 'ES256' | 'EdDSA' };

export function peerKey(alg: 'ES256' | 'EdDSA' = 'ES256'): PeerKey {
  const { privateKey, publicKey } = alg === 'ES256' ? generateKeyPairSync('ec', { namedCurve: 'prime256v1' }) : generateKeyPairSync('ed25519');
  const jwk = publicKey.export({ format: 'jwk' }) as Jwk;
  return { privateKey, publicJwk: jwk, alg };
}

const b64u = (v: string | Uint8Array) => Buffer.from(v).toString('base64url');

/** An OpenID4VCI wallet built only from @openid4vc/openid4vci + @openid4vc/oauth2 and node:crypto. */
export function peerClient(signingKey: () => PeerKey): Openid4vciClient {
  return new Openid4vciClient({
    callbacks: {
      fetch,
      hash: (data, alg) => createHash(alg.replace('-', '')).update(data).digest(),
      generateRandom: (n) => randomBytes(n),
      clientAuthentication: clientAuthenticationAnonymous(),
      signJwt: async (_signer: JwtSigner, { header, payload }) => {
        const key = signingKey();
        const input = `${b64u(JSON.stringify(header))}.${b64u(JSON.stringify(payload))}`;
        const sig =
          key.alg === 'ES256'
            ? sign('sha256', Buffer.from(input), { key: key.privateKey, dsaEncoding: 'ieee-p1363' })
            : sign(null, Buffer.from(input), key.privateKey);
        return { jwt: `${input}.${b64u(sig)}`, signerJwk: key.publicJwk };
      },
    },
  });
}

/** The full pre-authorized code flow with the independent client; returns the credential strings. */
export async function peerObtainCredential(offerUri: string, options: { txCode?: string; keys: PeerKey[]; configurationId?: string }): Promise<string[]> {
  let current = options.keys[0]!;
  const client = peerClient(() => current);
  const offer = await client.resolveCredentialOffer(offerUri);
  const issuerMetadata = await client.resolveIssuerMetadata(offer.credential_issuer);
  const { accessTokenResponse } = await client.retrievePreAuthorizedCodeAccessTokenFromOffer({
    credentialOffer: offer,
    issuerMetadata,
    txCode: options.txCode,
  });
  const { c_nonce } = await client.requestNonce({ issuerMetadata });
  const configurationId = options.configurationId ?? offer.credential_configuration_ids[0]!;
  const jwts: string[] = [];
  for (const key of options.keys) {
    current = key;
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
    accessToken: accessTokenResponse.access_token,
    credentialConfigurationId: configurationId,
    proofs: { jwt: jwts },
  });
  const credentials = res.credentialResponse.credentials ?? [];
  return credentials.map((c) => (c as { credential: string }).credential);
}
