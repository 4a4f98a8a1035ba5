import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isNetcredError } from '../../core/index.js';
import { acceptOffer, decodeCredential, listCredentials, readCredential } from '../../holder/index.js';
import { sampleIdentityClaims } from '../../schemas/index.js';
import { newTestWallet, TEST_PIN, type TestWallet } from '../holder/helpers/wallet.js';
import { countRows, enroll, enrollmentBody, preAuthCodeOf, tokenRequest } from './helpers.js';
import { startTestIssuer, type TestIssuer } from '../helpers/issuer.js';

async function rejectsCode(p: Promise<unknown>, code: string): Promise<void> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(isNetcredError(err) ? err.code : err).toBe(code);
}

describe('our wallet (acceptOffer) with our issuer', () => {
  let issuer: TestIssuer;
  let w: TestWallet;
  let n = 0;
  beforeAll(async () => {
    issuer = await startTestIssuer({ alg: 'ES256' });
    w = await newTestWallet();
  });
  afterAll(async () => {
    await w?.cleanup();
    await issuer?.close();
  });

  async function offer(extra: Record<string, unknown> = {}): Promise<{ offer: string; offerUri: string; txCode?: string }> {
    const res = await enroll(issuer.url, enrollmentBody(sampleIdentityClaims({ birthdate: `199${n++}-06-15` }), extra));
    expect(res.status).toBe(201);
    return (await res.json()) as { offer: string; offerUri: string; txCode?: string };
  }

  it('accepts an offer with a tx_code: the credential is bound to the default wallet key and imported', async () => {
    const o = await offer({ txCode: true });
    let asked = 0;
    const result = await acceptOffer(w.wallet, o.offer, {
      askTxCode: async (spec) => {
        asked++;
        expect(spec).toMatchObject({ input_mode: 'numeric', length: 6 });
        return o.txCode!;
      },
    });
    expect(asked).toBe(1);
    expect(result.credentialIssuer).toBe(issuer.url);
    expect(result.credentialConfigurationId).toBe('resident_identity_sd_jwt');
    expect(result.credentials).toHaveLength(1);
    const info = result.credentials[0]!;
    expect(info).toMatchObject({ keyId: w.key.id, format: 'dc+sd-jwt', iss: issuer.ctx.issuerDid });
    const { sdJwt } = await readCredential(w.wallet, info.id);
    const decoded = decodeCredential(sdJwt);
    expect(decoded.unpacked.claims.sub).toBe(w.key.did);
    expect((await listCredentials(w.wallet)).map((c) => c.id)).toContain(info.id);
  });

  it('a batch gives one credential per fresh key (unlinkable copies)', async () => {
    const o = await offer();
    const result = await acceptOffer(w.wallet, o.offer, { batch: 3 });
    const keys = new Set(result.credentials.map((c) => c.keyId));
    expect(keys.size).toBe(3);
    expect(keys.has(w.key.id)).toBe(false);
  });

  it('requests the vc+sd-jwt configuration, offered by reference; the offer URI dies with its redemption', async () => {
    const o = await offer({ format: 'vc+sd-jwt' });
    const result = await acceptOffer(w.wallet, o.offerUri);
    expect(result.credentials[0]!.format).toBe('vc+sd-jwt');
    const ref = new URL(o.offerUri).searchParams.get('credential_offer_uri')!;
    expect((await fetch(ref)).status).toBe(404);
    await rejectsCode(acceptOffer(w.wallet, o.offerUri), 'OID4VCI_NOT_FOUND');
  });

  it('without a tx_code the flow stops before the token request: the code still works', async () => {
    const o = await offer({ txCode: true });
    const before = await countRows(issuer.ctx, 'issuance_record');
    await rejectsCode(acceptOffer(w.wallet, o.offer), 'TX_CODE_REQUIRED');
    await rejectsCode(acceptOffer(w.wallet, o.offer, { txCode: '12ab56' }), 'TX_CODE_INVALID');
    await rejectsCode(acceptOffer(w.wallet, o.offer, { txCode: o.txCode === '999999' ? '999998' : '999999' }), 'OID4VCI_INVALID_GRANT');
    expect(await countRows(issuer.ctx, 'issuance_record')).toBe(before);
    await acceptOffer(w.wallet, o.offer, { txCode: o.txCode });
    expect(await countRows(issuer.ctx, 'issuance_record')).toBe(before + 1);
    // and only once
    await rejectsCode(acceptOffer(w.wallet, o.offer, { txCode: o.txCode }), 'OID4VCI_INVALID_GRANT');
  });

  it('a locked wallet accepts nothing and does not touch the offer', async () => {
    const o = await offer();
    w.wallet.lock();
    try {
      await rejectsCode(acceptOffer(w.wallet, o.offer), 'WALLET_LOCKED');
    } finally {
      await w.wallet.unlock(TEST_PIN);
    }
    const res = await tokenRequest(issuer.url, {
      grant_type: 'urn:ietf:params:oauth:grant-type:pre-authorized_code',
      'pre-authorized_code': preAuthCodeOf(o.offer),
    });
    expect(res.status).toBe(200);
  });

  it('rejects malformed offers with OFFER_INVALID', async () => {
    await rejectsCode(acceptOffer(w.wallet, 'openid-credential-offer://?x=1'), 'OFFER_INVALID');
    await rejectsCode(acceptOffer(w.wallet, 'openid-credential-offer://?credential_offer=%7Bnot-json'), 'OFFER_INVALID');
    const noGrant = encodeURIComponent(
      JSON.stringify({ credential_issuer: issuer.url, credential_configuration_ids: ['resident_identity_sd_jwt'], grants: {} }),
    );
    await rejectsCode(acceptOffer(w.wallet, `openid-credential-offer://?credential_offer=${noGrant}`), 'OFFER_INVALID');
    const plainHttp = encodeURIComponent(
      JSON.stringify({
        credential_issuer: 'http://issuer.example',
        credential_configuration_ids: ['x'],
        grants: { 'urn:ietf:params:oauth:grant-type:pre-authorized_code': { 'pre-authorized_code': 'c' } },
      }),
    );
    await rejectsCode(acceptOffer(w.wallet, `openid-credential-offer://?credential_offer=${plainHttp}`), 'ISSUER_METADATA_INVALID');
  });
});
