// `netcred verify --no-key-binding`, `--issuer-key JWK|FILE` and `--qr-image FILE.png` (issue 15, items 2 and 4),
// through the real CLI, with a real issuer and the real wallet.
import { generateKeyPairSync } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueCredential } from '../../issuer/index.js';
import { sampleIdentityClaims } from '../../schemas/index.js';
import { runCli } from '../helpers/cli.js';
import { initTestIssuer, startTestIssuer, type TestIssuer, type UnservedTestIssuer } from '../helpers/issuer.js';
import { tempDir } from '../helpers/tmp.js';

const tmp = tempDir('netcred-verify-raw-');
const env = { NETCRED_PIN: 'verify-raw-pin-7319', NETCRED_HOME: tmp.dir, NETCRED_KIOSK_ID: '' };
const bundle = path.join(tmp.dir, 'bundle.json');
const credFile = path.join(tmp.dir, 'cred.txt');
const presFile = path.join(tmp.dir, 'pres.txt');
const png = path.join(tmp.dir, 'lite.png');
let issuer: TestIssuer;
let urlIssuer: UnservedTestIssuer;
let webIssuer: UnservedTestIssuer;
let holderDid: string;
const keyArg = () => JSON.stringify(issuer.ctx.issuerJwk);

beforeAll(async () => {
  issuer = await startTestIssuer();
  urlIssuer = await initTestIssuer({ issuerId: 'url', publicUrl: 'https://issuer.example' });
  webIssuer = await initTestIssuer({ didMethod: 'web', publicUrl: 'https://web-issuer.example' });
  const init = await runCli(['wallet', 'init'], { env });
  expect(init.code, init.stderr).toBe(0);
  holderDid = init.stdout.trim();
  const { credential } = await issueCredential(issuer.ctx, { holderDid, claims: sampleIdentityClaims() });
  writeFileSync(credFile, credential);
  const imported = await runCli(['wallet', 'import', credFile], { env });
  expect(imported.code, imported.stderr).toBe(0);
  const synced = await runCli(['verifier', 'sync', '--issuer', issuer.url, '--bundle', bundle], { env });
  expect(synced.code, synced.stderr).toBe(0);
  const presented = await runCli(['wallet', 'present', '--profile', 'lite', '--qr', png, '--yes'], { env });
  expect(presented.code, presented.stderr).toBe(0);
  writeFileSync(presFile, presented.stdout);
}, 180_000);
afterAll(async () => {
  await issuer?.close();
  await urlIssuer?.close();
  await webIssuer?.close();
  tmp.cleanup();
});

describe('netcred verify --no-key-binding', () => {
  it('accepts the issued SD-JWT without a KB-JWT, and says key binding was not checked', { timeout: 60_000 }, async () => {
    const strict = await runCli(['verify', credFile, '--bundle', bundle]);
    expect(strict.code).toBe(1);
    expect(strict.stdout).toMatch(/^rejected KB_JWT_MISSING: /);
    const r = await runCli(['verify', credFile, '--bundle', bundle, '--no-key-binding']);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^valid: .* \(key binding not checked\)\n/);
    // Time claims read as ISO 8601 dates, not epoch seconds (--json keeps the numbers).
    expect(r.stdout).toMatch(/\n {2}iat: \d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z\n/);
    expect(r.stdout).toMatch(/\n {2}exp: \d{4}-\d{2}-\d{2}T/);
    const json = await runCli(['verify', credFile, '--bundle', bundle, '--no-key-binding', '--json']);
    expect(JSON.parse(json.stdout)).toMatchObject({ valid: true, keyBinding: null, notChecked: ['keyBinding'], claims: { iat: expect.any(Number) } });
  });

  it('is refused with --profile upgraded or --nonce (exit 2)', { timeout: 60_000 }, async () => {
    for (const extra of [
      ['--profile', 'upgraded'],
      ['--nonce', 'n-123'],
    ]) {
      const r = await runCli(['verify', credFile, '--bundle', bundle, '--no-key-binding', ...extra]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/^error INVALID_INPUT: --no-key-binding cannot be combined with/);
    }
  });
});

describe('netcred verify --issuer-key', () => {
  it('verifies against a raw JWK (inline or a file) with --no-require-status, and says status was not checked', { timeout: 60_000 }, async () => {
    const r = await runCli(['verify', presFile, '--issuer-key', keyArg(), '--no-require-status', '--profile', 'lite']);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^valid: .* from did:key:.*\(profile lite, status not checked\)/);
    const keyFile = path.join(tmp.dir, 'issuer.jwk');
    writeFileSync(keyFile, JSON.stringify({ keys: [issuer.ctx.issuerJwk] }));
    const fromFile = await runCli(['verify', credFile, '--issuer-key', keyFile, '--no-require-status', '--no-key-binding', '--json']);
    expect(fromFile.code, fromFile.stdout).toBe(0);
    expect(JSON.parse(fromFile.stdout)).toMatchObject({ valid: true, notChecked: ['keyBinding', 'status'] });
  });

  it('without --no-require-status: STATUS_UNKNOWN with a hint (exit 1)', { timeout: 60_000 }, async () => {
    const r = await runCli(['verify', presFile, '--issuer-key', keyArg()]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^rejected STATUS_UNKNOWN: .*--no-require-status/);
  });

  it("another key than the did:key issuer's: ISSUER_UNTRUSTED (exit 1)", { timeout: 60_000 }, async () => {
    const other = generateKeyPairSync('ed25519').publicKey.export({ format: 'jwk' });
    const r = await runCli(['verify', presFile, '--issuer-key', JSON.stringify(other), '--no-require-status']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^rejected ISSUER_UNTRUSTED: .*holds another key/);
  });

  it('an https issuer identifier and a did:web: the key stands for its metadata or document; a wrong one fails the signature', {
    timeout: 60_000,
  }, async () => {
    for (const other of [urlIssuer, webIssuer]) {
      const { credential } = await issueCredential(other.ctx, { holderDid, claims: sampleIdentityClaims() });
      const file = path.join(tmp.dir, `cred-${other === urlIssuer ? 'url' : 'web'}.txt`);
      writeFileSync(file, credential);
      const r = await runCli(['verify', file, '--issuer-key', JSON.stringify(other.ctx.issuerJwk), '--no-require-status', '--no-key-binding']);
      expect(r.code, r.stdout + r.stderr).toBe(0);
      expect(r.stdout).toContain(`from ${other.ctx.issuerId} `);
      const wrong = await runCli(['verify', file, '--issuer-key', keyArg(), '--no-require-status', '--no-key-binding']);
      expect(wrong.code, wrong.stdout).toBe(1);
      expect(wrong.stdout).toMatch(/^rejected (SIGNATURE_INVALID|KID_MISMATCH): /);
    }
  });

  it('needs exactly one of --bundle and --issuer-key; a JWK that is not one is INVALID_INPUT (exit 2)', { timeout: 60_000 }, async () => {
    const neither = await runCli(['verify', presFile, '--json']);
    expect(neither.code).toBe(2);
    expect(JSON.parse(neither.stdout).error.code).toBe('INVALID_INPUT');
    const both = await runCli(['verify', presFile, '--bundle', bundle, '--issuer-key', keyArg()]);
    expect(both.code).toBe(2);
    expect(both.stderr).toMatch(/exactly one of --bundle/);
    const bad = await runCli(['verify', presFile, '--issuer-key', '{"kty":"RSA"}', '--no-require-status']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^error INVALID_INPUT: /);
  });
});

describe('netcred verify --qr-image', () => {
  it('reads the QR code the wallet wrote and verifies it', { timeout: 60_000 }, async () => {
    const r = await runCli(['verify', '--qr-image', png, '--bundle', bundle, '--profile', 'lite']);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^valid: /);
    const notPng = await runCli(['verify', '--qr-image', credFile, '--bundle', bundle]);
    expect(notPng.code).toBe(2);
    expect(notPng.stderr).toMatch(/^error QR_IMAGE_INVALID: /);
  });
});
