import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import jsQRModule from 'jsqr';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { PNG } from 'pngjs';
import QRCode from 'qrcode';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeQrTransport } from '../../core/index.js';
import { DEFAULT_KIOSK_AUD, initWallet, startWalletUi, type RunningWalletUi } from '../../holder/index.js';
import { revokeCredential, suspendCredential } from '../../issuer/index.js';
import { sampleIdentityClaims } from '../../schemas/index.js';
import {
  createOid4vpRouter,
  createVerifier,
  createVerifierApp,
  listenApp,
  pipelineVerifier,
  type RunningServer,
  type VerificationResult,
} from '../../verifier/index.js';
import { cliNodeArgs, repoRoot, runCli } from '../helpers/cli.js';
import { startTestIssuer, type TestIssuer } from '../helpers/issuer.js';
import { tempDir } from '../helpers/tmp.js';
import { enroll, enrollmentBody } from '../oid4vci/helpers.js';
import { createRequest, trustFor, VERIFIER_ADMIN, verdictOf } from '../oid4vp/fixture.js';
import { documentedRoutes, key, liveRoutes, toOpenApiPath } from '../openapi/routes.js';
import { OPENAPI_31_SUBSET } from '../openapi/schema.js';
import { describeViolations, seriousViolations } from './helpers/axe.js';
import { chromiumAvailable, launchChromium } from './helpers/chromium.js';
import { fakeCameraArgs, pngToY4m } from './helpers/fake-camera.js';
import { screenshot, VIEWPORTS } from './helpers/screenshot.js';

// jsqr is CommonJS (module.exports.default): the function, however Node hands the module over.
const jsQR = ((jsQRModule as unknown as { default?: unknown }).default ?? jsQRModule) as unknown as typeof import('jsqr').default;

// The wallet page of `netcred wallet ui` in Chromium: the real page server (holder/ui-server) over
// real wallets (SQLite in temp dirs), the real issuer (OpenID4VCI offer with a tx_code) and the
// real verifier app (POST /verify for the lite QR, OpenID4VP for a request).

const PIN = '482915';
const KDF = { N: 1024, r: 8, p: 1 };
const VCT = 'urn:netcred:vct:resident-identity:1';
/** Claim names the verifier saw as disclosed: all but the always-visible JWT claims. */
const VISIBLE = new Set(['iss', 'iat', 'nbf', 'exp', 'cnf', 'vct', 'status', 'vct#integrity', 'sub', 'jti']);
const disclosedNames = (claims: Record<string, unknown>) =>
  Object.keys(claims)
    .filter((k) => !VISIBLE.has(k))
    .sort();

type Verifier = { url: string; server: RunningServer };

/** The verifier app with its OpenID4VP routes, trusting the issuer (status lists fetched now, as a sync would). */
async function startVerifier(issuer: TestIssuer): Promise<Verifier> {
  const verifier = createVerifier({ trust: await trustFor(issuer) });
  let url = '';
  const oid4vp = createOid4vpRouter({ baseUrl: () => url, adminToken: VERIFIER_ADMIN, verify: pipelineVerifier(verifier) });
  const server = await listenApp(createVerifierApp({ verifier, routers: [oid4vp.router] }));
  url = server.url;
  return { url, server };
}

/** A wallet with no credential in a temp dir, closed (the page server opens it). */
async function emptyWallet(prefix: string): Promise<{ dir: string; cleanup(): void }> {
  const tmp = tempDir(prefix);
  const { wallet } = await initWallet(tmp.dir, PIN, { kdf: KDF });
  await wallet.close();
  return tmp;
}

/** A raw request with any Host and headers (fetch will not send a foreign Host). */
function rawRequest(
  origin: string,
  p: string,
  headers: Record<string, string>,
  method = 'GET',
  body?: string,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const u = new URL(p, origin);
  return new Promise((resolve, reject) => {
    const req = http.request({ host: u.hostname, port: u.port, path: u.pathname, method, headers }, (res) => {
      let text = '';
      res.on('data', (c: Buffer) => (text += c.toString('utf8')));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text.startsWith('{') ? (JSON.parse(text) as Record<string, unknown>) : {} }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

async function expectAccessible(page: Page): Promise<void> {
  const violations = await seriousViolations(page);
  expect(violations, describeViolations(violations)).toEqual([]);
}

/** Opens the page with the URL the command printed and unlocks it with the PIN (each test locks the wallet first). */
async function openUnlocked(context: BrowserContext, ui: RunningWalletUi): Promise<Page> {
  ui.session.lock();
  const page = await context.newPage();
  await page.goto(ui.url);
  await page.getByLabel('PIN').fill(PIN);
  await page.getByRole('button', { name: 'Unlock' }).click();
  await page.getByRole('heading', { name: 'Your credentials' }).waitFor();
  return page;
}

describe.skipIf(!chromiumAvailable())('wallet page (netcred wallet ui) in Chromium', () => {
  let issuer: TestIssuer;
  let browser: Browser;
  let main: RunningWalletUi;
  let lockedOut: RunningWalletUi;
  let verifier: Verifier | undefined;
  const dirs: { cleanup(): void }[] = [];
  const errors: string[] = [];

  const newContext = async (options: { viewport?: { width: number; height: number } } = {}) => {
    const context = await browser.newContext({ locale: 'en-US', viewport: options.viewport ?? VIEWPORTS.kiosk });
    context.on('page', (page) => {
      page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
      page.on('console', (m) => {
        // A refused API call is logged by Chromium as a failed resource load: expected where the test provokes one.
        if (m.type() === 'error' && !/status of 4\d\d/.test(m.text())) errors.push(`console: ${m.text()}`);
      });
    });
    return context;
  };

  beforeAll(async () => {
    issuer = await startTestIssuer();
    const a = await emptyWallet('netcred-wallet-ui-main-');
    const b = await emptyWallet('netcred-wallet-ui-pin-');
    dirs.push(a, b);
    main = await startWalletUi({ dataDir: a.dir });
    lockedOut = await startWalletUi({ dataDir: b.dir });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await main?.close();
    await lockedOut?.close();
    await verifier?.server.close();
    await issuer?.close();
    for (const d of dirs) d.cleanup();
  });

  it('serves the page on 127.0.0.1 with its CSP, and refuses a foreign Host, a foreign Origin and a call without the session token', async () => {
    expect(main.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/#t=[A-Za-z0-9_-]{43}$/);
    const page = await fetch(`${main.origin}/`);
    expect(page.status, 'run npm run build (or npm run build:web) first').toBe(200);
    expect(page.headers.get('content-security-policy')).toMatch(/script-src 'self'/);
    expect(page.headers.get('permissions-policy')).toMatch(/camera=\(self\)/);
    const auth = { authorization: `Bearer ${main.token}` };
    const port = new URL(main.origin).port;
    // DNS rebinding: a name that resolves to 127.0.0.1 is not this server's origin.
    for (const p of ['/', '/api/state']) {
      const rebound = await rawRequest(main.origin, p, { ...auth, host: `evil.example:${port}` });
      expect(rebound.status).toBe(403);
      expect(rebound.body).toMatchObject({ error: 'access_denied', code: 'WALLET_UI_ORIGIN_REFUSED' });
    }
    const foreign = await rawRequest(
      main.origin,
      '/api/unlock',
      { ...auth, host: `127.0.0.1:${port}`, origin: 'http://evil.example', 'content-type': 'application/json' },
      'POST',
      JSON.stringify({ pin: PIN }),
    );
    expect(foreign.status).toBe(403);
    expect(foreign.body.code).toBe('WALLET_UI_ORIGIN_REFUSED');
    const crossSite = await rawRequest(main.origin, '/api/state', { ...auth, host: `127.0.0.1:${port}`, 'sec-fetch-site': 'cross-site' });
    expect(crossSite.status).toBe(403);
    const noToken = await fetch(`${main.origin}/api/state`);
    expect(noToken.status).toBe(401);
    expect(await noToken.json()).toMatchObject({ code: 'WALLET_UI_SESSION_INVALID' });
    const wrongToken = await fetch(`${main.origin}/api/state`, { headers: { authorization: 'Bearer not-the-token-of-this-launch' } });
    expect(wrongToken.status).toBe(401);
    // None of those reached the wallet: it is still locked, with no failed PIN counted.
    const state = await fetch(`${main.origin}/api/state`, { headers: auth });
    expect(await state.json()).toMatchObject({ locked: true, failures: 0 });
    // In the browser: another origin's page cannot read the API (no CORS), even with the token.
    const context = await browser.newContext();
    const other = await context.newPage();
    await other.goto(`${issuer.url}/.well-known/openid-credential-issuer`);
    const fromOther = await other.evaluate(
      async ([url, token]) =>
        fetch(url!, { headers: { authorization: `Bearer ${token}` } }).then(
          (r) => `status ${r.status}`,
          (e: Error) => `failed ${e.name}`,
        ),
      [`${main.origin}/api/state`, main.token],
    );
    expect(fromOther).toMatch(/^failed/);
    await context.close();
  });

  it('wrong PINs: the count, then the same back-off as the CLI, shown with its waiting time; the API refuses the right PIN meanwhile', async () => {
    const context = await newContext({ viewport: VIEWPORTS.phone });
    const page = await context.newPage();
    await page.goto(lockedOut.url);
    await expectAccessible(page);
    await screenshot(page, 'wallet-unlock', 'phone');
    await screenshot(page, 'wallet-unlock', 'kiosk');
    await page.setViewportSize(VIEWPORTS.phone);
    for (let i = 1; i <= 3; i++) {
      await page.getByLabel('PIN').fill('000000');
      await page.getByRole('button', { name: 'Unlock' }).click();
      await page.locator(`[role=alert][data-code=PIN_INVALID][data-failures="${i}"]`).waitFor();
      await expect(page.getByRole('alert').textContent()).resolves.toContain(`Wrong PIN (${i} in a row)`);
      if (i < 3) await expect(page.getByRole('alert').textContent()).resolves.toContain(`${3 - i} more attempt(s)`);
    }
    // Three free attempts, then 30 s (holder/crypto/backoff.ts), counted by the wallet itself.
    const wait = page.getByTestId('pin-wait');
    await wait.waitFor();
    const seconds = Number(await wait.getAttribute('data-wait-seconds'));
    expect(seconds).toBeGreaterThan(0);
    expect(seconds).toBeLessThanOrEqual(30);
    expect(await wait.textContent()).toMatch(/Try again in \d+ s/);
    await page.getByLabel('PIN').fill(PIN);
    expect(await page.getByRole('button', { name: 'Unlock' }).isDisabled()).toBe(true);
    await screenshot(page, 'wallet-pin-wait', 'phone');
    // The server refuses the right PIN during the wait: the typed error, with the time left.
    const res = await fetch(`${lockedOut.origin}/api/unlock`, {
      method: 'POST',
      headers: { authorization: `Bearer ${lockedOut.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ pin: PIN }),
    });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { code: string; details: { path: string; message: string }[] };
    expect(body.code).toBe('PIN_LOCKED_OUT');
    expect(Number(body.details.find((d) => d.path === 'retry_after_ms')?.message)).toBeGreaterThan(0);
    // A reload (the token kept for this tab) shows the wait again, read from the server.
    await page.reload();
    await page.getByTestId('pin-wait').waitFor();
    await context.close();
  });

  it('accepts an offer with its tx_code from the real issuer, syncs, and lists the credential as valid; English and zh-CN', async () => {
    const res = await enroll(issuer.url, enrollmentBody(sampleIdentityClaims(), { txCode: true }));
    expect(res.status).toBe(201);
    const { offer, txCode } = (await res.json()) as { offer: string; txCode: string };
    const context = await newContext({ viewport: VIEWPORTS.phone });
    const page = await openUnlocked(context, main);
    expect(await page.getByTestId('credentials').locator('li').count()).toBe(0);
    await page.getByRole('button', { name: 'Accept an offer' }).click();
    await page.getByLabel('Offer link').fill(offer);
    await page.getByLabel('Transaction code').fill(txCode);
    await expectAccessible(page);
    await page.getByRole('button', { name: 'Accept', exact: true }).click();
    await expect(page.getByTestId('notice').textContent()).resolves.toMatch(/1 credential\(s\) added/);
    const cred = page.getByTestId('credentials').locator('li');
    await cred.waitFor();
    expect(await cred.getAttribute('data-state')).toBe('unknown');
    expect(await page.getByTestId('last-sync').textContent()).toContain('Not synced');
    await page.getByRole('button', { name: 'Sync' }).click();
    await expect(page.getByTestId('notice').textContent()).resolves.toMatch(/Sync done: 1 valid/);
    await page.locator('[data-testid=credentials] li[data-state=valid]').waitFor();
    expect(await page.getByTestId('last-sync').textContent()).toMatch(/^Last sync: /);
    expect(await cred.textContent()).toContain('蒋秀英');
    await expectAccessible(page);
    await screenshot(page, 'wallet-credentials', 'phone');
    await screenshot(page, 'wallet-credentials', 'kiosk');
    await page.setViewportSize(VIEWPORTS.phone);
    // The language toggle: every text from the zh-CN catalog.
    await page.getByRole('button', { name: '中文' }).click();
    await page.getByRole('heading', { name: '我的证件' }).waitFor();
    expect(await page.locator('html').getAttribute('lang')).toBe('zh-CN');
    expect(await cred.textContent()).toContain('有效');
    expect(await page.getByTestId('notice').textContent()).toMatch(/^同步完成：1 个有效/);
    await screenshot(page, 'wallet-credentials-zh', 'phone');
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('heading', { name: 'Your credentials' }).waitFor();
    await context.close();
    verifier = await startVerifier(issuer);
  });

  it('the lite QR is renewed before it goes stale (page clock driven), and the kiosk verifier accepts what it shows', async () => {
    expect(verifier, 'the offer test runs first').toBeDefined();
    const context = await newContext();
    await context.clock.install();
    const page = await openUnlocked(context, main);
    await page.getByRole('button', { name: 'Show lite QR' }).click();
    const qr = page.getByTestId('lite-qr');
    await qr.waitFor();
    const first = (await qr.getAttribute('data-payload'))!;
    expect(first).toMatch(/^NC1:/);
    const countdown = page.getByTestId('qr-countdown');
    expect(await countdown.textContent()).toMatch(/^New code in \d+ s$/);
    expect(Number(await countdown.getAttribute('data-seconds'))).toBeGreaterThan(45);
    // What the kiosk will see: the lite profile's claims only.
    expect(
      (
        await page
          .getByTestId('qr-claims')
          .locator('li')
          .evaluateAll((els) => els.map((e) => e.getAttribute('data-path')))
      ).sort(),
    ).toEqual(['["age_over_18"]', '["family_name"]', '["given_name"]']);
    await expectAccessible(page);
    await screenshot(page, 'wallet-lite-qr', 'kiosk');
    await screenshot(page, 'wallet-lite-qr', 'phone');
    await page.setViewportSize(VIEWPORTS.kiosk);

    // Half-way: the same code, the countdown down to 30 s.
    await page.clock.fastForward(30_000);
    await expect.poll(async () => Number(await countdown.getAttribute('data-seconds')), { timeout: 10_000 }).toBeLessThanOrEqual(30);
    expect(Number(await countdown.getAttribute('data-seconds'))).toBeGreaterThan(0);
    expect(await qr.getAttribute('data-payload')).toBe(first);
    // At 61 s (a kiosk accepts a code for 300 s): a new code, and never the "stale" warning.
    await page.clock.fastForward(31_000);
    await expect.poll(() => qr.getAttribute('data-payload'), { timeout: 20_000 }).not.toBe(first);
    expect(await page.getByText('too old for a kiosk').count()).toBe(0);
    const second = (await qr.getAttribute('data-payload'))!;
    expect(second).not.toBe(first);
    expect(Number(await countdown.getAttribute('data-seconds'))).toBeGreaterThan(30);

    // The QR as a camera reads it: the image on screen decodes to the payload the page rendered.
    const shot = PNG.sync.read(await qr.locator('img').screenshot());
    const read = jsQR(new Uint8ClampedArray(shot.data), shot.width, shot.height);
    expect(read?.data).toBe(second);
    // ...and the verifier accepts it: the lite claims, bound to the kiosk audience.
    const presentation = decodeQrTransport(second);
    const verdict = (await (
      await fetch(`${verifier!.url}/verify`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ presentation, profile: 'lite', aud: DEFAULT_KIOSK_AUD }),
      })
    ).json()) as VerificationResult;
    expect(verdict).toMatchObject({ valid: true, issuer: issuer.ctx.issuerDid, profile: 'lite' });
    expect(disclosedNames(verdict.claims)).toEqual(['age_over_18', 'family_name', 'given_name']);
    expect(verdict.keyBinding?.aud).toBe(DEFAULT_KIOSK_AUD);

    // Let the page clock run past a code's validity with the server answering: it keeps renewing.
    await page.clock.fastForward(60_000);
    await expect.poll(() => qr.getAttribute('data-payload'), { timeout: 20_000 }).not.toBe(second);
    expect(await page.getByText('too old for a kiosk').count()).toBe(0);
    await context.close();
  });

  it('scan a request (pasted link): the consent screen lists exactly the DCQL-selected claims, and the verifier receives exactly those', async () => {
    expect(verifier, 'the offer test runs first').toBeDefined();
    const query = {
      credentials: [
        {
          id: 'identity',
          format: 'dc+sd-jwt',
          meta: { vct_values: [VCT] },
          claims: [{ path: ['family_name'] }, { path: ['birthdate'] }, { path: ['nationality'] }],
        },
      ],
    };
    const created = await createRequest(verifier!.url, { dcql_query: query });
    const context = await newContext({ viewport: VIEWPORTS.phone });
    const page = await openUnlocked(context, main);
    await page.getByRole('button', { name: 'Scan a request' }).click();
    await page.getByLabel('Request link').fill(created.uri!);
    await page.getByRole('button', { name: 'Continue' }).click();
    const consent = page.getByTestId('consent');
    await consent.waitFor();
    const shown = await page
      .getByTestId('consent-claims')
      .locator('li')
      .evaluateAll((els) => els.map((e) => JSON.parse(e.getAttribute('data-path')!) as string[]));
    expect(shown.map((p) => p.join('.')).sort()).toEqual(['birthdate', 'family_name', 'nationality']);
    expect(await consent.textContent()).toContain('1990-03-07');
    expect(await consent.textContent()).not.toContain(sampleIdentityClaims().id_number);
    await expectAccessible(page);
    await screenshot(page, 'wallet-consent', 'phone');
    await screenshot(page, 'wallet-consent', 'kiosk');
    await page.setViewportSize(VIEWPORTS.phone);
    await page.getByRole('button', { name: 'Send' }).click();
    await expect(page.getByTestId('notice').textContent()).resolves.toMatch(/^Sent to .*: accepted\./);
    const verdict = await verdictOf(created);
    expect(verdict).toMatchObject({ status: 'valid', state: created.state });
    const creds = verdict.credentials as { claims: Record<string, unknown> }[];
    expect(creds).toHaveLength(1);
    expect(disclosedNames(creds[0]!.claims)).toEqual(['birthdate', 'family_name', 'nationality']);

    // Declined: nothing disclosed, and the verifier is told so.
    const other = await createRequest(verifier!.url, { profile: 'upgraded' });
    await page.getByRole('button', { name: 'Scan a request' }).click();
    await page.getByLabel('Request link').fill(other.uri!);
    await page.getByRole('button', { name: 'Continue' }).click();
    await consent.waitFor();
    expect(await page.getByTestId('consent-claims').locator('li').count()).toBe(10);
    await page.getByRole('button', { name: 'Decline' }).click();
    await expect(page.getByTestId('notice').textContent()).resolves.toContain('Declined');
    expect(await verdictOf(other)).toMatchObject({ status: 'invalid', code: 'WALLET_DECLINED' });

    // A link that is not a request: the typed error on the page, no crash.
    await page.getByRole('button', { name: 'Scan a request' }).click();
    await page.getByLabel('Request link').fill('openid4vp://?nothing=here');
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.locator('[data-testid=notice][data-code^=OID4VP_]').waitFor();
    await context.close();
  });

  it('scan a request with the camera: jsqr reads the verifier QR off the (fake) video, then the same consent and answer', async () => {
    expect(verifier, 'the offer test runs first').toBeDefined();
    const created = await createRequest(verifier!.url, { profile: 'lite' });
    const tmp = tempDir('netcred-wallet-ui-camera-');
    dirs.push(tmp);
    const png = await QRCode.toBuffer(created.uri!, { errorCorrectionLevel: 'M', margin: 4, width: 480 });
    const camera = await launchChromium(fakeCameraArgs(pngToY4m(png, path.join(tmp.dir, 'request.y4m'))));
    try {
      const context = await camera.newContext({ locale: 'en-US', viewport: VIEWPORTS.phone });
      const page = await openUnlocked(context, main);
      await page.getByRole('button', { name: 'Scan a request' }).click();
      await page.getByRole('button', { name: 'Start camera' }).click();
      await page.getByTestId('consent').waitFor();
      const shown = await page
        .getByTestId('consent-claims')
        .locator('li')
        .evaluateAll((els) => els.map((e) => e.getAttribute('data-path')));
      expect(shown.sort()).toEqual(['["age_over_18"]', '["family_name"]', '["given_name"]']);
      await page.getByRole('button', { name: 'Send' }).click();
      await expect(page.getByTestId('notice').textContent()).resolves.toMatch(/^Sent to /);
      expect(await verdictOf(created)).toMatchObject({ status: 'valid', state: created.state, profile: 'lite' });
    } finally {
      await camera.close();
    }
  });

  it('the API answers as docs/openapi/wallet-ui.json says (state, unlock, credentials, lite QR, sync, a consent id that is not open)', async () => {
    const doc = JSON.parse(readFileSync(path.join(repoRoot, 'docs/openapi/wallet-ui.json'), 'utf8')) as object;
    const ajv = new Ajv2020({ allErrors: true, strict: false });
    ajv.addSchema(doc, 'doc');
    const headers = { authorization: `Bearer ${main.token}`, 'content-type': 'application/json' };
    const check = async (method: 'get' | 'post', p: string, documented: string, body?: unknown) => {
      const res = await fetch(`${main.origin}${p}`, { method: method.toUpperCase(), headers, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
      const json = (await res.json()) as unknown;
      const at = `doc#/paths/${documented.replace(/\//g, '~1')}/${method}/responses/${res.status}/content/application~1json/schema`;
      const validate = ajv.getSchema(at);
      expect(validate, `${method} ${p}: status ${res.status} is not documented (${JSON.stringify(json)})`).toBeDefined();
      expect(validate!(json), `${method} ${p}: ${JSON.stringify(validate!.errors)}`).toBe(true);
      return { status: res.status, json };
    };
    main.session.lock();
    expect((await check('post', '/api/unlock', '/api/unlock', { pin: '000000' })).json).toMatchObject({ code: 'PIN_INVALID' });
    expect((await check('get', '/api/state', '/api/state')).json).toMatchObject({ locked: true, failures: 1 });
    expect((await check('post', '/api/unlock', '/api/unlock', { pin: PIN })).status).toBe(200);
    expect((await check('get', '/api/credentials', '/api/credentials')).status).toBe(200);
    expect((await check('post', '/api/lite-qr', '/api/lite-qr', {})).status).toBe(200);
    expect((await check('post', '/api/sync', '/api/sync', {})).status).toBe(200);
    expect((await check('post', '/api/requests/not-open', '/api/requests/{id}', { send: true })).json).toMatchObject({ code: 'WALLET_UI_CONSENT_UNKNOWN' });
    expect((await check('post', '/api/requests', '/api/requests', { uri: 42 })).json).toMatchObject({ code: 'INVALID_INPUT' });
  });

  it('after the issuer suspends, then revokes the credential (one id at both ends), Sync shows it suspended, then revoked, and the lite QR has nothing to show', async () => {
    const context = await newContext({ viewport: VIEWPORTS.phone });
    const page = await openUnlocked(context, main);
    const item = page.locator('[data-testid=credentials] li[data-state=valid]');
    await item.first().waitFor();
    expect(await item.count()).toBe(1);
    const id = (await item.getAttribute('data-id'))!;
    await suspendCredential(issuer.ctx, id, 'holder_request', 'wallet-page-test');
    await page.getByRole('button', { name: 'Sync' }).click();
    await expect(page.getByTestId('notice').textContent()).resolves.toMatch(/0 valid, 1 suspended, 0 revoked/);
    await page.locator(`[data-testid=credentials] li[data-state=suspended][data-id="${id}"]`).waitFor();
    await revokeCredential(issuer.ctx, id, 'device_lost', 'wallet-page-test');
    await page.getByRole('button', { name: 'Sync' }).click();
    await expect(page.getByTestId('notice').textContent()).resolves.toMatch(/0 valid, 0 suspended, 1 revoked/);
    await page.locator(`[data-testid=credentials] li[data-state=revoked][data-id="${id}"]`).waitFor();
    await expectAccessible(page);
    await screenshot(page, 'wallet-revoked', 'phone');
    await page.getByRole('button', { name: 'Show lite QR' }).click();
    await page.locator('[data-testid=notice][data-code=DCQL_NOT_SATISFIED]').waitFor();
    expect(await page.getByTestId('lite-qr').count()).toBe(0);
    await context.close();
  });

  it('Lock locks the wallet: the page returns to the PIN and the API refuses until unlocked', async () => {
    const context = await newContext({ viewport: VIEWPORTS.phone });
    const page = await openUnlocked(context, main);
    await page.getByRole('button', { name: 'Lock' }).click();
    await page.getByRole('heading', { name: 'Unlock your wallet' }).waitFor();
    const res = await fetch(`${main.origin}/api/credentials`, { headers: { authorization: `Bearer ${main.token}` } });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ code: 'WALLET_LOCKED' });
    await context.close();
    expect(errors).toEqual([]);
  });

  it('locks by itself after the idle time', async () => {
    const tmp = await emptyWallet('netcred-wallet-ui-idle-');
    dirs.push(tmp);
    const ui = await startWalletUi({ dataDir: tmp.dir, idleLockMs: 2000 });
    try {
      const headers = { authorization: `Bearer ${ui.token}`, 'content-type': 'application/json' };
      expect((await fetch(`${ui.origin}/api/unlock`, { method: 'POST', headers, body: JSON.stringify({ pin: PIN }) })).status).toBe(200);
      expect((await fetch(`${ui.origin}/api/credentials`, { headers })).status).toBe(200);
      await new Promise((r) => setTimeout(r, 3000));
      expect(await (await fetch(`${ui.origin}/api/state`, { headers })).json()).toMatchObject({ locked: true });
      expect(await (await fetch(`${ui.origin}/api/credentials`, { headers })).json()).toMatchObject({ code: 'WALLET_LOCKED' });
    } finally {
      await ui.close();
    }
  });

  it('only a loopback host is served', async () => {
    const tmp = tempDir('netcred-wallet-ui-host-');
    dirs.push(tmp);
    await expect(startWalletUi({ dataDir: tmp.dir, host: '0.0.0.0' })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });
});

describe('netcred wallet ui (the command)', () => {
  it('prints the URL with its session token, serves the API on 127.0.0.1 behind it, and stops cleanly on SIGTERM', async () => {
    const tmp = await emptyWallet('netcred-wallet-ui-cli-');
    try {
      const child = spawn(process.execPath, [...cliNodeArgs(), 'wallet', 'ui', '--port', '0'], {
        cwd: repoRoot,
        env: { ...process.env, NETCRED_HOME: tmp.dir },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
      let stdout = '';
      let stderr = '';
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      const url = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no URL printed: ${stdout} ${stderr}`)), 45_000);
        child.stdout.on('data', (d: Buffer) => {
          stdout += d.toString();
          const m = /wallet page: (http:\/\/127\.0\.0\.1:\d+\/#t=[A-Za-z0-9_-]+)/.exec(stdout);
          if (m) {
            clearTimeout(timer);
            resolve(m[1]!);
          }
        });
        void exited.then(() => reject(new Error(`exited before printing a URL: ${stderr}`)));
      });
      const { origin, hash } = new URL(url);
      const state = await fetch(`${origin}/api/state`, { headers: { authorization: `Bearer ${hash.slice('#t='.length)}` } });
      expect(await state.json()).toMatchObject({ locked: true, failures: 0, lockAfterMs: 300_000 });
      expect((await fetch(`${origin}/api/state`)).status).toBe(401);
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    } finally {
      tmp.cleanup();
    }
  });

  it('refuses a --lock-after under 10 s (exit 2)', async () => {
    const r = await runCli(['wallet', 'ui', '--lock-after', '0'], { env: { NETCRED_HOME: '/nonexistent-netcred-home' } });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/INVALID_INPUT.*--lock-after/);
  });
});

describe('docs/openapi/wallet-ui.json', () => {
  const doc = JSON.parse(readFileSync(path.join(repoRoot, 'docs/openapi/wallet-ui.json'), 'utf8')) as {
    paths: Record<string, Record<string, unknown>>;
    components: { schemas: Record<string, object> };
  };

  it('is well-formed OpenAPI 3.1 whose schemas are JSON Schemas', () => {
    const ajv = new Ajv2020({ allErrors: true, strict: false });
    const validate = ajv.compile(OPENAPI_31_SUBSET);
    expect(validate(doc), JSON.stringify(validate.errors)).toBe(true);
    for (const [name, schema] of Object.entries(doc.components.schemas)) expect(ajv.validateSchema(schema), name).toBe(true);
  });

  it('documents every route the page server serves, and no other', async () => {
    const tmp = await emptyWallet('netcred-wallet-ui-openapi-');
    const ui = await startWalletUi({ dataDir: tmp.dir });
    try {
      const live = new Set(liveRoutes(ui.app).map((r) => key({ method: r.method, path: toOpenApiPath(r.path) })));
      const documented = new Set(documentedRoutes(doc).map(key));
      expect(live.size).toBeGreaterThan(8);
      expect(
        [...live].filter((k) => !documented.has(k)),
        'served but not documented',
      ).toEqual([]);
      expect(
        [...documented].filter((k) => !live.has(k)),
        'documented but not served',
      ).toEqual([]);
    } finally {
      await ui.close();
      tmp.cleanup();
    }
  });
});
