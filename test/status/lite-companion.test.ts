import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeQrTransport, decodeSdJwt } from '../../core/index.js';
import { createKioskQr, importCredential, syncWallet, type KioskQrResult } from '../../holder/index.js';
import { issueCredential, reportDeviceLost, suspendCredential } from '../../issuer/index.js';
import { RESIDENT_IDENTITY_LITE_VCT, sampleIdentityClaims } from '../../schemas/index.js';
import { emptyTrustBundle, syncIssuer, TrustStore, verifyPresentation } from '../../verifier/index.js';
import { newTestWallet, type TestWallet } from '../holder/helpers/wallet.js';
import { startTestIssuer, type TestIssuer } from '../helpers/issuer.js';

/**
 * The lite companion shares its credential's status entry: a re-issue (superseded), a lost
 * device and a suspension change both in the one transaction that changes the entry, and the
 * kiosk's offline verdict on a companion-based lite QR follows after its next sync.
 */
let issuer: TestIssuer;
beforeAll(async () => {
  issuer = await startTestIssuer({ alg: 'ES256' });
});
afterAll(async () => issuer?.close());

/** The kiosk's verdict on a QR with a trust bundle synced now (lists included). */
async function kioskVerdict(qr: KioskQrResult) {
  const { bundle } = await syncIssuer(emptyTrustBundle(), issuer.url);
  return verifyPresentation(qr.qrPayload, { trust: new TrustStore(bundle), profile: 'lite', aud: qr.aud, nonce: qr.nonce });
}

/** A wallet holding one credential and its companion, and the companion-based lite QR of it. */
async function holderWithQr(t: TestWallet, birthdate: string) {
  const c = await issueCredential(issuer.ctx, { holderDid: t.key.did, claims: sampleIdentityClaims({ birthdate }) }, { liteCompanion: true });
  await importCredential(t.wallet, c.credential);
  expect((await importCredential(t.wallet, c.companion!)).companion).toBe(RESIDENT_IDENTITY_LITE_VCT);
  const qr = await createKioskQr(t.wallet, { credentialId: c.id });
  expect(decodeSdJwt(decodeQrTransport(qr.qrPayload)).payload.vct).toBe(RESIDENT_IDENTITY_LITE_VCT);
  return { c, qr };
}

describe('status of the lite companion', () => {
  it('re-issue: the previous credential and its companion are revoked together (STATUS_REVOKED at the kiosk after sync); the wallet forgets both', async () => {
    const t = await newTestWallet();
    try {
      const { c, qr } = await holderWithQr(t, '1971-07-07');
      expect((await kioskVerdict(qr)).valid).toBe(true);
      // The same person again (same id number): supersedes c in the issuance transaction.
      const next = await issueCredential(
        issuer.ctx,
        { holderDid: t.key.did, claims: sampleIdentityClaims({ birthdate: '1971-07-07' }) },
        { liteCompanion: true },
      );
      expect(next.id).not.toBe(c.id);
      const verdict = await kioskVerdict(qr);
      expect(verdict.valid).toBe(false);
      expect(verdict.code).toBe('STATUS_REVOKED');
      expect(verdict.vct).toBe(RESIDENT_IDENTITY_LITE_VCT);
      const sync = await syncWallet(t.wallet);
      expect(sync.deleted.map((d) => d.id)).toEqual([c.id]);
      // The companion went with it: nothing is left to present for lite.
      await expect(createKioskQr(t.wallet)).rejects.toMatchObject({ code: 'DCQL_NOT_SATISFIED' });
    } finally {
      await t.cleanup();
    }
  });

  it('device lost: every credential of the key and its companion are revoked (STATUS_REVOKED at the kiosk after sync)', async () => {
    const t = await newTestWallet();
    try {
      const { c, qr } = await holderWithQr(t, '1972-08-08');
      const lost = await reportDeviceLost(issuer.ctx, { holderDid: t.key.did }, 'companion-test');
      expect(lost.revoked).toEqual([c.id]);
      const verdict = await kioskVerdict(qr);
      expect(verdict.code).toBe('STATUS_REVOKED');
    } finally {
      await t.cleanup();
    }
  });

  it('suspension: the companion is suspended with its credential', async () => {
    const t = await newTestWallet();
    try {
      const { c, qr } = await holderWithQr(t, '1973-09-09');
      await suspendCredential(issuer.ctx, c.id, 'admin', 'companion-test');
      expect((await kioskVerdict(qr)).code).toBe('STATUS_SUSPENDED');
    } finally {
      await t.cleanup();
    }
  });
});
