import { createHash, createPublicKey, verify as nodeVerify, type JsonWebKey } from 'node:crypto';
import { setGlobalConfig, type Jwk, type JwtSigner } from '@openid4vc/oauth2';
import { Openid4vpClient } from '@openid4vc/openid4vp';
import { DcqlQuery } from 'dcql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publicJwkOf } from '../../core/index.js';
import { createPresentation } from '../../holder/index.js';
import { PROFILES } from '../../schemas/index.js';
import { newDidKey } from './helpers.js';
import { createRequest, startVerifierApp, trustFor, verdictOf, walletWithCredential, type TestVerifierApp, type TestWallet } from './fixture.js';
import { startTestIssuer, type TestIssuer } from '../helpers/issuer.js';

/**
 * The other direction: an independent wallet stack (@openid4vc/openid4vp's Openid4vpClient)
 * parses and resolves the requests our verifier creates, and submits the answer to our response
 * endpoint with its own code. Only the SD-JWT+KB itself comes from our wallet.
 */

setGlobalConfig({ allowInsecureUrls: true });

describe('OpenID4VP interop: an independent client (@openid4vc/openid4vp) reads our requests and our verifier takes its submission', () => {
  let issuer: TestIssuer;
  let holder: TestWallet;
  let signed: TestVerifierApp;
  let plain: TestVerifierApp;
  const didKey = newDidKey();
  const didJwk = publicJwkOf(didKey.privateKey) as unknown as Jwk;

  const client = new Openid4vpClient({
    callbacks: {
      hash: (data, alg) => createHash(alg.replace('-', '').toLowerCase()).update(data).digest(),
      // Their wallet resolves the DID itself; here the DID is known to the test, so its key is looked up directly.
      verifyJwt: async (signer: JwtSigner, { compact }) => {
        if (signer.method !== 'did' || signer.didUrl !== didKey.signer.kid) return { verified: false };
        const [h, p, s] = compact.split('.') as [string, string, string];
        const ok = nodeVerify(null, Buffer.from(`${h}.${p}`), createPublicKey({ key: didJwk as JsonWebKey, format: 'jwk' }), Buffer.from(s, 'base64url'));
        return ok ? { verified: true, signerJwk: didJwk } : { verified: false };
      },
      signJwt: async () => {
        throw new Error('not used');
      },
      decryptJwe: async () => ({ decrypted: false }),
      encryptJwe: async () => {
        throw new Error('not used');
      },
    },
  });

  beforeAll(async () => {
    issuer = await startTestIssuer();
    holder = await walletWithCredential(issuer);
    const trust = await trustFor(issuer);
    signed = await startVerifierApp(trust, { didKey });
    plain = await startVerifierApp(trust);
  });
  afterAll(async () => {
    await signed?.close();
    await plain?.close();
    await holder?.close();
    await issuer?.close();
  });

  async function answerWithTheirClient(uri: string, created: Record<string, string>) {
    const parsed = client.parseOpenid4vpAuthorizationRequest({ authorizationRequest: uri });
    const resolved = await client.resolveOpenId4vpAuthorizationRequest({ authorizationRequestPayload: parsed.params });
    const payload = resolved.authorizationRequestPayload as Record<string, unknown> & { client_id: string; nonce: string; state?: string };
    expect(payload).toMatchObject({
      response_type: 'vp_token',
      response_mode: 'direct_post',
      client_id: created.client_id,
      response_uri: created.response_uri,
      state: created.state,
    });
    expect(payload.nonce.length).toBeGreaterThanOrEqual(22);
    expect(resolved.version).toBe(100);
    const query = DcqlQuery.parse(resolved.dcql!.query as DcqlQuery.Input);
    DcqlQuery.validate(query);

    const made = await createPresentation(holder.wallet, { dcql: query as never, aud: payload.client_id, nonce: payload.nonce });
    const response = await client.createOpenid4vpAuthorizationResponse({
      authorizationRequestPayload: resolved.authorizationRequestPayload,
      authorizationResponsePayload: { vp_token: made.vpToken as never },
    });
    const submitted = await client.submitOpenid4vpAuthorizationResponse({
      authorizationRequestPayload: resolved.authorizationRequestPayload as never,
      authorizationResponsePayload: response.authorizationResponsePayload,
    });
    return { resolved, status: submitted.response.status };
  }

  it('a decentralized_identifier request by request_uri: their client verifies our signed request object', async () => {
    const created = await createRequest(signed.url, { profile: 'upgraded' });
    const { resolved, status } = await answerWithTheirClient(created.uri!, created);
    expect(resolved.jar?.signer.method).toBe('did');
    expect(resolved.client.prefix).toBe('decentralized_identifier');
    expect(resolved.dcql!.query).toEqual(PROFILES.upgraded);
    expect(status).toBe(200);
    expect(await verdictOf(created)).toMatchObject({ status: 'valid', profile: 'upgraded' });
  });

  it('a redirect_uri request by value: their client accepts it; their response is verified by ours', async () => {
    const created = await createRequest(plain.url, { profile: 'lite' });
    expect(created.uri_by_value).toBeDefined();
    const { resolved, status } = await answerWithTheirClient(created.uri_by_value!, created);
    expect(resolved.jar).toBeUndefined();
    expect(resolved.client.prefix).toBe('redirect_uri');
    expect(status).toBe(200);
    expect(await verdictOf(created)).toMatchObject({ status: 'valid', profile: 'lite' });
  });
});
