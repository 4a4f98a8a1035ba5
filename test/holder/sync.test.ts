import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { generateKeyPairSync } from 'node:crypto';
import QRCode from 'qrcode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeQrTransport, encodeQrTransport, keyObjectSigner, signStatusListToken, StatusList } from '../../core/index.js';
import { createPresentation, importCredential, listCredentials, syncWallet } from '../../holder/index.js';
import { issueCredential, reportDeviceLost, revokeCredential, suspendCredential } from '../../issuer/index.js';
import { sampleIdentityClaims } from '../../schemas/index.js';
import { rejectsCode, disclosedNames } from './helpers/assert.js';
import { createPeerIssuer, issueIdentity } from './helpers/issue.js';
import { newTestWallet, type TestWallet } from './helpers/wallet.js';
import { startTestIssuer, type TestIssuer } from '../helpers/issuer.js';

describe('syncWallet against a real issuer on 127.0.0.1', () => {
  let issuer: TestIssuer;
  let t: TestWallet;
  beforeAll(async () => {
    issuer = await startTestIssuer({ alg: 'ES256' });
    t = await newTestWallet();
  });
  afterAll(async () => {
    await t?.cleanup();
    await issuer?.close();
  });

  it('deletes a revoked credential, marks a suspended one, keeps a valid one', async () => {
    const resident = (birthdate: string) => sampleIdentityClaims({ birthdate });
    const lost = await issueCredential(issuer.ctx, { holderDid: t.key.did, claims: resident('1980-01-02') });
    const kept = await issueCredential(issuer.ctx, { holderDid: t.key.did, claims: resident('1985-05-06') });
    const paused = await issueCredential(issuer.ctx, { holderDid: t.key.did, claims: resident('1999-09-09') });
    const ids = new Map<string, string>();
    for (const [name, c] of [
      ['lost', lost],
      ['kept', kept],
      ['paused', paused],
    ] as const) {
      const stored = await importCredential(t.wallet, c.credential);
      expect(stored.status?.uri.startsWith(issuer.server.url)).toBe(true);
      ids.set(name, stored.id);
    }
    const before = await syncWallet(t.wallet);
    expect(before.errors).toEqual([]);
    expect(before.valid.map((e) => e.id).sort()).toEqual([...ids.values()].sort());

    await revokeCredential(issuer.ctx, lost.id, 'device_lost', 'holder-test');
    await suspendCredential(issuer.ctx, paused.id, 'admin', 'holder-test');
    const report = await syncWallet(t.wallet);
    expect(report.errors).toEqual([]);
    expect(report.deleted).toEqual([expect.objectContaining({ id: ids.get('lost'), reason: 'revoked' })]);
    expect(report.suspended.map((e) => e.id)).toEqual([ids.get('paused')]);
    expect(report.valid.map((e) => e.id)).toEqual([ids.get('kept')]);
    const left = await listCredentials(t.wallet);
    expect(left.map((c) => [c.id, c.state]).sort()).toEqual(
      [
        [ids.get('kept'), 'valid'],
        [ids.get('paused'), 'suspended'],
      ].sort(),
    );
    // Only the valid credential is presented now.
    const p = await createPresentation(t.wallet, { profile: 'lite', aud: 'netcred:kiosk', nonce: 'after-sync' });
    expect(p.credentialId).toBe(ids.get('kept'));
  });

  it('W3C credentials (vc+sd-jwt): checks their Bitstring Status List entries', async () => {
    const w = await newTestWallet();
    try {
      const revoked = await issueCredential(issuer.ctx, {
        holderDid: w.key.did,
        claims: sampleIdentityClaims({ birthdate: '1971-01-01' }),
        format: 'vc+sd-jwt',
      });
      const suspended = await issueCredential(issuer.ctx, {
        holderDid: w.key.did,
        claims: sampleIdentityClaims({ birthdate: '1972-02-02' }),
        format: 'vc+sd-jwt',
      });
      const valid = await issueCredential(issuer.ctx, { holderDid: w.key.did, claims: sampleIdentityClaims({ birthdate: '1973-03-03' }), format: 'vc+sd-jwt' });
      const ids = [revoked, suspended, valid].map((c) => c.credential);
      const stored = [];
      for (const c of ids) stored.push(await importCredential(w.wallet, c));
      expect(stored.every((s) => s.format === 'vc+sd-jwt' && s.status === undefined)).toBe(true);
      const first = await syncWallet(w.wallet);
      expect(first.errors).toEqual([]);
      expect(first.valid).toHaveLength(3);
      await revokeCredential(issuer.ctx, revoked.id, 'fraud', 'holder-test');
      await suspendCredential(issuer.ctx, suspended.id, 'admin', 'holder-test');
      const second = await syncWallet(w.wallet);
      expect(second.errors).toEqual([]);
      expect(second.deleted.map((d) => d.id)).toEqual([stored[0]!.id]);
      expect(second.suspended.map((d) => d.id)).toEqual([stored[1]!.id]);
      expect(second.valid.map((d) => d.id)).toEqual([stored[2]!.id]);
    } finally {
      await w.cleanup();
    }
  });

  it('re-issuing supersedes the old credential (deleted at the next sync); a lost phone forgets everything bound to its key', async () => {
    const claims = sampleIdentityClaims({ birthdate: '1960-06-06' });
    const first = await issueCredential(issuer.ctx, { holderDid: t.key.did, claims });
    const oldId = (await importCredential(t.wallet, first.credential)).id;
    const second = await issueCredential(issuer.ctx, { holderDid: t.key.did, claims });
    const newId = (await importCredential(t.wallet, second.credential)).id;
    const report = await syncWallet(t.wallet);
    expect(report.deleted.map((d) => d.id)).toEqual([oldId]);
    expect(report.valid.map((v) => v.id)).toContain(newId);

    // The old phone: a wallet whose key the resident reports lost.
    const phone = await newTestWallet();
    try {
      const a = await issueCredential(issuer.ctx, { holderDid: phone.key.did, claims: sampleIdentityClaims({ birthdate: '1961-01-01' }) });
      const b = await issueCredential(issuer.ctx, { holderDid: phone.key.did, claims: sampleIdentityClaims({ birthdate: '1962-02-02' }) });
      await importCredential(phone.wallet, a.credential);
      await importCredential(phone.wallet, b.credential);
      const lost = await reportDeviceLost(issuer.ctx, { holderDid: phone.key.did }, 'holder-test');
      expect(lost.revoked.sort()).toEqual([a.id, b.id].sort());
      const gone = await syncWallet(phone.wallet);
      expect(gone.deleted).toHaveLength(2);
      expect(await listCredentials(phone.wallet)).toEqual([]);
      await rejectsCode(createPresentation(phone.wallet, { profile: 'lite', aud: 'a', nonce: 'n' }), 'DCQL_NOT_SATISFIED');
    } finally {
      await phone.cleanup();
    }
    // The other wallet's credentials are untouched.
    expect((await listCredentials(t.wallet)).map((c) => c.id)).toContain(newId);
  });

  it("the real issuer's lite presentation (from its lite companion) fits QR version 20 at error correction M", async () => {
    const c = await issueCredential(issuer.ctx, { holderDid: t.key.did, claims: sampleIdentityClaims({ birthdate: '1970-07-07' }) }, { liteCompanion: true });
    await importCredential(t.wallet, c.credential);
    await importCredential(t.wallet, c.companion!);
    for (const profile of ['lite', 'upgraded'] as const) {
      const r = await createPresentation(t.wallet, { profile, aud: 'netcred:kiosk', nonce: 'fIcXNsGr0o_x7S2Tcr8L1w' });
      const qr = encodeQrTransport(r.presentation);
      expect(decodeQrTransport(qr)).toBe(r.presentation);
      const version = QRCode.create(qr, { errorCorrectionLevel: 'M' }).version;
      console.log(
        `real issuer ${profile}: presentation ${r.presentation.length} chars, QR payload ${qr.length} chars, version ${version} (M), disclosures ${disclosedNames(r.presentation).length}`,
      );
      if (profile === 'lite') expect(version).toBeLessThanOrEqual(20);
    }
  });
});

describe('syncWallet refuses what it cannot verify', () => {
  let server: http.Server;
  let url = '';
  let token = '';
  let t: TestWallet;
  beforeAll(async () => {
    t = await newTestWallet();
    server = http.createServer((req, res) => {
      if (req.url === '/huge') {
        res.writeHead(200, { 'content-type': 'application/statuslist+jwt' });
        res.end('x'.repeat(2 * 1024 * 1024));
        return;
      }
      res.writeHead(200, { 'content-type': 'application/statuslist+jwt' });
      res.end(token);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await t.cleanup();
    await new Promise((r) => server.close(r));
  });

  it('keeps a credential when the status list token is signed by another key, deletes it when the issuer signed it', async () => {
    const issuer = createPeerIssuer();
    const uri = `${url}/lists/1`;
    const stored = await importCredential(t.wallet, await issueIdentity(issuer, t.key.publicJwk, { status: { idx: 7, uri } }));
    const list = new StatusList(128, 2);
    list.set(7, 1);
    const forger = keyObjectSigner(generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey, issuer.kid);
    token = await signStatusListToken(forger, { uri, list, ttl: 60 });
    const forged = await syncWallet(t.wallet);
    expect(forged.deleted).toEqual([]);
    expect(forged.errors.map((e) => [e.id, e.code])).toEqual([[stored.id, 'SIGNATURE_INVALID']]);

    token = await signStatusListToken(keyObjectSigner(generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey, issuer.kid), {
      uri: `${url}/lists/other`,
      list,
    });
    expect((await syncWallet(t.wallet)).deleted).toEqual([]);

    token = await signStatusListToken(keyObjectSigner(issuer.privateKey, issuer.kid), { uri: `${url}/lists/other`, list });
    const wrongSub = await syncWallet(t.wallet);
    expect(wrongSub.errors.map((e) => e.code)).toEqual(['STATUS_LIST_URI_MISMATCH']);

    token = await signStatusListToken(keyObjectSigner(issuer.privateKey, issuer.kid), { uri, list });
    const real = await syncWallet(t.wallet);
    expect(real.deleted.map((e) => e.id)).toEqual([stored.id]);
    expect(await listCredentials(t.wallet)).toEqual([]);
  });

  it('bounds the response size and refuses plain HTTP off loopback', async () => {
    const issuer = createPeerIssuer();
    await importCredential(t.wallet, await issueIdentity(issuer, t.key.publicJwk, { status: { idx: 1, uri: `${url}/huge` } }));
    await importCredential(t.wallet, await issueIdentity(issuer, t.key.publicJwk, { status: { idx: 1, uri: 'http://issuer.example/lists/1' } }));
    const r = await syncWallet(t.wallet);
    expect(r.errors.map((e) => e.code)).toEqual(['STATUS_FETCH_FAILED', 'STATUS_FETCH_FAILED']);
    expect(r.errors[0]!.message).toMatch(/exceeds/);
    expect(r.errors[1]!.message).toMatch(/only https/);
    expect((await listCredentials(t.wallet)).length).toBe(2);
    t.wallet.lock();
    await rejectsCode(syncWallet(t.wallet), 'WALLET_LOCKED');
  });
});
