import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createPresentation, importCredential, initWallet, listCredentials, openWallet, readCredential, walletFile } from '../../holder/index.js';
import { tempDir } from '../helpers/tmp.js';
import { rejectsCode } from './helpers/assert.js';
import { createPeerIssuer, identityClaims, issueIdentity } from './helpers/issue.js';
import { FAST_KDF, newTestWallet, TEST_PIN, type TestWallet } from './helpers/wallet.js';

let t: TestWallet | undefined;
afterEach(async () => {
  await t?.cleanup();
  t = undefined;
});

describe('wallet PIN lock', () => {
  it('refuses every key or credential operation while locked, and works again after unlock', async () => {
    t = await newTestWallet();
    const issuer = createPeerIssuer();
    const cred = await issueIdentity(issuer, t.key.publicJwk);
    const stored = await importCredential(t.wallet, cred);
    t.wallet.lock();
    expect(t.wallet.locked).toBe(true);
    await rejectsCode(listCredentials(t.wallet), 'WALLET_LOCKED');
    await rejectsCode(readCredential(t.wallet, stored.id), 'WALLET_LOCKED');
    await rejectsCode(importCredential(t.wallet, cred), 'WALLET_LOCKED');
    await rejectsCode(createPresentation(t.wallet, { profile: 'lite', aud: 'netcred:kiosk', nonce: 'n1' }), 'WALLET_LOCKED');
    await rejectsCode(t.wallet.signer(t.key.id), 'WALLET_LOCKED');
    await rejectsCode(t.wallet.createKey(), 'WALLET_LOCKED');
    await t.wallet.unlock(TEST_PIN);
    expect((await listCredentials(t.wallet)).map((c) => c.id)).toEqual([stored.id]);
    const p = await createPresentation(t.wallet, { profile: 'lite', aud: 'netcred:kiosk', nonce: 'n1' });
    expect(p.presentation.split('~').length).toBe(5);
  });

  it('a reopened wallet starts locked and opens with the PIN only', async () => {
    t = await newTestWallet();
    await t.wallet.close();
    t.wallet = await openWallet(t.dir);
    expect(t.wallet.locked).toBe(true);
    await rejectsCode(t.wallet.unlock('000001'), 'PIN_INVALID');
    expect(t.wallet.locked).toBe(true);
    await t.wallet.unlock(TEST_PIN);
    expect(t.wallet.locked).toBe(false);
    expect((await t.wallet.pinState()).failures).toBe(0);
  });

  it('backs off after repeated wrong PINs, and the count survives a restart', async () => {
    let now = 1_800_000_000_000;
    const clock = { now: () => now };
    t = await newTestWallet(clock);
    await t.wallet.close();
    t.wallet = await openWallet(t.dir, clock);
    for (let i = 1; i <= 3; i++) {
      const err = await rejectsCode(t.wallet.unlock(`99999${i}`), 'PIN_INVALID');
      expect((err as { details: { message: string }[] }).details[0]!.message).toBe(String(i));
    }
    await t.wallet.close();

    // Restart: a new process with the same database file.
    t.wallet = await openWallet(t.dir, clock);
    expect(await t.wallet.pinState()).toEqual({ failures: 3, nextAttemptAt: now + 30_000 });
    const locked = (await rejectsCode(t.wallet.unlock(TEST_PIN), 'PIN_LOCKED_OUT')) as unknown as { retryAfterMs: number };
    expect(locked.retryAfterMs).toBe(30_000);
    expect(t.wallet.locked).toBe(true);

    now += 30_001;
    await rejectsCode(t.wallet.unlock('123450'), 'PIN_INVALID');
    expect((await t.wallet.pinState()).nextAttemptAt).toBe(now + 60_000); // doubled
    now += 59_000;
    await rejectsCode(t.wallet.unlock(TEST_PIN), 'PIN_LOCKED_OUT');
    now += 1_001;
    await t.wallet.unlock(TEST_PIN);
    expect(await t.wallet.pinState()).toEqual({ failures: 0, nextAttemptAt: 0 });
  });

  it('caps the PIN back-off at one hour, however many wrong PINs follow', async () => {
    // 30 s doubling from the 3rd failure: the 10th would wait 30 s * 2^7 = 3840 s uncapped.
    const HOUR = 60 * 60 * 1000;
    let now = 1_800_000_000_000;
    const clock = { now: () => now };
    t = await newTestWallet(clock);
    const waits: number[] = [];
    for (let failures = 1; failures <= 12; failures++) {
      await rejectsCode(t.wallet.unlock('000001'), 'PIN_INVALID');
      const state = await t.wallet.pinState();
      expect(state.failures).toBe(failures);
      waits.push(state.nextAttemptAt - now);
      now = Math.max(now, state.nextAttemptAt); // the wait is over: the next attempt is allowed
    }
    expect(waits).toEqual([0, 0, 30_000, 60_000, 120_000, 240_000, 480_000, 960_000, 1_920_000, HOUR, HOUR, HOUR]);

    // A 13th wrong PIN waits the hour again; one ms early the correct PIN is refused, at the hour it opens.
    await rejectsCode(t.wallet.unlock('000001'), 'PIN_INVALID');
    expect((await t.wallet.pinState()).nextAttemptAt).toBe(now + HOUR);
    now += HOUR - 1;
    const locked = (await rejectsCode(t.wallet.unlock(TEST_PIN), 'PIN_LOCKED_OUT')) as unknown as { retryAfterMs: number };
    expect(locked.retryAfterMs).toBe(1);
    now += 1;
    await t.wallet.unlock(TEST_PIN);
    expect(t.wallet.locked).toBe(false);
  });

  it('rejects weak PINs, a second init, and a missing wallet', async () => {
    const tmp = tempDir('netcred-wallet-');
    try {
      await rejectsCode(initWallet(tmp.dir, '12345', { kdf: FAST_KDF }), 'PIN_TOO_WEAK');
      await rejectsCode(initWallet(tmp.dir, '111111', { kdf: FAST_KDF }), 'PIN_TOO_WEAK');
      await rejectsCode(openWallet(tmp.dir), 'WALLET_NOT_INITIALIZED');
      const { wallet } = await initWallet(tmp.dir, TEST_PIN, { kdf: FAST_KDF });
      await wallet.close();
      await rejectsCode(initWallet(tmp.dir, TEST_PIN, { kdf: FAST_KDF }), 'WALLET_EXISTS');
    } finally {
      tmp.cleanup();
    }
  });

  it('stores no claim value, disclosure or private key in clear in the wallet files', async () => {
    t = await newTestWallet();
    const claims = identityClaims({ given_name: 'Zephyrine' });
    const cred = await issueIdentity(createPeerIssuer(), t.key.publicJwk, { claims });
    await importCredential(t.wallet, cred);
    const signer = await t.wallet.signer(t.key.id);
    expect(signer.alg).toBe('ES256');
    await t.wallet.close();
    const dir = path.dirname(walletFile(t.dir));
    const bytes = Buffer.concat(readdirSync(dir).map((f) => readFileSync(path.join(dir, f))));
    expect(bytes.length).toBeGreaterThan(4096);
    const needles = [
      claims.given_name,
      claims.id_number,
      claims.address.street_address,
      cred.split('~')[1]!, // an encoded disclosure
      cred.split('.')[1]!.slice(0, 40), // the issuer JWT payload
    ];
    for (const n of needles) {
      expect(bytes.includes(Buffer.from(n, 'utf8')), `found ${n}`).toBe(false);
    }
    // Sanity check of the search itself: the public DID is stored in clear.
    expect(bytes.includes(Buffer.from(t.key.did, 'utf8'))).toBe(true);
    t.wallet = await openWallet(t.dir);
  });
});
