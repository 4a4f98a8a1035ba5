import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeSdJwt } from '../../core/index.js';
import { createKioskQr, deleteCredential, importCredential, listCredentials } from '../../holder/index.js';
import { issueCredential } from '../../issuer/index.js';
import { RESIDENT_IDENTITY_LITE_VCT, RESIDENT_IDENTITY_VCT, sampleIdentityClaims } from '../../schemas/index.js';
import { initTestIssuer, type UnservedTestIssuer } from '../helpers/issuer.js';
import { createPeerIssuer, issueIdentity } from './helpers/issue.js';
import { newTestWallet } from './helpers/wallet.js';

/** How the wallet files a lite companion (docs/wallet.md, The lite companion). */
let issuer: UnservedTestIssuer;
beforeAll(async () => {
  issuer = await initTestIssuer({ alg: 'ES256' });
});
afterAll(async () => issuer?.close());

const vctOf = (presentation: string) => decodeSdJwt(presentation).payload.vct;

describe('the wallet and the lite companion', () => {
  it('a companion imported before its credential is kept as a credential of its own, and lite is presented from it', async () => {
    const t = await newTestWallet();
    try {
      const c = await issueCredential(issuer.ctx, { holderDid: t.key.did, claims: sampleIdentityClaims({ birthdate: '1980-01-01' }) }, { liteCompanion: true });
      const alone = await importCredential(t.wallet, c.companion!);
      expect(alone).toMatchObject({ vct: RESIDENT_IDENTITY_LITE_VCT });
      expect(alone.companion).toBeUndefined();
      expect(alone.id).not.toBe(c.id); // no jti: the wallet's own id
      expect(vctOf((await createKioskQr(t.wallet)).presentation)).toBe(RESIDENT_IDENTITY_LITE_VCT);
    } finally {
      await t.cleanup();
    }
  });

  it('a lite credential of ANOTHER issuer naming the same status entry is not filed under the credential', async () => {
    const t = await newTestWallet();
    try {
      const c = await issueCredential(issuer.ctx, { holderDid: t.key.did, claims: sampleIdentityClaims({ birthdate: '1981-01-01' }) }, { liteCompanion: true });
      await importCredential(t.wallet, c.credential);
      const peer = createPeerIssuer('ES256');
      const { given_name, family_name, age_over_18 } = sampleIdentityClaims({ birthdate: '1981-01-01' });
      const forged = await issueIdentity(peer, t.key.publicJwk, {
        vct: RESIDENT_IDENTITY_LITE_VCT,
        claims: { given_name, family_name, age_over_18 },
        status: c.status!.tokenStatus.status_list,
      });
      const stored = await importCredential(t.wallet, forged);
      expect(stored.id).not.toBe(c.id);
      expect(stored.iss).toBe(peer.did);
      const main = (await listCredentials(t.wallet)).find((x) => x.id === c.id)!;
      expect(main.companion).toBeUndefined();
    } finally {
      await t.cleanup();
    }
  });

  it('deleting the credential deletes its companion; importing the companion again replaces it', async () => {
    const t = await newTestWallet();
    try {
      const c = await issueCredential(issuer.ctx, { holderDid: t.key.did, claims: sampleIdentityClaims({ birthdate: '1982-01-01' }) }, { liteCompanion: true });
      await importCredential(t.wallet, c.credential);
      await importCredential(t.wallet, c.companion!);
      expect((await importCredential(t.wallet, c.companion!)).companion).toBe(RESIDENT_IDENTITY_LITE_VCT);
      expect(await listCredentials(t.wallet)).toHaveLength(1);
      expect(await deleteCredential(t.wallet, c.id)).toBe(true);
      expect(await listCredentials(t.wallet)).toEqual([]);
      expect(await t.wallet.db.get('SELECT credential_id FROM credential_companions WHERE credential_id = ?', [c.id])).toBeUndefined();
      // The credential alone again: lite comes from it.
      await importCredential(t.wallet, c.credential);
      expect(vctOf((await createKioskQr(t.wallet)).presentation)).toBe(RESIDENT_IDENTITY_VCT);
    } finally {
      await t.cleanup();
    }
  });
});
