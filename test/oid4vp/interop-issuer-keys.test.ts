import {
  createHash,
  createPublicKey,
  generateKeyPairSync,
  randomBytes,
  verify as nodeVerify,
  X509Certificate,
  type JsonWebKey,
  type KeyObject,
} from 'node:crypto';
import express from 'express';
import { decodeJwt, jwtSignerFromJwt, setGlobalConfig, zJwkSet } from '@openid4vc/oauth2';
import { Openid4vpVerifier } from '@openid4vc/openid4vp';
import { SDJwtVcInstance } from '@sd-jwt/sd-jwt-vc';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { respondToRequest } from '../../holder/index.js';
import { createCertificateAuthority } from '../../core/index.js';
import { issueCredential, issuerCertificateChain } from '../../issuer/index.js';
import { profileClaimPaths, PROFILES, sampleIdentityClaims } from '../../schemas/index.js';
import { startTestIssuer, type TestIssuer } from '../helpers/issuer.js';
import { walletWithCredential, type TestWallet } from './fixture.js';
import { listen } from './helpers.js';

/**
 * An independent relying party verifies netcred presentations with netcred's issuer keys found
 * the two standard SD-JWT VC ways, nothing of ours on its side:
 *
 * - @openid4vc/openid4vp, unmodified, creates the request and parses the answer. It does not
 *   resolve credential issuer keys itself (0.4.6 has no code for it: the vp_token comes back
 *   parsed, and verifying the credentials is the relying party's); its sibling
 *   @openid4vc/oauth2 tells which key mechanism a JWT uses (`jwtSignerFromJwt`: `x5c`, or
 *   none it knows for an https `iss` with a `kid`) and validates a JWK Set (`zJwkSet`).
 * - @sd-jwt/sd-jwt-vc verifies the SD-JWT VC, its KB-JWT and its status list token (fetched
 *   from the issuer), asking for each issuer signature the key found here:
 *   - `x5c`: the chain validated with node:crypto's X509Certificate against the development
 *     root the relying party was given (`netcred issuer cert --show`), its leaf naming `iss`;
 *   - an https `iss` (without x5c): JWT VC Issuer Metadata fetched from
 *     `https://host/.well-known/jwt-vc-issuer/path`, its `issuer` identical to `iss`, the key by `kid`.
 *
 * A did:key credential has neither, and this relying party resolves no DIDs: it cannot find
 * the key (a relying party that tried JWT VC Issuer Metadata for it would ask for
 * `new URL('did:key:...').origin` + `/.well-known/jwt-vc-issuer`, that is "null/.well-known/...",
 * the failure issue 13 reported).
 */

setGlobalConfig({ allowInsecureUrls: true });

const hasher = (data: string | ArrayBuffer, alg: string) =>
  createHash(alg.replace('-', '').toLowerCase())
    .update(typeof data === 'string' ? data : Buffer.from(data))
    .digest();

function verifyWith(key: KeyObject, data: string, sigB64u: string): boolean {
  const ec = key.asymmetricKeyType === 'ec';
  return nodeVerify(ec ? 'sha256' : null, Buffer.from(data), ec ? { key, dsaEncoding: 'ieee-p1363' } : key, Buffer.from(sigB64u, 'base64url'));
}

/** The relying party's own X.509 path check (node:crypto only): order, signatures, CA flags, validity, root, SAN. */
function keyFromX5c(x5c: string[], iss: string, roots: X509Certificate[]): KeyObject {
  const chain = x5c.map((c) => new X509Certificate(Buffer.from(c, 'base64')));
  const now = Date.now();
  const valid = (c: X509Certificate) => now >= Date.parse(c.validFrom) && now <= Date.parse(c.validTo);
  for (let i = 0; i < chain.length; i++) {
    const cert = chain[i]!;
    if (!valid(cert)) throw new Error(`x5c[${i}] is not valid now`);
    const next = chain[i + 1];
    if (next && !(next.ca && cert.checkIssued(next) && cert.verify(next.publicKey))) throw new Error(`x5c[${i}] is not issued by x5c[${i + 1}]`);
  }
  const last = chain[chain.length - 1]!;
  const root = roots.find((r) => r.ca && valid(r) && last.checkIssued(r) && last.verify(r.publicKey));
  if (!root) throw new Error('the chain does not end at a trusted root');
  const leaf = chain[0]!;
  if (leaf.ca) throw new Error('the leaf is a CA');
  const names = (leaf.subjectAltName ?? '').split(', ');
  if (!names.includes(`URI:${iss}`) && !(iss.startsWith('https:') && leaf.checkHost(new URL(iss).hostname))) throw new Error(`the leaf does not name ${iss}`);
  return leaf.publicKey;
}

/** JWT VC Issuer Metadata, fetched as the SD-JWT VC draft says (well-known between host and path). */
async function keyFromMetadata(iss: string, kid: string | undefined): Promise<KeyObject> {
  const url = new URL(iss);
  const where = `${url.origin}/.well-known/jwt-vc-issuer${url.pathname === '/' ? '' : url.pathname.replace(/\/$/, '')}`;
  const res = await fetch(where);
  if (!res.ok) throw new Error(`GET ${where} answered ${res.status}`);
  const metadata = (await res.json()) as { issuer?: unknown; jwks?: unknown };
  if (metadata.issuer !== iss) throw new Error(`metadata issuer ${String(metadata.issuer)} is not ${iss}`);
  const jwks = zJwkSet.parse(metadata.jwks);
  const jwk = jwks.keys.find((k) => k.kid === kid) ?? (kid === undefined && jwks.keys.length === 1 ? jwks.keys[0] : undefined);
  if (!jwk) throw new Error(`no key ${String(kid)} in the metadata`);
  return createPublicKey({ key: jwk as JsonWebKey, format: 'jwk' });
}

/** The issuer key of an issuer-signed JWT (a credential or a status list token), the standard ways. */
async function issuerKeyOf(signingInput: string, roots: X509Certificate[]): Promise<KeyObject> {
  const { header, payload } = decodeJwt({ jwt: `${signingInput}.x` });
  const iss = payload.iss;
  if (typeof iss !== 'string') throw new Error('no iss');
  const signer = jwtSignerFromJwt({ header, payload, allowedSignerMethods: ['x5c', 'custom'] });
  if (signer.method === 'x5c') return keyFromX5c(signer.x5c, iss, roots);
  return keyFromMetadata(iss, header.kid);
}

function relyingPartySdJwt(roots: X509Certificate[], mechanisms: string[]) {
  return new SDJwtVcInstance({
    hasher,
    verifier: async (data: string, sig: string) => {
      mechanisms.push(JSON.parse(Buffer.from(data.split('.')[0]!, 'base64url').toString()).x5c ? 'x5c' : 'metadata');
      return verifyWith(await issuerKeyOf(data, roots), data, sig);
    },
    kbVerifier: async (data: string, sig: string, payload: Record<string, unknown>) =>
      verifyWith(createPublicKey({ key: (payload.cnf as { jwk: JsonWebKey }).jwk, format: 'jwk' }), data, sig),
  });
}

const verifier = new Openid4vpVerifier({
  callbacks: {
    hash: (data, alg) => createHash(alg.replace('-', '').toLowerCase()).update(data).digest(),
    signJwt: async () => {
      throw new Error('not used: unsigned requests');
    },
    verifyJwt: async () => ({ verified: false }),
    decryptJwe: async () => ({ decrypted: false }),
    encryptJwe: async () => {
      throw new Error('not used');
    },
  },
});

type Outcome = { state: unknown; valid: boolean; iss?: unknown; claims: string[]; mechanisms: string[]; error?: string };

describe('an independent relying party (@openid4vc/openid4vp + @sd-jwt/sd-jwt-vc) finds netcred issuer keys the standard ways', () => {
  let urlIssuer: TestIssuer;
  let x509Issuer: TestIssuer;
  let didIssuer: TestIssuer;
  const wallets: TestWallet[] = [];
  let roots: X509Certificate[] = [];
  let base = '';
  let close: () => Promise<void>;
  type RequestPayload = Awaited<ReturnType<Openid4vpVerifier['createOpenId4vpAuthorizationRequest']>>['authorizationRequestPayload'];
  const requests = new Map<string, RequestPayload>();
  const outcomes = new Map<string, Outcome>();

  beforeAll(async () => {
    [urlIssuer, x509Issuer, didIssuer] = await Promise.all([
      startTestIssuer({ issuerId: 'url', alg: 'ES256', tmpPrefix: 'netcred-rp-url-issuer-' }),
      startTestIssuer({ x509: true, alg: 'ES256', tmpPrefix: 'netcred-rp-x509-issuer-' }),
      startTestIssuer({ tmpPrefix: 'netcred-rp-did-issuer-' }),
    ]);
    // What the relying party was given out of band: the development root (`netcred issuer cert --show`).
    roots = [issuerCertificateChain(x509Issuer.ctx)!.root!];
    const app = express();
    app.post('/response/:id', express.urlencoded({ extended: false }), async (req, res) => {
      const outcome: Outcome = { state: req.body.state, valid: false, claims: [], mechanisms: [] };
      outcomes.set(req.params.id, outcome);
      try {
        const requestPayload = requests.get(req.params.id)!;
        const parsed = await verifier.parseOpenid4vpAuthorizationResponse({
          authorizationResponse: req.body as Record<string, unknown>,
          authorizationRequestPayload: requestPayload,
          callbacks: { decryptJwe: async () => ({ decrypted: false }), verifyJwt: async () => ({ verified: false }) },
        });
        if (parsed.type !== 'dcql') throw new Error('not a DCQL response');
        for (const list of Object.values(parsed.dcql.presentations)) {
          const verified = await relyingPartySdJwt(roots, outcome.mechanisms).verify(list[0] as string, { keyBindingNonce: parsed.expectedNonce });
          if (verified.kb?.payload.aud !== requestPayload.client_id) throw new Error('KB-JWT aud is not this verifier');
          // The JWT claims that secure the credential (jti: its id, in the clear) are not disclosed claims.
          const { iss, iat, exp, cnf, vct, status, _sd_alg, jti, ...claims } = verified.payload as Record<string, unknown>;
          void iat, void exp, void cnf, void vct, void status, void _sd_alg, void jti;
          outcome.iss = iss;
          outcome.claims = Object.keys(claims).sort();
        }
        outcome.valid = true;
        res.json({});
      } catch (err) {
        outcome.error = (err as Error).message;
        res.status(400).json({ error: 'invalid_request', error_description: outcome.error });
      }
    });
    const srv = await listen(app);
    base = srv.url;
    close = srv.close;
  }, 60_000);

  afterAll(async () => {
    await close?.();
    for (const w of wallets) await w.close();
    await Promise.all([urlIssuer?.close(), x509Issuer?.close(), didIssuer?.close()]);
  });

  /** Their unsigned lite request (redirect_uri client id, direct_post), answered by our wallet. */
  async function present(wallet: TestWallet, id: string): Promise<Outcome> {
    const state = randomBytes(16).toString('base64url');
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
    await respondToRequest(wallet.wallet, created.authorizationRequest).catch(() => undefined);
    const outcome = outcomes.get(id)!;
    expect(outcome.state).toBe(state);
    return outcome;
  }

  const lite = profileClaimPaths('lite')
    .map((p) => String(p[0]))
    .sort();

  it('through JWT VC Issuer Metadata: a credential of an issuer whose iss is its URL (obtained over OpenID4VCI), its status list too', async () => {
    const wallet = await walletWithCredential(urlIssuer, { oid4vci: true });
    wallets.push(wallet);
    const outcome = await present(wallet, 'metadata');
    expect(outcome.error).toBeUndefined();
    expect(outcome).toMatchObject({ valid: true, iss: urlIssuer.url, claims: lite });
    // the credential, then its status list token: both keys from the metadata
    expect(outcome.mechanisms).toEqual(['metadata', 'metadata']);
  });

  it('through x5c: a credential of an X.509 issuer, checked against the development root; its status list token too', async () => {
    const wallet = await walletWithCredential(x509Issuer);
    wallets.push(wallet);
    const outcome = await present(wallet, 'x5c');
    expect(outcome.error).toBeUndefined();
    expect(outcome).toMatchObject({ valid: true, iss: x509Issuer.url, claims: lite });
    expect(outcome.mechanisms).toEqual(['x5c', 'x5c']);
  });

  it('the same relying party refuses the x5c credential with another trusted root, and a did:key credential it has no key for', async () => {
    const wallet = wallets[1]!;
    const saved = roots;
    roots = [(await createCertificateAuthority({ name: 'another root' })).certificate];
    try {
      const refused = await present(wallet, 'x5c-other-root');
      expect(refused.valid).toBe(false);
      expect(refused.error).toMatch(/trusted root/);
    } finally {
      roots = saved;
    }
    const didWallet = await walletWithCredential(didIssuer);
    wallets.push(didWallet);
    const none = await present(didWallet, 'did');
    expect(none.valid).toBe(false);
    // @openid4vc/oauth2 finds only the did mechanism in it, which this relying party (no DID resolution) does not allow
    expect(none.error).toMatch(/Unable to extract signer method.*not allowed[\s\S]*method did/);
  });
});

describe('@sd-jwt/sd-jwt-vc verifies a netcred x5c credential with the leaf key', () => {
  it('takes the key from x5c[0] of the header (the status list token too); another key fails', async () => {
    const issuer = await startTestIssuer({ x509: true, tmpPrefix: 'netcred-sdjwtvc-x509-' });
    try {
      const holderJwk = generateKeyPairSync('ed25519').publicKey.export({ format: 'jwk' });
      const holderDid = `did:jwk:${Buffer.from(JSON.stringify({ kty: holderJwk.kty, crv: holderJwk.crv, x: holderJwk.x })).toString('base64url')}`;
      const issued = await issueCredential(issuer.ctx, { holderDid, claims: sampleIdentityClaims() });
      const header = JSON.parse(Buffer.from(issued.credential.split('.')[0]!, 'base64url').toString()) as { x5c: string[] };
      const leafKey = new X509Certificate(Buffer.from(header.x5c[0]!, 'base64')).publicKey;
      const fetchList = async (uri: string) => (await fetch(uri)).text();
      const verified = await new SDJwtVcInstance({
        hasher,
        verifier: (data: string, sig: string) => verifyWith(leafKey, data, sig),
        statusListFetcher: fetchList,
      }).verify(issued.credential);
      expect(verified.payload).toMatchObject({ iss: issuer.url, vct: issued.vct });
      const other = generateKeyPairSync('ed25519').publicKey;
      await expect(
        new SDJwtVcInstance({ hasher, verifier: (data: string, sig: string) => verifyWith(other, data, sig), statusListFetcher: fetchList }).verify(
          issued.credential,
        ),
      ).rejects.toThrow(/signature/i);
    } finally {
      await issuer.close();
    }
  });
});
