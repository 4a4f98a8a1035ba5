import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { createVerifier, createVerifierApp, emptyTrustBundle, listenApp, TrustStore, type RunningServer, type Verifier } from '../../verifier/index.js';
import { statusEntry, world } from '../verifier/helpers/fixture.js';
import { chromiumAvailable, launchChromium } from './helpers/chromium.js';

// The smallest check of the page pipeline: vite's build is served by the verifier app at /kiosk/
// with its CSP, and the page runs in Chromium (its script loaded from 'self', no CSP violation).
describe.skipIf(!chromiumAvailable())('kiosk page: served and running', () => {
  let server: RunningServer;
  let browser: Browser;
  let verifier: Verifier;
  beforeAll(async () => {
    verifier = createVerifier({ trust: new TrustStore(emptyTrustBundle()) });
    server = await listenApp(createVerifierApp({ verifier }));
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('GET /kiosk redirects to /kiosk/, which is the page with a strict CSP', async () => {
    const redirect = await fetch(`${server.url}/kiosk`, { redirect: 'manual' });
    expect(redirect.status).toBe(301);
    expect(redirect.headers.get('location')).toBe('/kiosk/');
    const res = await fetch(`${server.url}/kiosk/`);
    expect(res.status, 'run npm run build (or npm run build:web) first').toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/html/);
    expect(res.headers.get('content-security-policy')).toMatch(/script-src 'self'/);
    expect(res.headers.get('permissions-policy')).toMatch(/camera=\(self\)/);
    const html = await res.text();
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
  });

  it('renders in Chromium without a CSP violation or a script error', async () => {
    const page = await browser.newPage();
    const problems: string[] = [];
    page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(`console: ${m.text()}`);
    });
    await page.goto(`${server.url}/kiosk/`);
    await page.getByRole('heading', { level: 1 }).waitFor();
    expect(problems).toEqual([]);
    await page.close();
  });

  it('the trust bundle header: its age always, a warning for a status list past its ttl, another for a stale one', async () => {
    const w = await world();
    const now = Math.floor(Date.now() / 1000);
    // Fetched 10 minutes ago with a ttl of 60 s (past its ttl, still usable), then one past its exp (stale).
    const pastTtl = await statusEntry(w.issuer, w.list, { fetchedAt: new Date((now - 600) * 1000), iat: now - 600, ttl: 60, exp: now + 86400 });
    const expired = await statusEntry(w.issuer, w.list, { fetchedAt: new Date((now - 7200) * 1000), iat: now - 7200, ttl: 60, exp: now - 60 });
    const page = await browser.newPage({ locale: 'en-US' });
    verifier.setTrust(new TrustStore({ ...w.bundle, updatedAt: new Date((now - 600) * 1000).toISOString(), statusLists: [pastTtl] }));
    await page.goto(`${server.url}/kiosk/`);
    await expect.poll(() => page.getByTestId('trust-age').textContent()).toBe('Trust bundle updated 10 min ago');
    expect(await page.getByTestId('trust-warning').textContent()).toContain('1 status list(s) past their refresh time (ttl)');
    verifier.setTrust(new TrustStore({ ...w.bundle, statusLists: [expired] }));
    await page.reload();
    await expect.poll(() => page.getByTestId('trust-warning').textContent()).toContain('1 status list(s) expired');
    // Without a fake camera the page says the camera is unavailable, and stays usable.
    await expect.poll(() => page.getByTestId('camera-state').getAttribute('data-state')).toMatch(/^(error|denied)$/);
    await page.close();
  });
});
