import { createHash, generateKeyPairSync, randomBytes, sign as nodeSign } from 'node:crypto';
import express from 'express';
import { setGlobalConfig, type Jwk, type JwtSigner } from '@openid4vc/oauth2';
import { Openid4vpVerifier } from '@openid4vc/openid4vp';
import { compactDecrypt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { respondToRequest } from '../../holder/index.js';
import { profileClaimPaths, PROFILES } from '../../schemas/index.js';
import { listen } from './helpers.js';
import { checkDcqlAnswer } from './peer-relying-party.js';
import { walletWithCredential, type TestWallet } from './fixture.js';
import { verifierPki, type VerifierPki } from './x509-fixture.js';
import { startTestIssuer, type TestIssuer } from '../helpers/issuer.js';

/**
 * netcred's wallet answers an independent verifier's HAIP request: @openid4vc/openid4vp creates
 * the signed x509_san_dns request (x5c, DCQL, direct_post.jwt with its own ECDH-ES key) and
 * parses the answer (decryption through jose, the SD-JWT+KB verified by @sd-jwt/core, the
 * query by dcql). The request is served from a small HTTP server on 127.0.0.1, named localhost.
 */

setGlobalConfig({ allowInsecureUrls: true });

type Outcome = {
  mode?: string;
  enc?: unknown;
  kid?: unknown;
  state?: unknown;
  nonceOk: boolean;
  audOk: boolean;
  satisfied: boolean;
  claimNames: string[];
  error?: string;
};

describe('OpenID4VP HAIP interop: our wallet answers an independent verifier (signed x509_san_dns request, DCQL, direct_post.jwt)', () => {
  let issuer: TestIssuer;
  let holder: TestWallet;
  let pki: VerifierPki;
  let base = '';
  let close: () => Promise<void>;
  const jars = new Map<string, string>();
  const requests = new Map<string, { payload: Record<string, unknown>; decryptionKey: ReturnType<typeof generateKeyPairSync>['privateKey'] }>();
  const outcomes: Outcome[] = [];

  const verifier = new Openid4vpVerifier({
    callbacks: {
      hash: (data, alg) => createHash(alg.replace('-', '').toLowerCase()).update(data).digest(),
      signJwt: async (signer: JwtSigner, { header, payload }) => {
        expect(signer.method).toBe('x5c');
        const input = `${Buffer.from(JSON.stringify(header)).toString('base64url')}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}`;
        const sig = nodeSign('sha256', Buffer.from(input), { key: pki.leaf.privateKey, dsaEncoding: 'ieee-p1363' }).toString('base64url');
        return { jwt: `${input}.${sig}`, signerJwk: pki.leaf.certificate.publicKey.export({ format: 'jwk' }) as Jwk };
      },
      verifyJwt: async () => ({ verified: false }),
      decryptJwe: async () => ({ decrypted: false }),
      encryptJwe: async () => {
        throw new Error('not used');
      },
    },
  });

  beforeAll(async () => {
    issuer = await startTestIssuer();
    holder = await walletWithCredential(issuer);
    pki = await verifierPki('localhost', 'Registry Office');
    const issuerJwk = issuer.ctx.didDocument.verificationMethod![0]!.publicKeyJwk as Record<string, unknown>;
    const app = express();
    const sendJar = (req: express.Request, res: express.Response) => {
      const jar = jars.get(String(req.params.id));
      if (!jar) return void res.status(404).end();
      res.type('application/oauth-authz-req+jwt').send(jar);
    };
    app.get('/request/:id', sendJar);
    app.post('/request/:id', express.urlencoded({ extended: false }), sendJar);
    app.post('/response/:id', express.urlencoded({ extended: false }), async (req, res) => {
      const outcome: Outcome = { nonceOk: false, audOk: false, satisfied: false, claimNames: [] };
      outcomes.push(outcome);
      try {
        const { payload: requestPayload, decryptionKey } = requests.get(req.params.id)!;
        const parsed = await verifier.parseOpenid4vpAuthorizationResponse({
          authorizationResponse: req.body as Record<string, unknown>,
          authorizationRequestPayload: requestPayload as never,
          callbacks: {
            decryptJwe: async (jwe, options) => {
              const { plaintext } = await compactDecrypt(jwe, decryptionKey, {
                keyManagementAlgorithms: ['ECDH-ES'],
                contentEncryptionAlgorithms: ['A128GCM', 'A256GCM'],
              });
              return { decrypted: true, decryptionJwk: options!.jwk!, payload: new TextDecoder().decode(plaintext) };
            },
            verifyJwt: async () => ({ verified: false }),
          },
        });
        outcome.mode = parsed.jarm?.type;
        // Their parsed header keeps the JWT members only; enc is read from the JWE itself.
        outcome.enc = (
          JSON.parse(Buffer.from(String((req.body as Record<string, string>).response).split('.')[0]!, 'base64url').toString()) as Record<string, unknown>
        ).enc;
        outcome.kid = parsed.jarm?.jarmHeader.kid;
        outcome.state = parsed.authorizationResponsePayload.state;
        if (parsed.type !== 'dcql') throw new Error('not a DCQL response');
        const checked = await checkDcqlAnswer(parsed.dcql, { nonce: parsed.expectedNonce, clientId: requestPayload.client_id, issuerJwk });
        Object.assign(outcome, { nonceOk: checked.nonceOk, audOk: checked.audOk, claimNames: checked.claimNames, satisfied: checked.satisfied });
        res.json({});
      } catch (err) {
        outcome.error = (err as Error).message;
        res.status(400).json({ error: 'invalid_request', error_description: outcome.error });
      }
    });
    const srv = await listen(app);
    base = srv.url.replace('127.0.0.1', 'localhost');
    close = srv.close;
  });
  afterAll(async () => {
    await close?.();
    await holder?.close();
    await issuer?.close();
  });

  /** Their HAIP request: x5c-signed JAR by reference, x509_san_dns, direct_post.jwt to a fresh ECDH-ES key. */
  async function theirRequest(profile: 'lite' | 'upgraded', enc: 'A128GCM' | 'A256GCM') {
    const id = randomBytes(8).toString('hex');
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    const encJwk = { ...(publicKey.export({ format: 'jwk' }) as Jwk), use: 'enc', alg: 'ECDH-ES', kid: `enc-${id}` };
    const created = await verifier.createOpenId4vpAuthorizationRequest({
      authorizationRequestPayload: {
        response_type: 'vp_token',
        client_id: 'x509_san_dns:localhost',
        response_mode: 'direct_post.jwt',
        response_uri: `${base}/response/${id}`,
        nonce: randomBytes(24).toString('base64url'),
        state: randomBytes(24).toString('base64url'),
        dcql_query: PROFILES[profile],
        client_metadata: {
          vp_formats_supported: { 'dc+sd-jwt': { 'sd-jwt_alg_values': ['ES256', 'EdDSA'], 'kb-jwt_alg_values': ['ES256', 'EdDSA'] } },
          jwks: { keys: [encJwk] },
          encrypted_response_enc_values_supported: [enc],
        },
      } as never,
      jar: {
        requestUri: `${base}/request/${id}`,
        jwtSigner: { method: 'x5c', x5c: pki.chain.map((c) => c.raw.toString('base64')), alg: 'ES256' },
        expiresInSeconds: 300,
      },
    });
    jars.set(id, created.jar!.authorizationRequestJwt);
    requests.set(id, { payload: created.authorizationRequestPayload as Record<string, unknown>, decryptionKey: privateKey });
    return { created, id };
  }

  const names = (p: 'lite' | 'upgraded') =>
    profileClaimPaths(p)
      .map((path) => String(path[0]))
      .sort();

  for (const [profile, enc] of [
    ['lite', 'A128GCM'],
    ['upgraded', 'A256GCM'],
  ] as const) {
    it(`${profile} with ${enc}: our wallet verifies their x5c chain, encrypts to their key, and their parser accepts the answer`, async () => {
      const { created, id } = await theirRequest(profile, enc);
      const before = outcomes.length;
      const result = await respondToRequest(holder.wallet, created.authorizationRequest, { trustedRoots: [pki.root.certificate] });
      expect(result.request).toMatchObject({ clientId: 'x509_san_dns:localhost', responseMode: 'direct_post.jwt', verifierName: 'Registry Office' });
      const outcome = outcomes[before]!;
      expect(outcome.error).toBeUndefined();
      expect(outcome).toMatchObject({
        mode: 'Encrypted',
        enc,
        kid: `enc-${id}`,
        state: (created.authorizationRequestPayload as { state: string }).state,
        nonceOk: true,
        audOk: true,
        satisfied: true,
      });
      expect(outcome.claimNames).toEqual(names(profile));
    });
  }

  it('our wallet refuses their request when it does not trust their root, and sends nothing', async () => {
    const { created } = await theirRequest('lite', 'A128GCM');
    const other = await verifierPki('localhost');
    const before = outcomes.length;
    await expect(respondToRequest(holder.wallet, created.authorizationRequest, { trustedRoots: [other.root.certificate] })).rejects.toMatchObject({
      code: 'X509_UNTRUSTED',
    });
    expect(outcomes.length).toBe(before);
  });
});
