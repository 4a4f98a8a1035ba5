import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { createVerifier, createVerifierApp, emptyTrustBundle, listenApp, TrustStore, type RunningServer } from '../../verifier/index.js';
import { chromiumAvailable, launchChromium } from './helpers/chromium.js';

// The smallest check of the page pipeline: vite's build is served by the verifier app at /kiosk/
// with its CSP, and the page runs in Chromium (its script loaded from 'self', no CSP violation).
describe.skipIf(!chromiumAvailable())('kiosk page: served and running', () => {
  let server: RunningServer;
  let browser: Browser;
  beforeAll(async () => {
    const verifier = createVerifier({ trust: new TrustStore(emptyTrustBundle()) });
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
});
