import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKioskQr, createPresentation, importCredential } from '../../holder/index.js';
import { issueCredential } from '../../issuer/index.js';
import { sampleIdentityClaims } from '../../schemas/index.js';
import { runCli } from '../helpers/cli.js';
import { initTestIssuer, type UnservedTestIssuer } from '../helpers/issuer.js';
import { tempDir } from '../helpers/tmp.js';
import { rejectsCode } from './helpers/assert.js';
import { createPeerIssuer, identityClaims, issueIdentity } from './helpers/issue.js';
import { newTestWallet } from './helpers/wallet.js';

/** The issuer JWT (first segment of the SD-JWT) a presentation was made from. */
const issuerJwt = (sdJwt: string) => sdJwt.split('~')[0]!;

let issuer: UnservedTestIssuer;
beforeAll(async () => {
  issuer = await initTestIssuer({ alg: 'ES256' });
});
afterAll(async () => issuer?.close());

describe('which credential the wallet presents (createPresentation)', () => {
  it('two credentials for one person, the first superseded by a re-issue: the newer one (by iat), whatever the import order', async () => {
    const t = await newTestWallet();
    try {
      const hourAgo = new Date(Date.now() - 3600_000);
      const older = await issueCredential(issuer.ctx, { holderDid: t.key.did, claims: sampleIdentityClaims() }, { now: hourAgo });
      const newer = await issueCredential(issuer.ctx, { holderDid: t.key.did, claims: sampleIdentityClaims() }); // revokes `older` (superseded)
      // Imported newest first: import time alone would pick the older credential.
      const storedNewer = await importCredential(t.wallet, newer.credential);
      const storedOlder = await importCredential(t.wallet, older.credential);
      expect(storedOlder.importedAt).toBeGreaterThanOrEqual(storedNewer.importedAt);

      const auto = await createPresentation(t.wallet, { profile: 'lite', aud: 'netcred:kiosk', nonce: 'n-1' });
      expect(auto.credentialId).toBe(storedNewer.id);
      expect(issuerJwt(auto.presentation)).toBe(issuerJwt(newer.credential));

      const chosen = await createPresentation(t.wallet, { profile: 'lite', aud: 'netcred:kiosk', nonce: 'n-2', credentialId: storedOlder.id });
      expect(chosen.credentialId).toBe(storedOlder.id);
      expect(issuerJwt(chosen.presentation)).toBe(issuerJwt(older.credential));
      expect((await createKioskQr(t.wallet)).credentialId).toBe(storedNewer.id);
      expect((await createKioskQr(t.wallet, { credentialId: storedOlder.id })).credentialId).toBe(storedOlder.id);
    } finally {
      await t.cleanup();
    }
  });

  it('with the same iat, the credential imported last', async () => {
    const t = await newTestWallet();
    try {
      const peer = createPeerIssuer();
      const iat = Math.floor(Date.now() / 1000) - 60;
      const a = await importCredential(t.wallet, await issueIdentity(peer, t.key.publicJwk, { iat, claims: identityClaims({ given_name: 'First' }) }));
      await new Promise((r) => setTimeout(r, 5)); // import times are in ms
      const b = await importCredential(t.wallet, await issueIdentity(peer, t.key.publicJwk, { iat, claims: identityClaims({ given_name: 'Second' }) }));
      expect(b.importedAt).toBeGreaterThan(a.importedAt);
      const r = await createPresentation(t.wallet, { profile: 'lite', aud: 'a', nonce: 'n' });
      expect(r.credentialId).toBe(b.id);
      expect(r.disclosed).toContainEqual({ path: ['given_name'], value: 'Second' });
    } finally {
      await t.cleanup();
    }
  });

  it('never an expired credential, however new; choosing it explicitly is CREDENTIAL_UNUSABLE', async () => {
    let clock = Date.now();
    const t = await newTestWallet({ now: () => clock });
    try {
      const peer = createPeerIssuer();
      const nowSec = Math.floor(clock / 1000);
      const lasting = await importCredential(t.wallet, await issueIdentity(peer, t.key.publicJwk, { iat: nowSec - 600 }));
      const shortLived = await importCredential(t.wallet, await issueIdentity(peer, t.key.publicJwk, { iat: nowSec, exp: nowSec + 60 }));
      expect((await createPresentation(t.wallet, { profile: 'lite', aud: 'a', nonce: 'n' })).credentialId).toBe(shortLived.id);
      clock += 120_000; // shortLived's exp has passed
      expect((await createPresentation(t.wallet, { profile: 'lite', aud: 'a', nonce: 'n' })).credentialId).toBe(lasting.id);
      const err = await rejectsCode(
        createPresentation(t.wallet, { profile: 'lite', aud: 'a', nonce: 'n', credentialId: shortLived.id }),
        'CREDENTIAL_UNUSABLE',
      );
      expect(err.message).toMatch(/expired/);
    } finally {
      await t.cleanup();
    }
  });

  it('an unknown id is CREDENTIAL_NOT_FOUND naming `netcred wallet list`; an id that does not answer names the missing claims; nothing is shown', async () => {
    const t = await newTestWallet();
    try {
      const peer = createPeerIssuer();
      const { age_over_18: _a, family_name: _f, ...partial } = identityClaims();
      void _a;
      void _f;
      const lacking = await importCredential(t.wallet, await issueIdentity(peer, t.key.publicJwk, { claims: partial }));
      await importCredential(t.wallet, await issueIdentity(peer, t.key.publicJwk));
      let shown = 0;
      const confirm = () => (shown++, true);

      const unknown = await rejectsCode(
        createPresentation(t.wallet, { profile: 'lite', aud: 'a', nonce: 'n', credentialId: '0'.repeat(32), confirm }),
        'CREDENTIAL_NOT_FOUND',
      );
      expect(unknown.message).toContain('netcred wallet list');

      const notSatisfying = await rejectsCode(
        createPresentation(t.wallet, { profile: 'lite', aud: 'a', nonce: 'n', credentialId: lacking.id, confirm }),
        'CREDENTIAL_DOES_NOT_SATISFY',
      );
      expect(notSatisfying.message).toContain('["family_name"]');
      expect(notSatisfying.message).toContain('["age_over_18"]');
      expect(notSatisfying.details).toEqual([{ path: 'identity', message: expect.stringContaining('["age_over_18"]') }]);
      expect(shown).toBe(0);
      // Left to choose, the wallet takes the credential that answers.
      expect((await createPresentation(t.wallet, { profile: 'lite', aud: 'a', nonce: 'n' })).credentialId).not.toBe(lacking.id);
    } finally {
      await t.cleanup();
    }
  });
});

describe('netcred wallet present --credential (CLI)', () => {
  const tmp = tempDir('netcred-present-choice-');
  const env = { NETCRED_PIN: '739146', NETCRED_HOME: tmp.dir };
  afterAll(() => tmp.cleanup());

  it('presents the newest by default, the credential named by --credential, and refuses an unknown id with exit 2', { timeout: 180_000 }, async () => {
    const init = await runCli(['wallet', 'init', '--json'], { env });
    expect(init.code, init.stderr).toBe(0);
    const did = (JSON.parse(init.stdout) as { did: string }).did;

    const older = await issueCredential(issuer.ctx, { holderDid: did, claims: sampleIdentityClaims() }, { now: new Date(Date.now() - 3600_000) });
    const newer = await issueCredential(issuer.ctx, { holderDid: did, claims: sampleIdentityClaims() });
    const ids: string[] = [];
    for (const [name, c] of [
      ['older', older],
      ['newer', newer],
    ] as const) {
      const file = path.join(tmp.dir, `${name}.txt`);
      writeFileSync(file, `${c.credential}\n`);
      const r = await runCli(['wallet', 'import', file, '--json'], { env });
      expect(r.code, r.stderr).toBe(0);
      ids.push((JSON.parse(r.stdout) as { id: string }).id);
    }
    const [olderId, newerId] = ids as [string, string];

    // `wallet list` prints each id whole: what --credential takes.
    const list = await runCli(['wallet', 'list'], { env });
    expect(list.code, list.stderr).toBe(0);
    for (const id of ids) expect(list.stdout.split(/\s+/)).toContain(id);

    const auto = await runCli(['wallet', 'present', '--profile', 'lite', '--yes', '--json'], { env });
    expect(auto.code, auto.stderr).toBe(0);
    const autoOut = JSON.parse(auto.stdout) as { presentation: string; credentialId: string };
    expect(autoOut.credentialId).toBe(newerId);
    expect(issuerJwt(autoOut.presentation)).toBe(issuerJwt(newer.credential));

    const chosen = await runCli(['wallet', 'present', '--profile', 'lite', '--credential', olderId, '--yes'], { env });
    expect(chosen.code, chosen.stderr).toBe(0);
    expect(issuerJwt(chosen.stdout.trim())).toBe(issuerJwt(older.credential));
    expect(chosen.stderr).toContain(olderId); // the plan names the credential it discloses from

    const unknown = await runCli(['wallet', 'present', '--profile', 'lite', '--credential', 'f'.repeat(32), '--yes'], { env });
    expect(unknown.code).toBe(2);
    expect(unknown.stdout).toBe('');
    expect(unknown.stderr).toMatch(/CREDENTIAL_NOT_FOUND/);
    expect(unknown.stderr).toContain('netcred wallet list');

    const unknownJson = await runCli(['wallet', 'present', '--profile', 'lite', '--credential', 'f'.repeat(32), '--yes', '--json'], { env });
    expect(unknownJson.code).toBe(2);
    expect((JSON.parse(unknownJson.stdout) as { error: { code: string } }).error.code).toBe('CREDENTIAL_NOT_FOUND');
  });
});
