import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueCredential } from '../../issuer/index.js';
import { sampleIdentityClaims } from '../../schemas/index.js';
import { runCli } from '../helpers/cli.js';
import { startTestIssuer, type TestIssuer } from '../helpers/issuer.js';
import { tempDir } from '../helpers/tmp.js';

const ESC = '\u001b';
const tmp = tempDir('netcred-present-output-');
const env = { NETCRED_PIN: 'present-output-pin-7', NETCRED_HOME: tmp.dir, NETCRED_KIOSK_ID: '' };
const bundle = path.join(tmp.dir, 'bundle.json');
let issuer: TestIssuer;

beforeAll(async () => {
  issuer = await startTestIssuer();
  const init = await runCli(['wallet', 'init'], { env });
  expect(init.code, init.stderr).toBe(0);
  const { credential } = await issueCredential(issuer.ctx, { holderDid: init.stdout.trim(), claims: sampleIdentityClaims() });
  const imported = await runCli(['wallet', 'import', '-'], { env, input: credential });
  expect(imported.code, imported.stderr).toBe(0);
  const synced = await runCli(['verifier', 'sync', '--issuer', issuer.url, '--bundle', bundle], { env });
  expect(synced.code, synced.stderr).toBe(0);
}, 120_000);
afterAll(async () => {
  await issuer?.close();
  tmp.cleanup();
});

describe('netcred wallet present --qr-terminal (issue 15)', () => {
  it('> file: stdout is the presentation alone, which verifies; the terminal QR goes to stderr', { timeout: 60_000 }, async () => {
    const r = await runCli(['wallet', 'present', '--profile', 'lite', '--aud', 'netcred:kiosk', '--qr-terminal', '--yes'], { env });
    expect(r.code, r.stderr).toBe(0);
    // Exactly one line, an SD-JWT+KB: no ANSI, no QR blocks.
    expect(r.stdout).not.toContain(ESC);
    expect(r.stdout).toMatch(/^[A-Za-z0-9_.~-]+\n$/);
    // The QR drawn with half blocks (and ANSI colours) on stderr, with its summary line.
    expect(r.stderr).toContain(ESC);
    expect(r.stderr).toMatch(/[▀▄█]/);
    expect(r.stderr).toMatch(/QR: \d+ characters \(NC1 base45\)/);

    const file = path.join(tmp.dir, 'p.txt');
    writeFileSync(file, r.stdout);
    const verified = await runCli(['verify', file, '--bundle', bundle, '--profile', 'lite', '--aud', 'netcred:kiosk'], { env });
    expect(verified.code, verified.stdout + verified.stderr).toBe(0);
    expect(verified.stdout).toMatch(/^valid: /);
  });

  it('with --json too: stdout is the JSON object alone, the QR on stderr', { timeout: 60_000 }, async () => {
    const r = await runCli(['wallet', 'present', '--profile', 'lite', '--qr-terminal', '--yes', '--json'], { env });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).not.toContain(ESC);
    const out = JSON.parse(r.stdout) as { presentation: string; aud: string; qr: { payload: string } };
    expect(out.aud, 'an empty NETCRED_KIOSK_ID is unset').toBe('netcred:kiosk');
    expect(out.qr.payload).toMatch(/^NC1:/);
    expect(r.stderr).toMatch(/[▀▄█]/);
  });
});
