// `netcred wallet remove`, `wallet backup --out`, `wallet restore` (issue 15, item 5): through the
// real CLI, with a real issuer's credential in a real wallet.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueCredential } from '../../issuer/index.js';
import { sampleIdentityClaims } from '../../schemas/index.js';
import { runCli } from '../helpers/cli.js';
import { startTestIssuer, type TestIssuer } from '../helpers/issuer.js';
import { tempDir } from '../helpers/tmp.js';

const tmp = tempDir('netcred-wallet-backup-');
const PIN = 'backup-pin-40718';
const home = (name: string) => ({ NETCRED_PIN: PIN, NETCRED_HOME: path.join(tmp.dir, name), NETCRED_KIOSK_ID: '' });
const env = home('main');
const backup = path.join(tmp.dir, 'wallet.backup');
let issuer: TestIssuer;
const ids: string[] = [];

const list = async (e: Record<string, string>) => {
  const r = await runCli(['wallet', 'list', '--json'], { env: e });
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as { credentials: { id: string }[]; keys: { did: string }[] };
};

beforeAll(async () => {
  issuer = await startTestIssuer();
  const init = await runCli(['wallet', 'init'], { env });
  expect(init.code, init.stderr).toBe(0);
  for (const _ of [1, 2]) {
    const { credential } = await issueCredential(issuer.ctx, { holderDid: init.stdout.trim(), claims: sampleIdentityClaims() });
    const imported = await runCli(['wallet', 'import', '-', '--json'], { env, input: credential });
    expect(imported.code, imported.stderr).toBe(0);
    ids.push((JSON.parse(imported.stdout) as { id: string }).id);
  }
}, 120_000);
afterAll(async () => {
  await issuer?.close();
  tmp.cleanup();
});

describe('netcred wallet backup / restore', () => {
  it('writes an encrypted backup that restores, with the PIN, into an empty data dir', { timeout: 90_000 }, async () => {
    const r = await runCli(['wallet', 'backup', '--out', backup], { env });
    expect(r.code, r.stderr).toBe(0);
    const text = readFileSync(backup, 'utf8');
    const sample = sampleIdentityClaims() as { given_name: string; family_name: string; id_number: string };
    for (const secret of [sample.given_name, sample.family_name, sample.id_number]) expect(text).not.toContain(secret);
    const fresh = home('fresh');
    const restored = await runCli(['wallet', 'restore', backup], { env: fresh });
    expect(restored.code, restored.stderr).toBe(0);
    expect(restored.stdout).toMatch(/^wallet restored to /);
    const [before, after] = [await list(env), await list(fresh)];
    expect(after).toEqual(before);
    // The restored wallet's keys work: it presents.
    const presented = await runCli(['wallet', 'present', '--profile', 'lite', '--yes'], { env: fresh });
    expect(presented.code, presented.stderr).toBe(0);
  });

  it('refuses to replace an existing wallet without --force; with it, the wallet is the backup', { timeout: 90_000 }, async () => {
    const other = home('other');
    expect((await runCli(['wallet', 'init'], { env: other })).code).toBe(0);
    const refused = await runCli(['wallet', 'restore', backup], { env: other });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/^error WALLET_EXISTS: .*--force/);
    expect((await list(other)).credentials).toEqual([]);
    const forced = await runCli(['wallet', 'restore', backup, '--force'], { env: other });
    expect(forced.code, forced.stderr).toBe(0);
    expect((await list(other)).credentials.map((c) => c.id)).toEqual(ids);
  });

  it('a wrong PIN is PIN_INVALID; a truncated or altered backup BACKUP_INVALID (exit 2, nothing written)', { timeout: 90_000 }, async () => {
    const target = home('wrong-pin');
    const wrong = await runCli(['wallet', 'restore', backup], { env: { ...target, NETCRED_PIN: 'not-the-pin-1' } });
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toMatch(/^error PIN_INVALID: /);
    const text = readFileSync(backup, 'utf8');
    const truncated = path.join(tmp.dir, 'truncated.backup');
    writeFileSync(truncated, text.slice(0, Math.floor(text.length / 2)));
    const altered = path.join(tmp.dir, 'altered.backup');
    const b = JSON.parse(text) as { data: string };
    const flip = b.data.length >> 1;
    writeFileSync(altered, JSON.stringify({ ...b, data: b.data.slice(0, flip) + (b.data[flip] === 'A' ? 'B' : 'A') + b.data.slice(flip + 1) }));
    for (const file of [truncated, altered]) {
      const r = await runCli(['wallet', 'restore', file, '--json'], { env: target });
      expect(r.code).toBe(2);
      expect(JSON.parse(r.stdout).error.code).toBe('BACKUP_INVALID');
    }
    const none = await runCli(['wallet', 'list'], { env: target });
    expect(none.stderr).toMatch(/WALLET_NOT_INITIALIZED/);
  });
});

describe('netcred wallet remove', () => {
  it('needs --yes off a terminal, the PIN, and removes the credential an id prefix names', { timeout: 90_000 }, async () => {
    const ask = await runCli(['wallet', 'remove', ids[0]!], { env });
    expect(ask.code).toBe(2);
    expect(ask.stderr).toMatch(/^error CONFIRMATION_REQUIRED: /);
    const wrongPin = await runCli(['wallet', 'remove', ids[0]!, '--yes'], { env: { ...env, NETCRED_PIN: 'wrong-pin-999' } });
    expect(wrongPin.code).toBe(2);
    expect(wrongPin.stderr).toMatch(/^error PIN_INVALID: /);
    const short = await runCli(['wallet', 'remove', ids[0]!.slice(0, 4), '--yes'], { env });
    expect(short.code).toBe(2);
    expect(short.stderr).toMatch(/^error CREDENTIAL_NOT_FOUND: /);
    const prefix = ids[0]!.slice(0, [...ids[0]!].findIndex((ch, i) => ch !== ids[1]![i]) + 1);
    const r = await runCli(['wallet', 'remove', prefix.length >= 8 ? prefix : ids[0]!.slice(0, 8), '--yes'], { env });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe(`removed ${ids[0]}\n`);
    expect((await list(env)).credentials.map((c) => c.id)).toEqual([ids[1]]);
  });
});
