// `netcred decode` of a wallet QR text (NC1:...) and of a QR image (issue 15, item 4), through the real CLI.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueCredential } from '../../issuer/index.js';
import { sampleIdentityClaims } from '../../schemas/index.js';
import { runCli } from '../helpers/cli.js';
import { startTestIssuer, type TestIssuer } from '../helpers/issuer.js';
import { tempDir } from '../helpers/tmp.js';

const tmp = tempDir('netcred-decode-qr-');
const env = { NETCRED_PIN: 'decode-qr-pin-8264', NETCRED_HOME: tmp.dir, NETCRED_KIOSK_ID: '' };
const png = path.join(tmp.dir, 'lite.png');
let issuer: TestIssuer;
let presented: { presentation: string; disclosed: unknown; qr: { payload: string } };

type Decoded = { kind: string; transport?: { format: string; chars: number }; claims: Record<string, unknown>; kbJwt?: { payload: { aud: string } } };

beforeAll(async () => {
  issuer = await startTestIssuer();
  const init = await runCli(['wallet', 'init'], { env });
  expect(init.code, init.stderr).toBe(0);
  const { credential } = await issueCredential(issuer.ctx, { holderDid: init.stdout.trim(), claims: sampleIdentityClaims() });
  expect((await runCli(['wallet', 'import', '-'], { env, input: credential })).code).toBe(0);
  const r = await runCli(['wallet', 'present', '--profile', 'lite', '--qr', png, '--yes', '--json'], { env });
  expect(r.code, r.stderr).toBe(0);
  presented = JSON.parse(r.stdout);
}, 120_000);
afterAll(async () => {
  await issuer?.close();
  tmp.cleanup();
});

describe('netcred decode: QR text and QR image', () => {
  it('decodes an NC1: text to the SD-JWT+KB inside, as the plain presentation decodes', { timeout: 60_000 }, async () => {
    const [fromQr, plain] = await Promise.all([
      runCli(['decode', '-'], { input: `${presented.qr.payload}\n` }),
      runCli(['decode', '-'], { input: presented.presentation }),
    ]);
    expect(fromQr.code, fromQr.stderr).toBe(0);
    const q = JSON.parse(fromQr.stdout) as Decoded;
    expect(q.transport).toEqual({ format: 'NC1', chars: presented.qr.payload.length });
    expect(q.kind).toBe('sd-jwt');
    expect(q.kbJwt?.payload.aud).toBe('netcred:kiosk');
    const { transport: _t, ...rest } = q;
    expect(rest).toEqual(JSON.parse(plain.stdout));
    expect(q.claims.age_over_18).toBe(true);
  });

  it('--qr-image reads the PNG the wallet wrote', { timeout: 60_000 }, async () => {
    const r = await runCli(['decode', '--qr-image', png]);
    expect(r.code, r.stderr).toBe(0);
    const d = JSON.parse(r.stdout) as Decoded;
    expect(d.transport?.format).toBe('NC1');
    expect(d.claims.given_name).toBe(sampleIdentityClaims().given_name);
  });

  it('a broken NC1 text is QR_MALFORMED, a file that is no PNG QR_IMAGE_INVALID (exit 2)', { timeout: 60_000 }, async () => {
    const bad = await runCli(['decode', '-'], { input: 'NC1:%%%' });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^error QR_MALFORMED: /);
    const notPng = path.join(tmp.dir, 'not.png');
    writeFileSync(notPng, 'hello');
    const img = await runCli(['decode', '--qr-image', notPng, '--json']);
    expect(img.code).toBe(2);
    expect(JSON.parse(img.stdout).error.code).toBe('QR_IMAGE_INVALID');
  });
});
