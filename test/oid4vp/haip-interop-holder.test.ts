import { createHash, verify as nodeVerify, X509Certificate } from 'node:crypto';
import { setGlobalConfig, type Jwk, type JweEncryptor, type JwtSigner } from '@openid4vc/oauth2';
import { Openid4vpClient } from '@openid4vc/openid4vp';
import { CompactEncrypt, importJWK } from 'jose';
import { DcqlQuery } from 'dcql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPresentation } from '../../holder/index.js';
import { PROFILES } from '../../schemas/index.js';
import { createRequest, trustFor, verdictOf, walletWithCredential, type TestWallet } from './fixture.js';
import { startHaipVerifier, type HaipVerifierApp } from './haip-fixture.js';
import { sanDnsNames, verifierPki, type VerifierPki } from './x509-fixture.js';
import { startTestIssuer, type TestIssuer } from '../helpers/issuer.js';

/**
 * An independent wallet stack (@openid4vc/openid4vp's Openid4vpClient, with jose for the JWE
 * and node:crypto for the certificates) answers netcred's verifier in HAIP mode: a signed
 * x509_san_dns request fetched by request_uri (POST), answered with direct_post.jwt. Only the
 * SD-JWT+KB inside comes from our wallet.
 */

setGlobalConfig({ allowInsecureUrls: true });

describe('OpenID4VP HAIP interop: an independent client answers our x509_san_dns request with direct_post.jwt', () => {
  let issuer: TestIssuer;
  let holder: TestWallet;
  let pki: VerifierPki;
  let app: HaipVerifierApp;
  const chainChecks: string[] = [];

  /** Their wallet leaves the chain to its callback: each certificate signed by the next, the last by the trusted root. */
  function chainTrusted(x5c: string[]): X509Certificate | undefined {
    const certs = x5c.map((c) => new X509Certificate(Buffer.from(c, 'base64')));
    for (let i = 0; i + 1 < certs.length; i++) if (!certs[i]!.verify(certs[i + 1]!.publicKey) || certs[i]!.issuer !== certs[i + 1]!.subject) return undefined;
    const last = certs[certs.length - 1]!;
    if (!last.verify(pki.root.certificate.publicKey)) return undefined;
    const now = Date.now();
    if (certs.some((c) => Date.parse(c.validFrom) > now || Date.parse(c.validTo) < now)) return undefined;
    return certs[0];
  }

  const client = new Openid4vpClient({
    callbacks: {
      hash: (data, alg) => createHash(alg.replace('-', '').toLowerCase()).update(data).digest(),
      verifyJwt: async (signer: JwtSigner, { compact }) => {
        if (signer.method !== 'x5c') return { verified: false };
        const leaf = chainTrusted(signer.x5c);
        chainChecks.push(leaf ? 'trusted' : 'untrusted');
        if (!leaf) return { verified: false };
        const [h, p, s] = compact.split('.') as [string, string, string];
        const ok = nodeVerify('sha256', Buffer.from(`${h}.${p}`), { key: leaf.publicKey, dsaEncoding: 'ieee-p1363' }, Buffer.from(s, 'base64url'));
        return ok ? { verified: true, signerJwk: leaf.publicKey.export({ format: 'jwk' }) as Jwk } : { verified: false };
      },
      getX509CertificateMetadata: (certificate: string) => ({
        sanDnsNames: sanDnsNames(new X509Certificate(Buffer.from(certificate, 'base64'))),
        sanUriNames: [],
      }),
      encryptJwe: async (encryptor: JweEncryptor, data: string) => {
        const key = await importJWK(encryptor.publicJwk as Parameters<typeof importJWK>[0], encryptor.alg);
        const jwe = new CompactEncrypt(new TextEncoder().encode(data)).setProtectedHeader({
          alg: encryptor.alg,
          enc: encryptor.enc,
          ...(encryptor.publicJwk.kid ? { kid: encryptor.publicJwk.kid } : {}),
        });
        if (encryptor.apu || encryptor.apv) {
          jwe.setKeyManagementParameters({
            ...(encryptor.apu ? { apu: Buffer.from(encryptor.apu, 'base64url') } : {}),
            ...(encryptor.apv ? { apv: Buffer.from(encryptor.apv, 'base64url') } : {}),
          });
        }
        return { encryptionJwk: encryptor.publicJwk, jwe: await jwe.encrypt(key) };
      },
      signJwt: async () => {
        throw new Error('not used');
      },
      decryptJwe: async () => ({ decrypted: false }),
    },
  });

  beforeAll(async () => {
    issuer = await startTestIssuer();
    holder = await walletWithCredential(issuer);
    pki = await verifierPki('localhost', 'Bank Branch 12');
    app = await startHaipVerifier(await trustFor(issuer), pki);
  });
  afterAll(async () => {
    await app?.close();
    await holder?.close();
    await issuer?.close();
  });

  for (const enc of ['A128GCM', 'A256GCM'] as const) {
    it(`their client resolves the signed request (x5c, request_uri_method=post), encrypts with ECDH-ES + ${enc}, and our verifier accepts it`, async () => {
      const created = await createRequest(app.url, { profile: 'upgraded' });
      const parsed = client.parseOpenid4vpAuthorizationRequest({ authorizationRequest: created.uri! });
      const resolved = await client.resolveOpenId4vpAuthorizationRequest({ authorizationRequestPayload: parsed.params });
      expect(app.hits).toContain(`POST /oid4vp/requests/${created.id}`);
      expect(chainChecks.at(-1)).toBe('trusted');
      expect(resolved.client.prefix).toBe('x509_san_dns');
      expect(resolved.jar?.signer.method).toBe('x5c');
      const payload = resolved.authorizationRequestPayload as Record<string, unknown> & { client_id: string; nonce: string };
      expect(payload).toMatchObject({ client_id: 'x509_san_dns:localhost', response_mode: 'direct_post.jwt', state: created.state });
      const query = DcqlQuery.parse(resolved.dcql!.query as DcqlQuery.Input);
      DcqlQuery.validate(query);
      expect(resolved.dcql!.query).toEqual(PROFILES.upgraded);

      const made = await createPresentation(holder.wallet, { dcql: query as never, aud: payload.client_id, nonce: payload.nonce });
      const response = await client.createOpenid4vpAuthorizationResponse({
        authorizationRequestPayload: resolved.authorizationRequestPayload,
        authorizationResponsePayload: { vp_token: made.vpToken as never },
        jarm: {
          encryption: { nonce: 'their-wallet-nonce' },
          serverMetadata: {
            authorization_signing_alg_values_supported: ['ES256'],
            authorization_encryption_alg_values_supported: ['ECDH-ES'],
            authorization_encryption_enc_values_supported: [enc],
          },
        },
      });
      expect(response.jarm?.responseJwt.split('.')).toHaveLength(5);
      const header = JSON.parse(Buffer.from(response.jarm!.responseJwt.split('.')[0]!, 'base64url').toString()) as Record<string, unknown>;
      expect(header).toMatchObject({ alg: 'ECDH-ES', enc, kid: created.id });
      const submitted = await client.submitOpenid4vpAuthorizationResponse({
        authorizationRequestPayload: resolved.authorizationRequestPayload as never,
        authorizationResponsePayload: response.authorizationResponsePayload,
        jarm: { responseJwt: response.jarm!.responseJwt },
      });
      expect(submitted.responseMode).toBe('direct_post.jwt');
      expect(submitted.response.status).toBe(200);
      expect(await verdictOf(created)).toMatchObject({ status: 'valid', profile: 'upgraded' });
    });
  }

  it('their client refuses our request when it does not trust our root; our verifier refuses their answer in the clear', async () => {
    const created = await createRequest(app.url, { profile: 'lite' });
    const saved = pki.root;
    const parsed = client.parseOpenid4vpAuthorizationRequest({ authorizationRequest: created.uri! });
    const other = await verifierPki('localhost');
    pki = { ...pki, root: other.root };
    await expect(client.resolveOpenId4vpAuthorizationRequest({ authorizationRequestPayload: parsed.params })).rejects.toThrow();
    pki = { ...pki, root: saved };

    const resolved = await client.resolveOpenId4vpAuthorizationRequest({ authorizationRequestPayload: parsed.params });
    const payload = resolved.authorizationRequestPayload as { client_id: string; nonce: string };
    const made = await createPresentation(holder.wallet, { dcql: PROFILES.lite, aud: payload.client_id, nonce: payload.nonce });
    // Their plain direct_post submission (no jarm) to a request that asked for direct_post.jwt.
    const submitted = await client.submitOpenid4vpAuthorizationResponse({
      authorizationRequestPayload: { ...(resolved.authorizationRequestPayload as object), response_mode: 'direct_post' } as never,
      authorizationResponsePayload: { vp_token: made.vpToken as never, state: created.state } as never,
    });
    expect(submitted.response.status).toBe(400);
    expect(await verdictOf(created)).toMatchObject({ status: 'invalid', code: 'RESPONSE_ENCRYPTION_REQUIRED' });
  });
});
