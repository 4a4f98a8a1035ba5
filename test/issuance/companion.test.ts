import { generateKeyPairSync } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import QRCode from 'qrcode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeQrTransport, decodeSdJwt, keyObjectSigner, publicJwkOf, signCompact, type JwsAlg } from '../../core/index.js';
import { acceptOffer, createKioskQr, createPresentation, importCredential, listCredentials } from '../../holder/index.js';
import { issueCredential } from '../../issuer/index.js';
import { LITE_CLAIM_NAMES, RESIDENT_IDENTITY_LITE_VCT, RESIDENT_IDENTITY_VCT, sampleIdentityClaims } from '../../schemas/index.js';
import { emptyTrustBundle, syncIssuer, TrustStore, verifyPresentation } from '../../verifier/index.js';
import { newTestWallet, type TestWallet } from '../holder/helpers/wallet.js';
import { runCli } from '../helpers/cli.js';
import { initTestIssuer, startTestIssuer, type TestIssuer } from '../helpers/issuer.js';
import { tempDir } from '../helpers/tmp.js';
import { enroll, enrollmentBody, preAuthCodeOf, tokenRequest } from '../oid4vci/helpers.js';

const GRANT = 'urn:ietf:params:oauth:grant-type:pre-authorized_code';

/**
 * Issue 16 item 4: the lite companion. The issuer mints it with each SD-JWT VC credential (the
 * lite claims only, no decoys, same key and status entry); the wallet files it under its
 * credential and presents it for `lite`: a kiosk QR of version 20 or lower at error correction M.
 */
describe.each(['EdDSA', 'ES256'] as const)('lite companion of an %s issuer', (alg: JwsAlg) => {
  let issuer: TestIssuer;
  let t: TestWallet;
  let n = 0;
  beforeAll(async () => {
    issuer = await startTestIssuer({ alg });
    t = await newTestWallet();
  });
  afterAll(async () => {
    await t?.cleanup();
    await issuer?.close();
  });
  const claims = () => sampleIdentityClaims({ birthdate: `19${60 + n++}-02-03` });

  it('is minted with the credential: the lite claims only, no decoys, no jti, the same iss, cnf, iat, exp and status entry', async () => {
    const c = await issueCredential(issuer.ctx, { holderDid: t.key.did, claims: claims() }, { liteCompanion: true });
    expect(c.companion).toBeDefined();
    const main = decodeSdJwt(c.credential);
    const lite = decodeSdJwt(c.companion!);
    expect(lite.header).toMatchObject({ typ: 'dc+sd-jwt', alg, kid: main.header.kid });
    expect(main.payload.vct).toBe(RESIDENT_IDENTITY_VCT);
    expect(lite.payload.vct).toBe(RESIDENT_IDENTITY_LITE_VCT);
    for (const k of ['iss', 'iat', 'exp', 'cnf', 'status']) expect(lite.payload[k], k).toEqual(main.payload[k]);
    expect(lite.payload.status).toEqual(c.status!.tokenStatus);
    expect(lite.payload.jti).toBeUndefined();
    expect(lite.disclosures.map((d) => d.name).sort()).toEqual([...LITE_CLAIM_NAMES].sort());
    expect((lite.payload._sd as string[]).length).toBe(LITE_CLAIM_NAMES.length); // no decoys
    expect(Object.keys(lite.payload).sort()).toEqual(['_sd', '_sd_alg', 'cnf', 'exp', 'iat', 'iss', 'status', 'vct']);
  });

  it('a vc+sd-jwt has no companion; nor has a credential issued without liteCompanion', async () => {
    const c = await issueCredential(issuer.ctx, { holderDid: t.key.did, claims: claims(), format: 'vc+sd-jwt' }, { liteCompanion: true });
    expect(c.companion).toBeUndefined();
    expect((await issueCredential(issuer.ctx, { holderDid: t.key.did, claims: claims() })).companion).toBeUndefined();
  });

  it('the wallet files it under its credential and presents it for lite: QR version <= 20 at M, and the offline verifier accepts it', async () => {
    const w = await newTestWallet();
    try {
      const versions: number[] = [];
      const { bundle } = await syncIssuer(emptyTrustBundle(), issuer.url);
      const trust = new TrustStore(bundle);
      for (let i = 0; i < 5; i++) {
        const c = await issueCredential(issuer.ctx, { holderDid: w.key.did, claims: claims() }, { liteCompanion: true });
        const stored = await importCredential(w.wallet, c.credential);
        const filed = await importCredential(w.wallet, c.companion!);
        expect(filed).toMatchObject({ id: c.id, companion: RESIDENT_IDENTITY_LITE_VCT });
        const qr = await createKioskQr(w.wallet, { credentialId: stored.id });
        expect(qr.credentialId).toBe(c.id);
        expect(decodeSdJwt(decodeQrTransport(qr.qrPayload)).payload.vct).toBe(RESIDENT_IDENTITY_LITE_VCT);
        const version = QRCode.create(qr.qrPayload, { errorCorrectionLevel: 'M' }).version;
        expect(qr.qr.version).toBe(version);
        versions.push(version);
        const verdict = verifyPresentation(qr.qrPayload, { trust, profile: 'lite', aud: qr.aud, nonce: qr.nonce });
        expect(verdict.valid, `${verdict.code} ${verdict.message}`).toBe(true);
        expect(verdict.vct).toBe(RESIDENT_IDENTITY_LITE_VCT);
      }
      console.log(`${alg} issuer, lite QR of the companion: versions ${versions.join(', ')} (M)`);
      expect(Math.max(...versions)).toBeLessThanOrEqual(20);
      // One entry per credential: the companion is not listed on its own.
      expect((await listCredentials(w.wallet)).every((c) => c.companion === RESIDENT_IDENTITY_LITE_VCT)).toBe(true);
      expect(await listCredentials(w.wallet)).toHaveLength(5);
      // upgraded still needs the credential itself.
      const up = await createPresentation(w.wallet, { profile: 'upgraded', aud: 'x509_san_dns:verifier.test', nonce: 'n-upgraded' });
      expect(decodeSdJwt(up.presentation).payload.vct).toBe(RESIDENT_IDENTITY_VCT);
    } finally {
      await w.cleanup();
    }
  });

  it('OpenID4VCI: the credential response carries the companion (netcred_lite_credentials) and our wallet files it', async () => {
    const w = await newTestWallet();
    try {
      const res = await enroll(issuer.url, enrollmentBody(claims()));
      expect(res.status).toBe(201);
      const o = (await res.json()) as { offer: string };
      const result = await acceptOffer(w.wallet, o.offer);
      expect(result.credentials).toHaveLength(1);
      expect(result.credentials[0]!.companion).toBe(RESIDENT_IDENTITY_LITE_VCT);
      const qr = await createKioskQr(w.wallet);
      expect(decodeSdJwt(decodeQrTransport(qr.qrPayload)).payload.vct).toBe(RESIDENT_IDENTITY_LITE_VCT);
    } finally {
      await w.cleanup();
    }
  });
});

describe('OpenID4VCI: the companion is minted for a wallet that asks (netcred_lite: true), not for another', () => {
  let issuer: TestIssuer;
  let n = 0;
  beforeAll(async () => {
    issuer = await startTestIssuer({});
  });
  afterAll(async () => {
    await issuer?.close();
  });

  /** One raw pre-authorized flow, the credential request's extra members given. */
  async function credentialRequest(extra: Record<string, unknown>): Promise<{ status: number; body: Record<string, unknown> }> {
    const res = await enroll(issuer.url, enrollmentBody(sampleIdentityClaims({ birthdate: `19${70 + n++}-04-05` })));
    const { offer } = (await res.json()) as { offer: string };
    const token = await tokenRequest(issuer.url, { grant_type: GRANT, 'pre-authorized_code': preAuthCodeOf(offer) });
    const { access_token } = (await token.json()) as { access_token: string };
    const { c_nonce } = (await (await fetch(`${issuer.url}/oid4vci/nonce`, { method: 'POST' })).json()) as { c_nonce: string };
    const key = generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey;
    const proof = await signCompact(
      { typ: 'openid4vci-proof+jwt', jwk: publicJwkOf(key) },
      { aud: issuer.ctx.config.publicUrl, iat: Math.floor(Date.now() / 1000), nonce: c_nonce },
      keyObjectSigner(key),
    );
    const cred = await fetch(`${issuer.url}/oid4vci/credential`, {
      method: 'POST',
      headers: { authorization: `Bearer ${access_token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ credential_configuration_id: 'resident_identity_sd_jwt', proofs: { jwt: [proof] }, ...extra }),
    });
    return { status: cred.status, body: (await cred.json()) as Record<string, unknown> };
  }

  it('asked: netcred_lite_credentials holds the lite companion; not asked (or false): the credentials only', async () => {
    const asked = await credentialRequest({ netcred_lite: true });
    expect(asked.status).toBe(200);
    const [companion] = asked.body.netcred_lite_credentials as { credential: string }[];
    expect(decodeSdJwt(companion!.credential).payload.vct).toBe(RESIDENT_IDENTITY_LITE_VCT);
    for (const extra of [{}, { netcred_lite: false }]) {
      const plain = await credentialRequest(extra);
      expect(plain.status).toBe(200);
      expect(plain.body.credentials as unknown[]).toHaveLength(1);
      expect(plain.body).not.toHaveProperty('netcred_lite_credentials');
    }
  });

  it('netcred_lite that is not a boolean: invalid_credential_request', async () => {
    const bad = await credentialRequest({ netcred_lite: 'yes' });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toBe('invalid_credential_request');
    expect(String(bad.body.error_description)).toMatch(/netcred_lite must be true or false/);
  });
});

describe('the CLI path: issuer issue --companion FILE, wallet import of both', () => {
  it('writes the companion beside the credential; the wallet files it under the credential', async () => {
    const issuer = await initTestIssuer({ alg: 'EdDSA', secret: undefined });
    const t = await newTestWallet();
    const tmp = tempDir('netcred-companion-cli-');
    try {
      const claimsFile = `${tmp.dir}/claims.json`;
      writeFileSync(claimsFile, JSON.stringify(sampleIdentityClaims()));
      const lite = `${tmp.dir}/lite.sdjwt`;
      const issued = await runCli(['--data', issuer.dataDir, 'issuer', 'issue', '--holder', t.key.did, '--claims', claimsFile, '--companion', lite, '--json']);
      expect(issued.code, issued.stderr).toBe(0);
      const out = JSON.parse(issued.stdout) as { id: string; credential: string; companion: string };
      expect(readFileSync(lite, 'utf8').trim()).toBe(out.companion);
      expect(decodeSdJwt(out.companion).payload.vct).toBe(RESIDENT_IDENTITY_LITE_VCT);
      const main = `${tmp.dir}/id.sdjwt`;
      writeFileSync(main, `${out.credential}\n`);
      const env = { NETCRED_PIN: '482913' };
      for (const f of [main, lite]) {
        const r = await runCli(['--data', t.dir, 'wallet', 'import', f, '--json'], { env });
        expect(r.code, r.stderr).toBe(0);
        expect(JSON.parse(r.stdout)).toMatchObject({ id: out.id });
      }
      const list = await runCli(['--data', t.dir, 'wallet', 'list'], { env });
      expect(list.code, list.stderr).toBe(0);
      expect(list.stdout).toContain(`${out.id}  valid     ${RESIDENT_IDENTITY_VCT} (+ lite companion)`);
    } finally {
      tmp.cleanup();
      await t.cleanup();
      await issuer.close();
    }
  });
});
