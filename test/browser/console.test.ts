import { createHash, sign } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import jsQRModule from 'jsqr';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeCompact } from '../../core/index.js';
import { issueCredential, reinstateCredential, suspendCredential } from '../../issuer/index.js';
import { sampleIdentityClaims, type IdentityClaims } from '../../schemas/index.js';
import {
  createVerifier,
  createVerifierApp,
  emptyTrustBundle,
  listenApp,
  syncIssuer,
  TrustStore,
  type RunningServer,
  type Verifier,
} from '../../verifier/index.js';
import { startTestIssuer, TEST_ISSUER_ADMIN_TOKEN, type TestIssuer } from '../helpers/issuer.js';
import { countRows } from '../oid4vci/helpers.js';
import { peerKey, peerObtainCredential, type PeerKey } from '../oid4vci/peer-wallet.js';
import { describeViolations, seriousViolations } from './helpers/axe.js';
import { chromiumAvailable, launchChromium } from './helpers/chromium.js';
import { screenshot } from './helpers/screenshot.js';

/**
 * The enrollment console end to end: a real issuer serving the built page at /console/, Chromium
 * driving it, the independent OpenID4VCI wallet (@openid4vc/openid4vci, test/oid4vci/peer-wallet)
 * redeeming the offer read from the page's QR, and the verifier app (synced from the issuer over
 * HTTP) judging a presentation of that credential after the console revoked it.
 */
const DOCS_IMAGES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../docs/images');
const b64u = (v: string | Buffer) => Buffer.from(v).toString('base64url');
// jsqr is CommonJS (module.exports.default): the function, however Node hands the module over.
const jsQR = ((jsQRModule as unknown as { default?: unknown }).default ?? jsQRModule) as unknown as typeof import('jsqr').default;

const run = chromiumAvailable();

describe.skipIf(!run)('enrollment console: sign-in, enrollment, offer, search, revoke, audit, languages, accessibility', () => {
  let issuer: TestIssuer;
  let verifier: Verifier;
  let verifierServer: RunningServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const problems: string[] = [];
  const claims = sampleIdentityClaims({ given_name: '美', family_name: '林', birthdate: '1991-04-12', sex: 2 });
  const walletKey: PeerKey = peerKey('ES256');
  let credential = '';
  let credentialId = '';

  beforeAll(async () => {
    issuer = await startTestIssuer();
    verifier = createVerifier({ trust: new TrustStore(emptyTrustBundle()) });
    verifierServer = await listenApp(createVerifierApp({ verifier, kioskPage: false }));
    browser = await launchChromium();
    context = await browser.newContext({ locale: 'en-US', viewport: { width: 1280, height: 900 } });
    page = await context.newPage();
    page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
    page.on('console', (m) => {
      // A refused sign-in or a 4xx the page shows is expected; anything else (a CSP violation, a script error) is not.
      if (m.type() === 'error' && !/status of 40[01]/.test(m.text())) problems.push(`console: ${m.text()}`);
    });
  });

  afterAll(async () => {
    await browser?.close();
    await verifierServer?.close();
    await issuer?.close();
  });

  async function expectAccessible(): Promise<void> {
    const violations = await seriousViolations(page);
    expect(violations, describeViolations(violations)).toEqual([]);
  }

  /** Types the claims into the form as a clerk would (evidence: chip + face at station-01, now). */
  async function fillForm(c: IdentityClaims): Promise<void> {
    await page.fill('#f-family_name', c.family_name);
    await page.fill('#f-given_name', c.given_name);
    await page.fill('#f-birthdate', c.birthdate);
    await page.selectOption('#f-sex', String(c.sex));
    await page.fill('#f-id_number', c.id_number);
    await page.fill('#f-nationality', c.nationality);
    await page.fill('#f-issuing_authority', c.issuing_authority);
    await page.fill('#f-issuing_country', c.issuing_country);
    for (const [k, v] of Object.entries(c.address)) await page.fill(`#f-address-${k}`, v);
    await page.selectOption('#f-evidence-method', 'chip+face');
    await page.fill('#f-evidence-station', 'station-01');
  }

  it('serves the page at /console/ with a strict CSP (GET /console redirects there)', async () => {
    const redirect = await fetch(`${issuer.url}/console`, { redirect: 'manual' });
    expect(redirect.status).toBe(301);
    expect(redirect.headers.get('location')).toBe('/console/');
    const res = await fetch(`${issuer.url}/console/`);
    expect(res.status, 'run npm run build (or npm run build:web) first').toBe(200);
    expect(res.headers.get('content-security-policy')).toMatch(/script-src 'self'/);
    expect(res.headers.get('content-security-policy')).not.toMatch(/unsafe-eval|unsafe-inline/);
    expect(await res.text()).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
  });

  it('refuses a wrong admin token with a clear message, and opens with the right one', async () => {
    await page.goto(`${issuer.url}/console/`);
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await expectAccessible();
    await page.getByLabel('Admin token').fill('not-the-admin-token');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.locator('#signin-error').textContent()).toBe('The admin token is not valid. Check it and try again.');
    expect(await page.getByLabel('Admin token').getAttribute('aria-invalid')).toBe('true');
    await expect.poll(() => page.locator('[data-section]').count()).toBe(0);
    await screenshot(page, 'console-signin-refused', 'phone');

    await page.getByLabel('Admin token').fill(TEST_ISSUER_ADMIN_TOKEN);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'New enrollment' }).waitFor();
    // Kept in this tab's sessionStorage only: a reload stays signed in.
    await page.reload();
    await page.getByRole('heading', { name: 'New enrollment' }).waitFor();
    expect(await page.evaluate("localStorage.getItem('netcred.console.adminToken')")).toBeNull();
    expect(await page.evaluate("sessionStorage.getItem('netcred.console.adminToken')")).toBe(TEST_ISSUER_ADMIN_TOKEN);
  });

  it('an enrollment with a bad id_number shows the field error beside the field, in the page, before anything is sent', async () => {
    const offersBefore = await countRows(issuer.ctx, 'oid4vci_offer');
    const wrongCheck = `${claims.id_number.slice(0, 17)}${claims.id_number.endsWith('1') ? '2' : '1'}`;
    await fillForm({ ...claims, id_number: wrongCheck });
    await page.getByRole('button', { name: 'Create offer' }).click();
    const error = page.locator('[data-error-for="id_number"]');
    await expect.poll(() => error.textContent()).toMatch(/^check character is ., it should be .$/);
    const field = page.locator('#f-id_number');
    expect(await field.getAttribute('aria-invalid')).toBe('true');
    expect(await field.getAttribute('aria-describedby')).toContain('f-id_number-error');
    // Focus moved to the field in error, and only that field is marked.
    await expect.poll(() => page.evaluate('document.activeElement && document.activeElement.id')).toBe('f-id_number');
    expect(await page.locator('[aria-invalid="true"]').count()).toBe(1);
    await page.fill('#f-id_number', '12345');
    await page.getByRole('button', { name: 'Create offer' }).click();
    await expect.poll(() => error.textContent()).toBe('must be 17 digits followed by a digit or X');
    await expectAccessible();
    await screenshot(page, 'console-enroll-error', 'phone');
    await screenshot(page, 'console-enroll-error', 'kiosk');
    // zh-CN: the same error in Chinese, the language remembered.
    await page.getByRole('button', { name: '中文' }).click();
    await expect.poll(() => error.textContent()).toBe('须为 17 位数字加 1 位数字或 X');
    expect(await page.locator('label[for="f-id_number"]').textContent()).toMatch(/居民身份证号码/);
    expect(await page.evaluate('document.documentElement.lang')).toBe('zh-CN');
    await expectAccessible();
    await page.getByRole('button', { name: 'English' }).click();
    // Validated in the page: the issuer saw no enrollment.
    expect(await countRows(issuer.ctx, 'oid4vci_offer')).toBe(offersBefore);
  });

  it('evidence the issuer refuses (its own rules) is shown beside its field too, from the answer details', async () => {
    const offersBefore = await countRows(issuer.ctx, 'oid4vci_offer');
    await page.fill('#f-id_number', claims.id_number);
    await page.fill('#f-evidence-station', 'hall 3!');
    await page.getByRole('button', { name: 'Create offer' }).click();
    const error = page.locator('[data-error-for="evidence.station"]');
    await expect.poll(() => error.textContent()).toMatch(/^must be a station id/);
    expect(await page.locator('#f-evidence-station').getAttribute('aria-invalid')).toBe('true');
    expect(await page.locator('[aria-invalid="true"]').count()).toBe(1);
    expect(await countRows(issuer.ctx, 'oid4vci_offer')).toBe(offersBefore);
    await page.fill('#f-evidence-station', 'station-01');
  });

  it('a valid enrollment shows the offer QR and tx_code; the independent wallet redeems the offer read from that QR', async () => {
    await page.getByRole('button', { name: 'Create offer' }).click();
    await page.getByRole('heading', { name: 'Credential offer ready' }).waitFor();
    const txCode = ((await page.getByTestId('tx-code').textContent()) ?? '').trim();
    expect(txCode).toMatch(/^\d{6}$/);
    const qr = page.getByRole('img', { name: 'QR code of the credential offer' });
    await expect.poll(async () => (await qr.getAttribute('src')) ?? '').toMatch(/^data:image\/png;base64,/);
    const png = PNG.sync.read(Buffer.from((await qr.getAttribute('src'))!.split(',')[1]!, 'base64'));
    const decoded = jsQR(new Uint8ClampedArray(png.data), png.width, png.height);
    expect(decoded?.data).toMatch(/^openid-credential-offer:\/\/\?credential_offer_uri=/);
    expect(decoded!.data).toBe(await page.getByTestId('offer-link').inputValue());
    await expectAccessible();
    await screenshot(page, 'console-enroll', 'phone');
    const kioskShot = await screenshot(page, 'console-enroll', 'kiosk');
    // The docs' screenshot (README, docs/issuer.md): refreshed on request, so a test run leaves the checkout clean.
    const docsImage = path.join(DOCS_IMAGES, 'console-enroll.png');
    if (process.env.NETCRED_DOCS_IMAGES === '1' || !existsSync(docsImage)) {
      mkdirSync(DOCS_IMAGES, { recursive: true });
      copyFileSync(kioskShot, docsImage);
    }

    const [issued] = await peerObtainCredential(decoded!.data, { txCode, keys: [walletKey] });
    credential = issued!;
    const { payload } = decodeCompact(credential.split('~')[0]!);
    expect(payload.iss).toBe(issuer.ctx.issuerDid);
    expect((payload.cnf as { jwk: { x: string } }).jwk.x).toBe(walletKey.publicJwk.x);
    credentialId = payload.jti as string;
    expect(credentialId).toBeTruthy();
    // The claims typed in the page are the ones the wallet holds.
    const disclosed = credential
      .split('~')
      .slice(1, -1)
      .map((d) => JSON.parse(Buffer.from(d, 'base64url').toString()) as unknown[]);
    expect(disclosed).toContainEqual([expect.any(String), 'id_number', claims.id_number]);
    expect(disclosed).toContainEqual([expect.any(String), 'given_name', claims.given_name]);
  });

  /** The holder DID the issuer recorded for a credential (the did:jwk of the wallet's proof key). */
  async function holderDidOf(id: string): Promise<string> {
    const rows = (await issuer.ctx.dataSource.query('SELECT "holder_did" FROM "issuance_record" WHERE "id" = ?', [id])) as { holder_did: string }[];
    return rows[0]!.holder_did;
  }

  /** A presentation of the wallet's credential (every disclosure) with a fresh KB-JWT signed by the wallet's key. */
  function presentation(): string {
    const sdJwt = credential.endsWith('~') ? credential : `${credential}~`;
    const header = { alg: 'ES256', typ: 'kb+jwt' };
    const payload = {
      iat: Math.floor(Date.now() / 1000),
      aud: 'console-test',
      nonce: 'console-test-nonce',
      sd_hash: createHash('sha256').update(sdJwt).digest('base64url'),
    };
    const input = `${b64u(JSON.stringify(header))}.${b64u(JSON.stringify(payload))}`;
    const sig = sign('sha256', Buffer.from(input), { key: walletKey.privateKey, dsaEncoding: 'ieee-p1363' });
    return `${sdJwt}${input}.${b64u(sig)}`;
  }

  async function verifierVerdict(): Promise<{ valid: boolean; code?: string }> {
    const { bundle } = await syncIssuer(emptyTrustBundle(), issuer.url);
    verifier.setTrust(new TrustStore(bundle));
    const res = await fetch(`${verifierServer.url}/verify`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ presentation: presentation(), aud: 'console-test' }),
    });
    const body = (await res.json()) as { valid: boolean; code?: string; errors?: { code: string }[] };
    return { valid: body.valid, code: body.code ?? body.errors?.[0]?.code };
  }

  it('finds the credential by holder DID and by id, revokes it with a reason; the verifier, after a sync, says revoked; the audit log lists it', async () => {
    expect(await verifierVerdict()).toMatchObject({ valid: true });

    await page.getByRole('button', { name: 'Credentials' }).click();
    const holderDid = await holderDidOf(credentialId);
    // More changes than one page of the audit log (50): another credential of this holder suspended and reinstated 26 times.
    const other = await issueCredential(issuer.ctx, { holderDid: holderDid, claims: sampleIdentityClaims({ birthdate: '1970-01-01' }) });
    for (let i = 0; i < 26; i++) {
      await suspendCredential(issuer.ctx, other.id, 'holder_request', 'console-test');
      await reinstateCredential(issuer.ctx, other.id, 'holder_request', 'console-test');
    }
    await page.getByLabel('Credential id or holder DID').fill(holderDid);
    await page.getByRole('button', { name: 'Search' }).click();
    const card = page.locator(`[data-credential-id="${credentialId}"]`);
    await card.waitFor();
    // Newest first: the other credential was issued after this one.
    expect(await page.locator('[data-credential-id]').evaluateAll((els) => els.map((e) => e.getAttribute('data-credential-id')))).toEqual([
      other.id,
      credentialId,
    ]);
    expect(await card.locator('[data-status]').getAttribute('data-status')).toBe('valid');
    await expectAccessible();

    await page.getByLabel('Credential id or holder DID').fill(credentialId);
    await page.getByRole('button', { name: 'Search' }).click();
    await expect.poll(() => page.locator('[data-credential-id]').count()).toBe(1);
    await card.getByLabel('Reason').selectOption('fraud');
    await card.getByRole('button', { name: 'Revoke', exact: true }).click();
    // Revocation is final: the console asks first.
    await card.getByRole('alertdialog').waitFor();
    await card.locator('[data-confirm="yes"]').click();
    await expect.poll(() => card.locator('[data-status]').getAttribute('data-status')).toBe('revoked');
    expect(await page.getByRole('status').textContent()).toBe('Revoke: done.');
    expect(await card.locator('.cn-history').textContent()).toMatch(/Valid → Revoked \(Fraud, admin-api\)/);
    expect(await card.getByRole('button', { name: 'Revoke', exact: true }).isDisabled()).toBe(true);
    await expectAccessible();
    await screenshot(page, 'console-credential-revoked', 'phone');
    await screenshot(page, 'console-credential-revoked', 'kiosk');

    expect(await verifierVerdict()).toMatchObject({ valid: false, code: 'STATUS_REVOKED' });

    await page.getByRole('button', { name: 'Audit log' }).click();
    const row = page.locator(`tr[data-audit-credential="${credentialId}"]`);
    await row.waitFor();
    expect(await row.textContent()).toMatch(/Valid → Revoked\s*Fraud\s*admin-api/);
    const rows = page.locator('tr[data-audit-credential]');
    expect(await rows.count()).toBe(50);
    // The newest first: the console's revocation is the first row.
    expect(await rows.first().getAttribute('data-audit-credential')).toBe(credentialId);
    await page.getByRole('button', { name: 'Show older entries' }).click();
    await expect.poll(() => rows.count()).toBe(53);
    await expect.poll(() => page.getByRole('button', { name: 'Show older entries' }).count()).toBe(0);
    await expectAccessible();
    await page.getByRole('button', { name: '中文' }).click();
    await expect.poll(() => row.textContent()).toMatch(/有效 → 已吊销\s*欺诈/);
    await screenshot(page, 'console-audit-zh', 'kiosk');
    await page.getByRole('button', { name: 'English' }).click();
  });

  it('suspends and reinstates a credential, and device lost revokes what is left of the holder', async () => {
    const holderDid = await holderDidOf(credentialId);
    await page.getByRole('button', { name: 'Credentials' }).click();
    await page.getByLabel('Credential id or holder DID').fill(holderDid);
    await page.getByRole('button', { name: 'Search' }).click();
    const cards = page.locator('[data-credential-id]');
    await expect.poll(() => cards.count()).toBe(2);
    const other = cards.first();
    const statusOf = () => other.locator('[data-status]').getAttribute('data-status');
    expect(await statusOf()).toBe('valid');
    await other.getByLabel('Reason').selectOption('holder_request');
    await other.getByRole('button', { name: 'Suspend' }).click();
    await expect.poll(statusOf).toBe('suspended');
    expect(await other.getByRole('button', { name: 'Suspend' }).isDisabled()).toBe(true);
    await other.getByRole('button', { name: 'Reinstate' }).click();
    await expect.poll(statusOf).toBe('valid');
    await other.getByRole('button', { name: 'Device lost (revoke all of this holder)' }).click();
    await other.locator('[data-confirm="yes"]').click();
    await expect.poll(() => page.getByRole('status').textContent()).toBe('Device lost: 1 credential(s) revoked.');
    await expect.poll(statusOf).toBe('revoked');
    expect(await other.textContent()).toMatch(/Revoked — Device lost/);
    await expectAccessible();
  });

  it('a refused token mid-session signs out with a message', async () => {
    await page.evaluate("sessionStorage.setItem('netcred.console.adminToken', 'revoked-token')");
    await page.reload();
    await page.getByRole('button', { name: 'Audit log' }).click();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    expect(await page.getByRole('status').textContent()).toMatch(/session ended/);
  });

  it('ran without a script error or CSP violation', () => {
    expect(problems).toEqual([]);
  });
});

describe.skipIf(!run)('enrollment console under a public URL with a path, in a zh-CN browser', () => {
  let issuer: TestIssuer;
  let browser: Browser;
  beforeAll(async () => {
    // Routes live under the public URL's path (/iss); the page's API calls are relative to it. (The
    // server takes any port: this test only follows the path.)
    issuer = await startTestIssuer({ publicUrl: 'http://127.0.0.1:8080/iss' });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await issuer?.close();
  });

  it('is served at <path>/console/, signs in through <path>/admin/, and opens in Chinese for a Chinese browser', async () => {
    const base = `${issuer.server.url}/iss`;
    const redirect = await fetch(`${base}/console`, { redirect: 'manual' });
    expect(redirect.status).toBe(301);
    expect(redirect.headers.get('location')).toBe('/iss/console/');
    const context = await browser.newContext({ locale: 'zh-CN' });
    const page = await context.newPage();
    await page.goto(`${base}/console`);
    await page.getByRole('heading', { name: '登录' }).waitFor();
    expect(await page.evaluate('document.documentElement.lang')).toBe('zh-CN');
    await page.getByLabel('管理令牌').fill('wrong-token-for-this-issuer');
    await page.getByRole('button', { name: '登录' }).click();
    await expect.poll(() => page.locator('#signin-error').textContent()).toBe('管理令牌无效，请检查后重试。');
    await page.getByLabel('管理令牌').fill(TEST_ISSUER_ADMIN_TOKEN);
    await page.getByRole('button', { name: '登录' }).click();
    await page.getByRole('heading', { name: '新登记' }).waitFor();
    await page.getByRole('button', { name: '审计日志' }).click();
    await page.getByText('尚无状态变更记录。').waitFor();
    await context.close();
  });
});
