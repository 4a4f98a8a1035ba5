import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeCompact, resolvePublicKey } from '../../core/index.js';
import { RESIDENT_IDENTITY_VCT } from '../../schemas/index.js';
import { verifySdJwt } from '../../verifier/index.js';
import { startTestIssuer, type TestIssuer } from '../helpers/issuer.js';
import { approvingBrowser, decide, enrollForCode, openAuthorizationPage, reloadAuthorizationPage } from './haip-helpers.js';
import { PeerKeyring, peerAuthorizationCodeFlow, peerWalletAttestation } from './haip-peer.js';
import { countRows, tokenRequest } from './helpers.js';
import { peerKey } from './peer-wallet.js';

const REDIRECT = 'https://wallet.example/cb';

const thumbprint = (jwk: Record<string, unknown>) =>
  createHash('sha256')
    .update(JSON.stringify({ crv: jwk.crv, kty: jwk.kty, x: jwk.x, y: jwk.y }))
    .digest('base64url');

async function verified(issuer: TestIssuer, credential: string) {
  const { header, payload } = decodeCompact(credential.split('~')[0]!);
  const { key } = await resolvePublicKey(issuer.ctx.resolver, payload.iss as string, header.kid);
  return verifySdJwt(credential, { issuerKey: key, keyBinding: { required: false } });
}

describe('HAIP issuer with the independent wallet (@openid4vc/openid4vci + @openid4vc/oauth2): authorization code + PKCE + PAR + DPoP', () => {
  let issuer: TestIssuer;
  beforeAll(async () => {
    issuer = await startTestIssuer({ alg: 'ES256', oauth: { haip: true } });
  });
  afterAll(async () => {
    await issuer?.close();
  });

  it('publishes complete authorization server and credential issuer metadata', async () => {
    const as = (await (await fetch(`${issuer.url}/.well-known/oauth-authorization-server`)).json()) as Record<string, unknown>;
    expect(as).toMatchObject({
      issuer: issuer.url,
      authorization_endpoint: `${issuer.url}/oid4vci/authorize`,
      pushed_authorization_request_endpoint: `${issuer.url}/oid4vci/par`,
      require_pushed_authorization_requests: true,
      token_endpoint: `${issuer.url}/oid4vci/token`,
      response_types_supported: ['code'],
      grant_types_supported: ['urn:ietf:params:oauth:grant-type:pre-authorized_code', 'authorization_code'],
      code_challenge_methods_supported: ['S256'],
      authorization_response_iss_parameter_supported: true,
      dpop_signing_alg_values_supported: ['ES256', 'EdDSA'],
      token_endpoint_auth_methods_supported: ['none'],
    });
    const md = (await (await fetch(`${issuer.url}/.well-known/openid-credential-issuer`)).json()) as {
      credential_configurations_supported: Record<string, Record<string, unknown>>;
    };
    const conf = md.credential_configurations_supported.resident_identity_sd_jwt!;
    expect(conf).toMatchObject({ scope: 'resident_identity_sd_jwt', cryptographic_binding_methods_supported: ['jwk', 'did:key', 'did:jwk'] });
    expect(conf.proof_types_supported).toEqual({ jwt: { proof_signing_alg_values_supported: ['ES256', 'EdDSA'] } });
  });

  it('issues a credential bound to the proof key, with a DPoP token bound to the flow key, after the enrollment point approves', async () => {
    const enrollment = await enrollForCode(issuer);
    const before = await countRows(issuer.ctx, 'issuance_record');
    const proof = peerKey('ES256');
    const result = await peerAuthorizationCodeFlow(enrollment.offer, {
      clientId: 'peer-wallet',
      redirectUri: REDIRECT,
      authorize: approvingBrowser(issuer),
      proofKeys: [proof],
    });
    expect(result.tokenType).toBe('DPoP');
    expect(result.credentials).toHaveLength(1);
    expect(await countRows(issuer.ctx, 'issuance_record')).toBe(before + 1);
    const sdjwt = await verified(issuer, result.credentials[0]!);
    expect(sdjwt.claims.vct).toBe(RESIDENT_IDENTITY_VCT);
    expect(sdjwt.holderJwk?.x).toBe(proof.publicJwk.x);
    // the token was bound (cnf.jkt, kept server side for this opaque token) to the wallet's DPoP key
    const [row] = (await issuer.ctx.dataSource.query(
      `SELECT "dpop_jkt", "used_at" FROM "oid4vci_access_token" WHERE "authorization_id" IS NOT NULL ORDER BY "created_at" DESC LIMIT 1`,
    )) as { dpop_jkt: string; used_at: number | null }[];
    expect(row!.dpop_jkt).toBe(thumbprint(result.dpopKey!.publicJwk));
    expect(row!.used_at).not.toBeNull();
    // the enrollment is spent and its claims erased
    const [offer] = (await issuer.ctx.dataSource.query(`SELECT "state", "claims_sealed" FROM "oid4vci_offer" WHERE "id" = ?`, [
      enrollment.offerId,
    ])) as unknown[];
    expect(offer).toEqual({ state: 'issued', claims_sealed: null });
  });

  it('a denied request sends the browser back with access_denied, state and iss', async () => {
    const enrollment = await enrollForCode(issuer);
    await expect(
      peerAuthorizationCodeFlow(enrollment.offer, {
        clientId: 'peer-wallet',
        redirectUri: REDIRECT,
        authorize: async (url) => {
          const page = await openAuthorizationPage(url);
          expect((await decide(issuer, page.id, 'deny')).status).toBe(200);
          const back = await reloadAuthorizationPage(page);
          expect(back.status).toBe(303);
          const location = new URL(back.headers.get('location')!);
          expect(location.origin + location.pathname).toBe(REDIRECT);
          expect(location.searchParams.get('error')).toBe('access_denied');
          expect(location.searchParams.get('iss')).toBe(issuer.url);
          return location.href;
        },
      }),
    ).rejects.toThrow(/no code/);
  });
});

describe('the authorization code flow without HAIP (authorizationCode on), with the independent wallet', () => {
  let issuer: TestIssuer;
  beforeAll(async () => {
    issuer = await startTestIssuer({ alg: 'ES256', oauth: { authorizationCode: true } });
  });
  afterAll(async () => {
    await issuer?.close();
  });

  it('PAR is offered, not required; a wallet without DPoP gets a Bearer token', async () => {
    const as = (await (await fetch(`${issuer.url}/.well-known/oauth-authorization-server`)).json()) as Record<string, unknown>;
    expect(as.require_pushed_authorization_requests).toBe(false);
    const enrollment = await enrollForCode(issuer);
    const result = await peerAuthorizationCodeFlow(enrollment.offer, {
      clientId: 'peer-wallet',
      redirectUri: REDIRECT,
      authorize: approvingBrowser(issuer),
      dpop: false,
    });
    expect(result.tokenType).toBe('Bearer');
    expect(result.credentials).toHaveLength(1);
  });

  it('approving spends the enrollment: its pre-authorized code stops working', async () => {
    const enrollment = await enrollForCode(issuer, 'both');
    const code = (JSON.parse(new URL(enrollment.offer).searchParams.get('credential_offer')!) as { grants: Record<string, Record<string, string>> }).grants[
      'urn:ietf:params:oauth:grant-type:pre-authorized_code'
    ]!['pre-authorized_code']!;
    const result = await peerAuthorizationCodeFlow(enrollment.offer, {
      clientId: 'peer-wallet',
      redirectUri: REDIRECT,
      authorize: approvingBrowser(issuer, enrollment.offerId),
    });
    expect(result.credentials).toHaveLength(1);
    const res = await tokenRequest(issuer.url, { grant_type: 'urn:ietf:params:oauth:grant-type:pre-authorized_code', 'pre-authorized_code': code });
    expect([res.status, ((await res.json()) as { error: string }).error]).toEqual([400, 'invalid_grant']);
  });
});

describe('wallet attestation required (OAuth 2.0 Attestation-Based Client Authentication), with the independent wallet', () => {
  let issuer: TestIssuer;
  const keyring = new PeerKeyring();
  const provider = keyring.make('ES256');
  beforeAll(async () => {
    issuer = await startTestIssuer({
      alg: 'ES256',
      oauth: {
        haip: true,
        walletAttestation: 'required',
        walletProviderKeys: [{ kty: 'EC', crv: 'P-256', x: provider.publicJwk.x!, y: provider.publicJwk.y! }],
      },
    });
  });
  afterAll(async () => {
    await issuer?.close();
  });

  it('advertises attest_jwt_client_auth and completes the flow with an attestation from a trusted wallet provider', async () => {
    const as = (await (await fetch(`${issuer.url}/.well-known/oauth-authorization-server`)).json()) as Record<string, unknown>;
    expect(as.token_endpoint_auth_methods_supported).toEqual(['attest_jwt_client_auth']);
    expect(as['pre-authorized_grant_anonymous_access_supported']).toBe(false);
    const { jwt } = await peerWalletAttestation(keyring, provider, 'attested-wallet');
    const enrollment = await enrollForCode(issuer);
    const result = await peerAuthorizationCodeFlow(
      enrollment.offer,
      { clientId: 'attested-wallet', redirectUri: REDIRECT, authorize: approvingBrowser(issuer), attestation: jwt },
      keyring,
    );
    expect(result.credentials).toHaveLength(1);
    expect(result.tokenType).toBe('DPoP');
  });

  it('refuses a wallet without an attestation, or attested by a provider it does not trust: invalid_client', async () => {
    const enrollment = await enrollForCode(issuer);
    const authorize = approvingBrowser(issuer);
    await expect(peerAuthorizationCodeFlow(enrollment.offer, { clientId: 'attested-wallet', redirectUri: REDIRECT, authorize })).rejects.toMatchObject({
      errorResponse: { error: 'invalid_client' },
    });
    const rogue = new PeerKeyring();
    const { jwt } = await peerWalletAttestation(rogue, rogue.make('ES256'), 'attested-wallet');
    await expect(
      peerAuthorizationCodeFlow(enrollment.offer, { clientId: 'attested-wallet', redirectUri: REDIRECT, authorize, attestation: jwt }, rogue),
    ).rejects.toMatchObject({
      errorResponse: { error: 'invalid_client', error_description: expect.stringMatching(/trusted wallet provider/) },
    });
  });
});
