import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeQrTransport, jwkFromDidJwk } from '../../core/index.js';
import { issueCredential, revokeCredential } from '../../issuer/index.js';
import { sampleIdentityClaims } from '../../schemas/index.js';
import { runCli } from '../helpers/cli.js';
import { listCredentials, unlockWallet } from '../../holder/index.js';
import { tempDir } from '../helpers/tmp.js';
import { disclosedNames } from './helpers/assert.js';
import { createPeerIssuer, issueIdentity } from './helpers/issue.js';
import { startTestIssuer, type TestIssuer } from '../helpers/issuer.js';

const PIN = '739146';
const tmp = tempDir('netcred-wallet-cli-');
const env = { NETCRED_PIN: PIN, NETCRED_HOME: tmp.dir };
let issuer: TestIssuer;
let did = '';
let realIssuedId = '';

beforeAll(async () => {
  issuer = await startTestIssuer({ alg: 'ES256' });
});
afterAll(async () => {
  await issuer?.close();
  tmp.cleanup();
});

describe('netcred wallet (CLI)', () => {
  it('init --json prints the holder DID; the PIN never comes from a flag', async () => {
    const r = await runCli(['wallet', 'init', '--json'], { env });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    did = (JSON.parse(r.stdout) as { did: string }).did;
    expect(did).toMatch(/^did:jwk:/);
  });

  it('imports from a file and from stdin, lists, and refuses a wrong PIN', async () => {
    const fromRealIssuer = await issueCredential(issuer.ctx, { holderDid: did, claims: sampleIdentityClaims() });
    realIssuedId = fromRealIssuer.id;
    const file = path.join(tmp.dir, 'credential.txt');
    writeFileSync(file, `${fromRealIssuer.credential}\n`);
    const a = await runCli(['wallet', 'import', file, '--json'], { env });
    expect(a.code, a.stderr).toBe(0);
    const stored = JSON.parse(a.stdout) as { id: string; iss: string };
    expect(stored.iss).toBe(issuer.ctx.issuerDid);

    const other = await issueIdentity(createPeerIssuer('EdDSA'), jwkFromDidJwk(did));
    const b = await runCli(['wallet', 'import', '-'], { env, input: other });
    expect(b.code, b.stderr).toBe(0);
    expect(b.stdout).toMatch(/^imported [0-9a-f]{32} /);

    const list = await runCli(['wallet', 'list', '--json'], { env });
    expect(list.code).toBe(0);
    const listed = JSON.parse(list.stdout) as { keys: { did: string }[]; credentials: { id: string; state: string }[] };
    expect(listed.keys.map((k) => k.did)).toEqual([did]);
    expect(listed.credentials).toHaveLength(2);
    expect(list.stdout).not.toContain(sampleIdentityClaims().given_name);

    const wrong = await runCli(['wallet', 'list'], { env: { ...env, NETCRED_PIN: '000000' } });
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toMatch(/^error PIN_INVALID/);
  });

  it('present --profile lite --yes --json discloses the lite claims and writes a QR PNG', async () => {
    const png = path.join(tmp.dir, 'lite.png');
    const r = await runCli(['wallet', 'present', '--profile', 'lite', '--yes', '--json', '--qr', png], { env });
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as {
      presentation: string;
      aud: string;
      nonce: string;
      disclosed: { path: string[] }[];
      qr: { version: number; chars: number; file: string; payload: string };
    };
    expect(disclosedNames(out.presentation).sort()).toEqual(['age_over_18', 'family_name', 'given_name']);
    expect(out.aud).toBe('netcred:kiosk');
    expect(out.nonce).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(out.qr.version).toBeLessThanOrEqual(25);
    expect(out.qr.chars).toBe(out.qr.payload.length);
    expect(decodeQrTransport(out.qr.payload)).toBe(out.presentation);
    expect(readFileSync(png).subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    // The plan was shown before signing (on stderr, so stdout stays JSON).
    expect(r.stderr).toContain('given_name = ');
    expect(r.stderr).not.toContain('id_number');
  });

  it('present without --yes and without a terminal is CONFIRMATION_REQUIRED (exit 2)', async () => {
    const r = await runCli(['wallet', 'present', '--dcql', '-', '--json'], {
      env,
      input: JSON.stringify({ credentials: [{ id: 'x', format: 'dc+sd-jwt', claims: [{ path: ['address', 'locality'] }] }] }),
    });
    expect(r.code).toBe(2);
    expect(JSON.parse(r.stdout)).toMatchObject({ error: { code: 'CONFIRMATION_REQUIRED' } });
  });

  it('sync deletes the credential the real issuer revoked and keeps the other', async () => {
    const w0 = await unlockWallet(tmp.dir, PIN);
    const before = { credentials: await listCredentials(w0) };
    await w0.close();
    await revokeCredential(issuer.ctx, realIssuedId, 'device_lost', 'holder-cli-test');
    const r = await runCli(['wallet', 'sync', '--json'], { env });
    const report = JSON.parse(r.stdout) as { deleted: { id: string; iss: string }[]; unchecked: { id: string }[]; valid: unknown[]; errors: unknown[] };
    expect(report.errors).toEqual([]);
    expect(r.code).toBe(0);
    expect(report.deleted.map((d) => d.iss)).toEqual([issuer.ctx.issuerDid]);
    const w = await unlockWallet(tmp.dir, PIN);
    try {
      expect((await listCredentials(w)).map((c) => c.id)).toEqual(before.credentials.filter((c) => c.iss !== issuer.ctx.issuerDid).map((c) => c.id));
    } finally {
      await w.close();
    }
  });
});
