// `netcred wallet present --disclose CLAIMS` (issue 15, item 3): the wallet builds the DCQL query
// for exactly those claims and presents them; through the real CLI, real issuer, real wallet.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueCredential } from '../../issuer/index.js';
import { sampleIdentityClaims } from '../../schemas/index.js';
import { runCli } from '../helpers/cli.js';
import { startTestIssuer, type TestIssuer } from '../helpers/issuer.js';
import { tempDir } from '../helpers/tmp.js';

const tmp = tempDir('netcred-present-disclose-');
const env = { NETCRED_PIN: 'present-disclose-pin-5', NETCRED_HOME: tmp.dir, NETCRED_KIOSK_ID: '' };
const bundle = path.join(tmp.dir, 'bundle.json');
let issuer: TestIssuer;
let credentialId: string;

beforeAll(async () => {
  issuer = await startTestIssuer();
  const init = await runCli(['wallet', 'init'], { env });
  expect(init.code, init.stderr).toBe(0);
  const { credential } = await issueCredential(issuer.ctx, { holderDid: init.stdout.trim(), claims: sampleIdentityClaims() });
  const imported = await runCli(['wallet', 'import', '-', '--json'], { env, input: credential });
  expect(imported.code, imported.stderr).toBe(0);
  credentialId = (JSON.parse(imported.stdout) as { id: string }).id;
  const synced = await runCli(['verifier', 'sync', '--issuer', issuer.url, '--bundle', bundle], { env });
  expect(synced.code, synced.stderr).toBe(0);
}, 120_000);
afterAll(async () => {
  await issuer?.close();
  tmp.cleanup();
});

type Presented = { presentation: string; disclosed: { path: (string | number)[]; value: unknown }[]; credentialId: string };

describe('netcred wallet present --disclose', () => {
  it('discloses exactly the claims named (a nested one too), and the verifier sees just them', { timeout: 60_000 }, async () => {
    const r = await runCli(['wallet', 'present', '--disclose', 'given_name, age_over_18,address.locality', '--yes', '--json'], { env });
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as Presented;
    expect(out.credentialId).toBe(credentialId);
    expect(out.disclosed.map((d) => d.path.join('.')).sort()).toEqual(['address.locality', 'age_over_18', 'given_name']);
    expect(r.stderr).toContain('address.locality = ');
    const verified = await runCli(['verify', '-', '--bundle', bundle, '--json'], { input: out.presentation });
    expect(verified.code, verified.stdout).toBe(0);
    const claims = (JSON.parse(verified.stdout) as { claims: Record<string, unknown> }).claims;
    const sample = sampleIdentityClaims() as { given_name: string; address: { locality: string } };
    expect(claims.given_name).toBe(sample.given_name);
    expect(claims.age_over_18).toBe(true);
    expect(claims.address).toEqual({ locality: sample.address.locality });
    for (const hidden of ['family_name', 'birthdate', 'id_number', 'nationality']) expect(claims).not.toHaveProperty(hidden);
  });

  it('with --credential (an id prefix) it discloses from that credential', { timeout: 60_000 }, async () => {
    const r = await runCli(['wallet', 'present', '--disclose', 'family_name', '--credential', credentialId.slice(0, 8), '--yes', '--json'], { env });
    expect(r.code, r.stderr).toBe(0);
    expect((JSON.parse(r.stdout) as Presented).disclosed.map((d) => d.path.join('.'))).toEqual(['family_name']);
  });

  it('an unknown claim is CLAIM_UNKNOWN naming it (exit 2); combining with --profile is a usage error', { timeout: 60_000 }, async () => {
    const r = await runCli(['wallet', 'present', '--disclose', 'given_name,shoe_size', '--yes'], { env });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^error CLAIM_UNKNOWN: .* has no claim shoe_size/);
    const nested = await runCli(['wallet', 'present', '--disclose', 'address.planet', '--yes', '--json'], { env });
    expect(nested.code).toBe(2);
    expect(JSON.parse(nested.stdout).error).toMatchObject({ code: 'CLAIM_UNKNOWN' });
    const both = await runCli(['wallet', 'present', '--disclose', 'given_name', '--profile', 'lite', '--yes'], { env });
    expect(both.code).toBe(2);
    expect(both.stderr).toMatch(/exactly one of --profile, --dcql or --disclose/);
  });
});
