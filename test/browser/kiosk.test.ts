import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeQrPng } from '../../core/index.js';
import { createKioskQr, importCredential, respondToRequest } from '../../holder/index.js';
import { issueCredential, revokeCredential } from '../../issuer/index.js';
import { sampleIdentityClaims } from '../../schemas/index.js';
import {
  createVerifier,
  createVerifierApp,
  emptyTrustBundle,
  listenApp,
  oid4vpRoutesFor,
  syncIssuer,
  TrustStore,
  type RunningServer,
  type Verifier,
} from '../../verifier/index.js';
import { newTestWallet, type TestWallet } from '../holder/helpers/wallet.js';
import { startTestIssuer, type TestIssuer } from '../helpers/issuer.js';
import { tempDir } from '../helpers/tmp.js';
import { describeViolations, seriousViolations } from './helpers/axe.js';
import { chromiumAvailable, launchChromium } from './helpers/chromium.js';
import { fakeCameraArgs, pngToY4m } from './helpers/fake-camera.js';
import { screenshot } from './helpers/screenshot.js';

/**
 * The kiosk page end to end: a real issuer, real wallets, the verifier app (synced from the issuer
 * over HTTP), and Chromium whose camera plays a video of the wallet's real lite QR (the PNG that
 * `netcred wallet present --qr` writes, through the same createKioskQr + writeQrPng). One browser
 * per video: the fake camera's file is fixed at launch.
 */
const DOCS_IMAGES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../docs/images');
const VERIFIER_ADMIN = 'kiosk-test-verifier-admin-0123456789';
// The verdict stays until "Next person" (hold=600), so the test reads it at its own pace.
const KIOSK_PATH = '/kiosk/?hold=600';
/** A browser launch, camera start and a few verifications: generous on 2 shared cores (no timing is asserted). */
const BROWSER_TEST_MS = 240_000;

/** The committed docs image is replaced only on request (NETCRED_DOCS_IMAGES=1), or made when missing. */
function toDocs(shot: string, name: string): void {
  const target = path.join(DOCS_IMAGES, name);
  if (process.env.NETCRED_DOCS_IMAGES !== '1' && existsSync(target)) return;
  mkdirSync(DOCS_IMAGES, { recursive: true });
  copyFileSync(shot, target);
}

const run = chromiumAvailable();

describe.skipIf(!run)('kiosk page: camera scan, verdicts, languages, accessibility', { timeout: BROWSER_TEST_MS }, () => {
  let issuer: TestIssuer;
  let verifier: Verifier;
  let server: RunningServer;
  let tmp: ReturnType<typeof tempDir>;
  const wallets: TestWallet[] = [];
  /** The fake camera videos, by case. */
  const videos: Record<'valid' | 'revoked' | 'stale' | 'garbage', string> = { valid: '', revoked: '', stale: '', garbage: '' };
  let upgradedWallet: TestWallet;

  /** A wallet (with its own clock, if given) holding one credential of a distinct person. */
  async function walletFor(person: { given: string; family: string; birthdate: string }, options: { now?: () => number; issuedAt?: Date } = {}) {
    const t = await newTestWallet(options.now ? { now: options.now } : {});
    wallets.push(t);
    const claims = sampleIdentityClaims({ given_name: person.given, family_name: person.family, birthdate: person.birthdate });
    const issued = await issueCredential(issuer.ctx, { holderDid: t.key.did, claims }, options.issuedAt ? { now: options.issuedAt } : {});
    await importCredential(t.wallet, issued.credential);
    return { t, issued };
  }

  /** The wallet's lite QR as a PNG (the CLI's path), then as the camera's y4m video. */
  async function qrVideo(name: string, payload: string): Promise<string> {
    const png = path.join(tmp.dir, `${name}.png`);
    await writeQrPng(png, payload);
    return pngToY4m(png, path.join(tmp.dir, `${name}.y4m`));
  }

  async function sync(): Promise<void> {
    const { bundle } = await syncIssuer(emptyTrustBundle(), issuer.url);
    verifier.setTrust(new TrustStore(bundle));
  }

  beforeAll(async () => {
    tmp = tempDir('netcred-kiosk-');
    issuer = await startTestIssuer();
    const valid = await walletFor({ given: 'Mei', family: 'Lin', birthdate: '1990-03-07' });
    upgradedWallet = valid.t;
    const revoked = await walletFor({ given: 'Jun', family: 'Wang', birthdate: '1985-11-02' });
    // The stale QR: a wallet whose clock is 10 minutes behind (the kiosk accepts proofs up to 300 s old).
    const behind = Date.now() - 600_000;
    const stale = await walletFor({ given: 'Hua', family: 'Chen', birthdate: '1978-06-15' }, { now: () => behind, issuedAt: new Date(Date.now() - 3600_000) });

    const { bundle } = await syncIssuer(emptyTrustBundle(), issuer.url);
    verifier = createVerifier({ trust: new TrustStore(bundle) });
    let url = '';
    const oid4vp = oid4vpRoutesFor(verifier, { baseUrl: () => url, adminToken: VERIFIER_ADMIN });
    server = await listenApp(createVerifierApp({ verifier, routers: [oid4vp.router] }));
    url = server.url;

    // Revoked at the issuer after the kiosk's first sync; the kiosk sees it after its next sync.
    await revokeCredential(issuer.ctx, revoked.issued.id, 'device_lost', 'kiosk-test');
    await sync();

    videos.valid = await qrVideo('valid', (await createKioskQr(valid.t.wallet)).qrPayload);
    videos.revoked = await qrVideo('revoked', (await createKioskQr(revoked.t.wallet)).qrPayload);
    const staleQr = await createKioskQr(stale.t.wallet);
    expect(Math.floor(Date.now() / 1000) - staleQr.iat).toBeGreaterThan(300);
    videos.stale = await qrVideo('stale', staleQr.qrPayload);
    videos.garbage = await qrVideo('garbage', 'HTTPS://EXAMPLE.COM/NOT-AN-ID');
  }, BROWSER_TEST_MS);

  afterAll(async () => {
    await server?.close();
    for (const w of wallets) await w.cleanup();
    await issuer?.close();
    tmp?.cleanup();
  });

  /** One browser whose camera plays `video`, in English unless told. */
  async function withCamera(video: string, body: (context: BrowserContext) => Promise<void>, locale = 'en-US'): Promise<void> {
    const browser: Browser = await launchChromium(fakeCameraArgs(video));
    try {
      const context = await browser.newContext({ locale, viewport: { width: 1920, height: 1080 } });
      await context.grantPermissions(['camera'], { origin: server.url });
      await body(context);
    } finally {
      await browser.close();
    }
  }

  async function openKiosk(context: BrowserContext): Promise<{ page: Page; problems: string[] }> {
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(`console: ${m.text()}`);
    });
    await page.goto(`${server.url}${KIOSK_PATH}`);
    return { page, problems };
  }

  async function verdictOf(page: Page): Promise<{ verdict: string | null; code: string | null; text: string }> {
    const v = page.getByTestId('verdict');
    await v.waitFor({ timeout: 45_000 });
    return { verdict: await v.getAttribute('data-verdict'), code: await v.getAttribute('data-code'), text: (await v.textContent()) ?? '' };
  }

  async function expectAccessible(page: Page): Promise<void> {
    const violations = await seriousViolations(page);
    expect(violations, describeViolations(violations)).toEqual([]);
  }

  it('valid QR: green with the name and adult, nothing else; Next person; the same QR again: replayed, in zh-CN too', async () => {
    await withCamera(videos.valid, async (context) => {
      const { page, problems } = await openKiosk(context);
      // The trust bundle's age is always on screen.
      await expect.poll(() => page.getByTestId('trust-age').textContent()).toMatch(/Trust bundle updated \d+ (s|min) ago/);
      const first = await verdictOf(page);
      expect(first.verdict).toBe('valid');
      expect(first.text).toContain('Verified');
      expect(await page.locator('[data-claim=name] dd').textContent()).toBe('Mei Lin');
      expect(await page.locator('[data-claim=adult] dd').textContent()).toBe('Yes');
      // Only the lite profile's claims: no birthdate, no id number, no address.
      expect(await page.locator('[data-claim]').evaluateAll((els) => els.map((e) => e.getAttribute('data-claim')))).toEqual(['name', 'adult']);
      await expectAccessible(page);
      await screenshot(page, 'kiosk-valid', 'phone');
      const kioskShot = await screenshot(page, 'kiosk-valid', 'kiosk');
      toDocs(kioskShot, 'kiosk-valid.png');
      // Next person: the QR still in front of the camera is not sent again (no false "replayed").
      await page.getByRole('button', { name: 'Next person' }).click();
      await page.getByTestId('verdict').waitFor({ state: 'detached' });
      await page.getByRole('heading', { name: 'Show the QR code from your wallet to the camera' }).waitFor();
      await expectAccessible(page);
      await screenshot(page, 'kiosk-scan', 'kiosk');
      expect(problems).toEqual([]);
      await page.close();

      // The same QR shown again (a fresh page: the kiosk's own memory of the last QR is gone, the verifier's is not).
      const again = await context.newPage();
      await again.goto(`${server.url}${KIOSK_PATH}`);
      const replayed = await verdictOf(again);
      expect(replayed).toMatchObject({ verdict: 'invalid', code: 'KB_JWT_REPLAYED' });
      expect(replayed.text).toContain('This QR code was already used');
      expect(replayed.text).toContain('Code: KB_JWT_REPLAYED');
      // Switch to zh-CN on the verdict screen: the reason is translated, the code stays.
      await again.getByRole('button', { name: '中文' }).click();
      await expect.poll(() => again.getByTestId('reason').textContent()).toContain('此二维码已被使用过');
      expect(await again.getByTestId('code').textContent()).toBe('代码：KB_JWT_REPLAYED');
      expect(await again.evaluate('document.documentElement.lang')).toBe('zh-CN');
      await expectAccessible(again);
      await again.getByRole('button', { name: '下一位' }).click();
      await again.getByRole('heading', { name: '请将钱包中的二维码对准摄像头' }).waitFor();
      await expectAccessible(again);
      await screenshot(again, 'kiosk-scan-zh', 'phone');
    });
  });

  it('revoked (after a sync): red, in plain words, with STATUS_REVOKED', async () => {
    await withCamera(videos.revoked, async (context) => {
      const { page, problems } = await openKiosk(context);
      const v = await verdictOf(page);
      expect(v).toMatchObject({ verdict: 'invalid', code: 'STATUS_REVOKED' });
      expect(v.text).toContain('Not accepted');
      expect(v.text).toContain('This ID has been revoked by its issuer.');
      expect(await page.locator('[data-claim]').count()).toBe(0);
      await expectAccessible(page);
      await screenshot(page, 'kiosk-revoked', 'phone');
      toDocs(await screenshot(page, 'kiosk-revoked', 'kiosk'), 'kiosk-revoked.png');
      expect(problems).toEqual([]);
    });
  });

  it('stale (made 10 minutes ago by the wallet clock): red, says the QR is too old, KB_JWT_STALE; the verdict resets by itself', async () => {
    await withCamera(videos.stale, async (context) => {
      const page = await context.newPage();
      await page.goto(`${server.url}/kiosk/?hold=3`);
      const v = await verdictOf(page);
      expect(v).toMatchObject({ verdict: 'invalid', code: 'KB_JWT_STALE' });
      expect(v.text).toContain('This QR code is too old');
      // hold=3: back to scanning by itself; the same QR, still in front of the camera, is not sent again.
      await page.getByTestId('verdict').waitFor({ state: 'detached', timeout: 30_000 });
      await page.getByRole('heading', { name: 'Show the QR code from your wallet to the camera' }).waitFor();
    });
  });

  it('garbage (any other QR): red, not an ID presentation, MALFORMED; then the upgraded check over OpenID4VP', async () => {
    await withCamera(videos.garbage, async (context) => {
      const { page, problems } = await openKiosk(context);
      const v = await verdictOf(page);
      expect(v).toMatchObject({ verdict: 'invalid', code: 'MALFORMED' });
      expect(v.text).toContain('This QR code is not an ID presentation.');
      await page.getByRole('button', { name: 'Next person' }).click();

      // Upgraded: the operator token once, then the request's QR; the wallet answers; the page polls the verdict.
      await page.getByRole('button', { name: 'Full identity check (upgraded)' }).click();
      await page.getByLabel('Operator token (the verifier admin token)').fill(VERIFIER_ADMIN);
      await page.getByRole('button', { name: 'Save and continue' }).click();
      await page.getByRole('img', { name: 'QR code of an OpenID4VP request for the full identity' }).waitFor();
      await expectAccessible(page);
      await screenshot(page, 'kiosk-upgraded-request', 'kiosk');
      const uri = await page.getByTestId('request-uri').textContent();
      expect(uri).toMatch(/^openid4vp:\/\//);
      const answer = await respondToRequest(upgradedWallet.wallet, uri!, { confirm: async () => true });
      expect(answer).toBeTruthy();
      const up = await verdictOf(page);
      expect(up.verdict).toBe('valid');
      expect(await page.locator('[data-claim=name] dd').textContent()).toBe('Mei Lin');
      // The upgraded profile's claims: the date of birth and the ID number too.
      expect(await page.locator('[data-claim=birthdate] dd').textContent()).toBe('1990-03-07');
      expect(await page.locator('[data-claim]').count()).toBeGreaterThan(2);
      await screenshot(page, 'kiosk-upgraded-valid', 'kiosk');
      expect(problems).toEqual([]);
    });
  });
});
