// Issue 15, any credential type, through the real CLI: `netcred issuer type add DIR` (the
// library card of docs/examples/library-card), `issuer issue --type`, the wallet presenting it
// with the type's profile (its DCQL file), `verifier sync` and an offline `verify`.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot, runCli } from '../helpers/cli.js';
import { startTestIssuer, type TestIssuer } from '../helpers/issuer.js';
import { tempDir } from '../helpers/tmp.js';

const EXAMPLE = path.join(repoRoot, 'docs/examples/library-card');
const VCT = 'https://library.example/vct/library-card/1';
const tmp = tempDir('netcred-cli-type-');
const env = { NETCRED_PIN: 'library-card-pin-7', NETCRED_HOME: path.join(tmp.dir, 'wallet'), NETCRED_KIOSK_ID: '' };
const bundle = path.join(tmp.dir, 'bundle.json');
let issuer: TestIssuer;
let holder: string;
const issuerCli = (args: string[], input?: string) => runCli(['--data', issuer.dataDir, 'issuer', ...args], { env, ...(input !== undefined ? { input } : {}) });

beforeAll(async () => {
  // The key-file secret: the CLI opens the served issuer's data dir without NETCRED_SECRET.
  issuer = await startTestIssuer({ secret: undefined });
  const init = await runCli(['wallet', 'init'], { env });
  expect(init.code, init.stderr).toBe(0);
  holder = init.stdout.trim();
}, 120_000);
afterAll(async () => {
  await issuer?.close();
  tmp.cleanup();
});

describe('netcred issuer type add / issue --type, wallet present, verify', () => {
  it('a malformed type directory is refused (exit 2) with the field named, and nothing is registered', { timeout: 60_000 }, async () => {
    const dir = path.join(tmp.dir, 'broken');
    mkdirSync(dir);
    writeFileSync(path.join(dir, 'type.json'), JSON.stringify({ vct: VCT, name: 'Broken' }));
    writeFileSync(
      path.join(dir, 'claims.schema.json'),
      JSON.stringify({ type: 'object', properties: { vct: { type: 'string' } }, additionalProperties: false }),
    );
    writeFileSync(path.join(dir, 'type-metadata.json'), JSON.stringify({ vct: 'urn:other' }));
    const r = await issuerCli(['type', 'add', dir]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^error TYPE_DEFINITION_INVALID: /);
    expect(r.stderr).toContain('claims.schema.json#/properties/vct');
    expect(r.stderr).toContain('type-metadata.json#/vct');
    const list = await issuerCli(['type', 'list', '--json']);
    expect(list.code, list.stderr).toBe(0);
    expect((JSON.parse(list.stdout) as { vct: string }[]).map((t) => t.vct)).not.toContain(VCT);
  });

  it('registers the library card, issues it, refuses an unregistered claim by name, and the wallet presents it with its profile for an offline verify', {
    timeout: 120_000,
  }, async () => {
    const added = await issuerCli(['type', 'add', EXAMPLE]);
    expect(added.code, added.stderr).toBe(0);
    expect(added.stdout).toContain(VCT);
    const list = await issuerCli(['type', 'list']);
    expect(list.stdout).toMatch(/resident-identity:1 .*\(built-in\)/);
    expect(list.stdout).toContain(`${VCT}  Library card profiles: borrow`);

    const extra = await issuerCli(
      ['issue', '--type', VCT, '--holder', holder, '--claims', '-', '--json'],
      JSON.stringify({ member_name: 'Ada', card_number: 'LB123456', valid_until: '2030-12-31', favourite_colour: 'blue' }),
    );
    expect(extra.code).toBe(2);
    expect(JSON.parse(extra.stdout).error).toMatchObject({ code: 'INVALID_INPUT', details: [{ path: 'favourite_colour', message: 'is not a known claim' }] });

    const issued = await issuerCli(['issue', '--type', VCT, '--holder', holder, '--claims', path.join(EXAMPLE, 'claims.json'), '--json']);
    expect(issued.code, issued.stderr).toBe(0);
    const credential = JSON.parse(issued.stdout) as { id: string; credential: string; vct: string; companion?: string };
    expect(credential.vct).toBe(VCT);
    expect(credential.companion).toBeUndefined();

    // The same type offered over OpenID4VCI from the CLI: the offer names the vct as its configuration.
    const offered = await issuerCli(['offer', '--type', VCT, '--claims', path.join(EXAMPLE, 'claims.json'), '--json']);
    expect(offered.code, offered.stderr).toBe(0);
    const offerObject = JSON.parse(decodeURIComponent((JSON.parse(offered.stdout) as { offer: string }).offer.split('credential_offer=')[1]!)) as {
      credential_configuration_ids: string[];
    };
    expect(offerObject.credential_configuration_ids).toEqual([VCT]);

    const imported = await runCli(['wallet', 'import', '-', '--json'], { env, input: credential.credential });
    expect(imported.code, imported.stderr).toBe(0);
    const synced = await runCli(['verifier', 'sync', '--issuer', issuer.url, '--bundle', bundle], { env });
    expect(synced.code, synced.stderr).toBe(0);

    // A file import learns no profile: --profile borrow is unknown until `wallet sync` (test/cli/type-profiles.test.ts); its DCQL file still works.
    const byName = await runCli(['wallet', 'present', '--profile', 'borrow', '--yes'], { env });
    expect(byName.code).toBe(2);
    expect(byName.stderr).toMatch(/^error PROFILE_UNKNOWN: .*netcred wallet sync/);
    const presented = await runCli(['wallet', 'present', '--dcql', path.join(EXAMPLE, 'profiles/borrow.dcql.json'), '--yes', '--json'], { env });
    expect(presented.code, presented.stderr).toBe(0);
    const p = JSON.parse(presented.stdout) as { presentation: string; credentialId: string };
    expect(p.credentialId).toBe(credential.id);
    const verified = await runCli(['verify', '-', '--bundle', bundle, '--json'], { input: p.presentation });
    expect(verified.code, verified.stdout).toBe(0);
    const out = JSON.parse(verified.stdout) as { valid: boolean; vct: string; claims: Record<string, unknown> };
    expect(out).toMatchObject({ valid: true, vct: VCT, claims: { card_number: 'LB123456', valid_until: '2030-12-31' } });
    expect(out.claims).not.toHaveProperty('member_name');
  });
});
