import { createHash, generateKeyPairSync, randomBytes, sign as nodeSign } from 'node:crypto';
import express from 'express';
import { setGlobalConfig, type Jwk, type JwtSigner } from '@openid4vc/oauth2';
import { Openid4vpVerifier } from '@openid4vc/openid4vp';
import { DcqlPresentationResult } from 'dcql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { respondToRequest } from '../../holder/index.js';
import { profileClaimPaths, PROFILES, type ProfileName } from '../../schemas/index.js';
import { listen } from './helpers.js';
import { checkDcqlAnswer } from './peer-relying-party.js';
import { walletWithCredential, type TestWallet } from './fixture.js';
import { startTestIssuer, type TestIssuer } from '../helpers/issuer.js';

/**
 * An independent verifier: @openid4vc/openid4vp creates and parses, dcql checks the query,
 * @sd-jwt/core verifies the SD-JWT+KB, and node:crypto does the signatures. Nothing of ours.
 */

setGlobalConfig({ allowInsecureUrls: true });

// The verifier's own did:key (Ed25519), written out by hand from the multicodec spec.
const verifierKey = generateKeyPairSync('ed25519');
const verifierJwk = verifierKey.publicKey.export({ format: 'jwk' }) as Jwk;
function base58btc(bytes: Buffer): string {
  const alphabet = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';
  let n = BigInt(`0x${bytes.toString('hex')}`);
  let out = '';
  while (n > 0n) {
    out = alphabet[Number(n % 58n)]! + out;
    n /= 58n;
  }
  for (const b of bytes) {
    if (b !== 0) break;
    out = `1${out}`;
  }
  return out;
}
const verifierDid = `did:key:z${base58btc(Buffer.concat([Buffer.from([0xed, 0x01]), Buffer.from(verifierJwk.x as string, 'base64url')]))}`;
const verifierKid = `${verifierDid}#${verifierDid.slice('did:key:'.length)}`;

const verifier = new Openid4vpVerifier({
  callbacks: {
    hash: (data, alg) => createHash(alg.replace('-', '').toLowerCase()).update(data).digest(),
    signJwt: async (signer: JwtSigner, { header, payload }) => {
      const input = `${Buffer.from(JSON.stringify(header)).toString('base64url')}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}`;
      const sig = nodeSign(null, Buffer.from(input), verifierKey.privateKey).toString('base64url');
      expect(signer.method).toBe('did');
      return { jwt: `${input}.${sig}`, signerJwk: verifierJwk };
    },
    verifyJwt: async () => ({ verified: false }),
    decryptJwe: async () => ({ decrypted: false }),
    encryptJwe: async () => {
      throw new Error('not used');
    },
  },
});

type Outcome = { state: unknown; nonceOk: boolean; audOk: boolean; satisfied: boolean; claimNames: string[]; error?: string };

describe('OpenID4VP interop: an independent verifier (@openid4vc/openid4vp + dcql) accepts our wallet', () => {
  let issuer: TestIssuer;
  let holder: TestWallet;
  let base = '';
  let close: () => Promise<void>;
  const jars = new Map<string, string>();
  type RequestPayload = Awaited<ReturnType<Openid4vpVerifier['createOpenId4vpAuthorizationRequest']>>['authorizationRequestPayload'];
  const requests = new Map<string, RequestPayload>();
  const outcomes: Outcome[] = [];

  beforeAll(async () => {
    issuer = await startTestIssuer();
    holder = await walletWithCredential(issuer);
    const issuerJwk = issuer.ctx.didDocument.verificationMethod![0]!.publicKeyJwk as Record<string, unknown>;
    const app = express();
    app.get('/request/:id', (req, res) => {
      const jar = jars.get(req.params.id);
      if (!jar) return void res.status(404).end();
      res.type('application/oauth-authz-req+jwt').send(jar);
    });
    app.post('/response/:id', express.urlencoded({ extended: false }), async (req, res) => {
      const outcome: Outcome = { state: req.body.state, nonceOk: false, audOk: false, satisfied: false, claimNames: [] };
      outcomes.push(outcome);
      try {
        const requestPayload = requests.get(req.params.id)!;
        const parsed = await verifier.parseOpenid4vpAuthorizationResponse({
          authorizationResponse: req.body as Record<string, unknown>,
          authorizationRequestPayload: requestPayload,
          callbacks: { decryptJwe: async () => ({ decrypted: false }), verifyJwt: async () => ({ verified: false }) },
        });
        if (parsed.type !== 'dcql') throw new Error('not a DCQL response');
        const checked = await checkDcqlAnswer(parsed.dcql, { nonce: parsed.expectedNonce, clientId: requestPayload.client_id, issuerJwk });
        Object.assign(outcome, { nonceOk: checked.nonceOk, audOk: checked.audOk, claimNames: checked.claimNames, satisfied: checked.satisfied });
        const result = checked.result;
        DcqlPresentationResult.validate(result);
        res.json({});
      } catch (err) {
        outcome.error = (err as Error).message;
        res.status(400).json({ error: 'invalid_request', error_description: outcome.error });
      }
    });
    const srv = await listen(app);
    base = srv.url;
    close = srv.close;
  });
  afterAll(async () => {
    await close?.();
    await holder?.close();
    await issuer?.close();
  });

  /** Their unsigned lite request by value (redirect_uri client id), registered with our test endpoint. */
  async function liteByValue(id: string, state: string) {
    const created = await verifier.createOpenId4vpAuthorizationRequest({
      authorizationRequestPayload: {
        response_type: 'vp_token',
        client_id: `redirect_uri:${base}/response/${id}`,
        response_mode: 'direct_post',
        response_uri: `${base}/response/${id}`,
        nonce: randomBytes(24).toString('base64url'),
        state,
        dcql_query: PROFILES.lite,
      },
    });
    requests.set(id, created.authorizationRequestPayload);
    return created;
  }

  const names = (p: ProfileName) =>
    profileClaimPaths(p)
      .map((path) => String(path[0]))
      .sort();

  for (const profile of ['lite', 'upgraded'] as const) {
    it(`${profile}: signed request by request_uri (decentralized_identifier); DCQL satisfied, nonce, aud and state right`, async () => {
      const id = `${profile}-jar`;
      const nonce = randomBytes(24).toString('base64url');
      const state = randomBytes(24).toString('base64url');
      const created = await verifier.createOpenId4vpAuthorizationRequest({
        authorizationRequestPayload: {
          response_type: 'vp_token',
          client_id: `decentralized_identifier:${verifierDid}`,
          response_mode: 'direct_post',
          response_uri: `${base}/response/${id}`,
          nonce,
          state,
          dcql_query: PROFILES[profile],
        },
        jar: { requestUri: `${base}/request/${id}`, jwtSigner: { method: 'did', didUrl: verifierKid, alg: 'EdDSA' }, expiresInSeconds: 300 },
      });
      jars.set(id, created.jar!.authorizationRequestJwt);
      requests.set(id, created.authorizationRequestPayload);

      const before = outcomes.length;
      const result = await respondToRequest(holder.wallet, created.authorizationRequest);
      expect(result.request.clientId).toBe(`decentralized_identifier:${verifierDid}`);
      const outcome = outcomes[before]!;
      expect(outcome.error).toBeUndefined();
      expect(outcome).toMatchObject({ state, nonceOk: true, audOk: true, satisfied: true });
      expect(outcome.claimNames).toEqual(names(profile));
    });
  }

  it('lite: unsigned request by value (redirect_uri client id) is answered the same way', async () => {
    const state = randomBytes(24).toString('base64url');
    const created = await liteByValue('lite-by-value', state);
    const before = outcomes.length;
    await respondToRequest(holder.wallet, created.authorizationRequest);
    expect(outcomes[before]).toMatchObject({ state, nonceOk: true, audOk: true, satisfied: true, claimNames: names('lite') });
  });

  it('their response parser refuses our answer replayed under another state', async () => {
    const id = 'lite-replay';
    const created = await liteByValue(id, 'expected-state');
    const before = outcomes.length;
    const answered = await respondToRequest(holder.wallet, created.authorizationRequest);
    expect(outcomes[before]).toMatchObject({ satisfied: true });
    const res = await fetch(`${base}/response/${id}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ vp_token: JSON.stringify(answered.vpToken), state: 'another-state' }).toString(),
    });
    expect(res.status).toBe(400);
    expect(outcomes[before + 1]!.error).toMatch(/state/);
  });
});
