// Issue 15, the last piece: a registered type's profiles are usable BY NAME. The issuer serves
// them in its discovery, `wallet accept` / `wallet sync` learn them, `wallet present --profile
// borrow` discloses exactly the profile's claims, `verifier sync` puts them in the bundle and
// `verify --profile borrow` holds the credential to its issuer's query, offline. Real CLI
// processes, the real issuer on 127.0.0.1 (the library card of docs/examples/library-card).
import { createServer, type Server } from 'node:http';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot, runCli } from '../helpers/cli.js';
import { startTestIssuer, type TestIssuer } from '../helpers/issuer.js';
import { tempDir } from '../helpers/tmp.js';

const EXAMPLE = path.join(repoRoot, 'docs/examples/library-card');
const CLAIMS = path.join(EXAMPLE, 'claims.json');
const VCT = 'https://library.example/vct/library-card/1';
const tmp = tempDir('netcred-cli-type-profiles-');
const pin = 'library-card-pin-7';
// Two wallets: one fed over OpenID4VCI (learns at accept), one by file import (learns at sync).
const walletEnv = (name: string) => ({ NETCRED_PIN: pin, NETCRED_HOME: path.join(tmp.dir, name), NETCRED_KIOSK_ID: '' });
const offered = walletEnv('offered');
const imported = walletEnv('imported');
const bundle = path.join(tmp.dir, 'bundle.json');
let issuer: TestIssuer;
let importedHolder: string;
const issuerCli = (args: string[]) => runCli(['--data', issuer.dataDir, 'issuer', ...args], { env: offered });

type Presented = { presentation: string; credentialId: string; disclosed: { path: (string | number | null)[]; value: unknown }[] };

beforeAll(async () => {
  // The key-file secret: the CLI opens the served issuer's data dir without NETCRED_SECRET.
  issuer = await startTestIssuer({ secret: undefined });
  const [a, b, added] = await Promise.all([
    runCli(['wallet', 'init'], { env: offered }),
    runCli(['wallet', 'init'], { env: imported }),
    runCli(['--data', issuer.dataDir, 'issuer', 'type', 'add', EXAMPLE], { env: offered }),
  ]);
  expect(a.code, a.stderr).toBe(0);
  expect(b.code, b.stderr).toBe(0);
  importedHolder = b.stdout.trim();
  expect(added.code, added.stderr).toBe(0);
}, 120_000);
afterAll(async () => {
  await issuer?.close();
  tmp.cleanup();
});

describe('a registered type, its profile by name: wallet present --profile, verify --profile', () => {
  it('the issuer serves the profile, the wallet learns it at accept and presents exactly its claims; verify --profile holds the credential to it offline', {
    timeout: 180_000,
  }, async () => {
    const discovery = (await (await fetch(`${issuer.url}/.well-known/netcred-issuer`)).json()) as {
      credential_types: { vct: string; profiles?: Record<string, unknown> }[];
    };
    const borrow = JSON.parse(readFileSync(path.join(EXAMPLE, 'profiles/borrow.dcql.json'), 'utf8')) as unknown;
    expect(discovery.credential_types.find((t) => t.vct === VCT)?.profiles).toEqual({ borrow });

    const offer = await issuerCli(['offer', '--type', VCT, '--claims', CLAIMS, '--json']);
    expect(offer.code, offer.stderr).toBe(0);
    const accepted = await runCli(['wallet', 'accept', (JSON.parse(offer.stdout) as { offer: string }).offer, '--json'], { env: offered });
    expect(accepted.code, accepted.stderr).toBe(0);
    const acc = JSON.parse(accepted.stdout) as { credentials: { id: string; vct: string }[]; profiles: unknown };
    expect(acc.profiles).toEqual([{ iss: expect.any(String), vct: VCT, names: ['borrow'] }]);

    const presented = await runCli(['wallet', 'present', '--profile', 'borrow', '--yes', '--json'], { env: offered });
    expect(presented.code, presented.stderr).toBe(0);
    const p = JSON.parse(presented.stdout) as Presented;
    expect(p.credentialId).toBe(acc.credentials[0]!.id);
    expect(p.disclosed.map((d) => d.path).sort()).toEqual([['card_number'], ['valid_until']]);

    const synced = await runCli(['verifier', 'sync', '--issuer', issuer.url, '--bundle', bundle]);
    expect(synced.code, synced.stderr).toBe(0);
    expect(synced.stdout).toContain(`profiles of ${VCT}: borrow`);
    const written = JSON.parse(readFileSync(bundle, 'utf8')) as { issuers: { profiles?: Record<string, Record<string, unknown>> }[] };
    expect(written.issuers[0]!.profiles).toEqual({ [VCT]: { borrow } });

    const verified = await runCli(['verify', '-', '--bundle', bundle, '--profile', 'borrow', '--json'], { input: p.presentation });
    expect(verified.code, verified.stdout).toBe(0);
    expect(JSON.parse(verified.stdout)).toMatchObject({ valid: true, vct: VCT, profile: 'borrow', claims: { card_number: 'LB123456' } });
    expect(JSON.parse(verified.stdout).claims).not.toHaveProperty('member_name');

    // The same credential with valid_until withheld: the profile's query is not satisfied, the
    // code an OpenID4VP answer to that query gets (PROFILE_NOT_SATISFIED), the claim named.
    const partial = await runCli(['wallet', 'present', '--disclose', 'card_number', '--yes', '--json'], { env: offered });
    expect(partial.code, partial.stderr).toBe(0);
    const refused = await runCli(['verify', '-', '--bundle', bundle, '--profile', 'borrow', '--json'], {
      input: (JSON.parse(partial.stdout) as Presented).presentation,
    });
    expect(refused.code, refused.stdout).toBe(1);
    expect(JSON.parse(refused.stdout)).toMatchObject({ valid: false, code: 'PROFILE_NOT_SATISFIED', profile: 'borrow' });
    expect(JSON.parse(refused.stdout).message).toContain('valid_until');
    // Without --profile the same presentation is valid: the profile made the difference.
    const plain = await runCli(['verify', '-', '--bundle', bundle, '--json'], { input: (JSON.parse(partial.stdout) as Presented).presentation });
    expect(plain.code, plain.stdout).toBe(0);
  });

  it('unknown profile names are typed errors (exit 2) listing the names known, in both commands', { timeout: 120_000 }, async () => {
    const [present, verify] = await Promise.all([
      runCli(['wallet', 'present', '--profile', 'lend', '--yes', '--json'], { env: offered }),
      runCli(['verify', '-', '--bundle', bundle, '--profile', 'lend', '--json'], { input: 'unused' }),
    ]);
    expect(present.code, present.stderr).toBe(2);
    const pe = (JSON.parse(present.stdout) as { error: { code: string; message: string } }).error;
    expect(pe.code).toBe('PROFILE_UNKNOWN');
    expect(pe.message).toContain('(borrow)');
    expect(pe.message).toContain('netcred wallet sync');
    expect(verify.code, verify.stderr).toBe(2);
    const ve = (JSON.parse(verify.stdout) as { error: { code: string; message: string } }).error;
    expect(ve.code).toBe('PROFILE_UNKNOWN');
    expect(ve.message).toContain('(borrow)');
    expect(ve.message).toContain('netcred verifier sync');
  });

  it('verifier sync refuses a served profile that is not a DCQL query of its type (PROFILE_INVALID naming it) and writes no bundle', {
    timeout: 120_000,
  }, async () => {
    // The real issuer's discovery, its library card's profile asking for another type.
    const real = (await (await fetch(`${issuer.url}/.well-known/netcred-issuer`)).json()) as { credential_types: { vct: string; profiles?: unknown }[] };
    const bad = JSON.parse(readFileSync(path.join(EXAMPLE, 'profiles/borrow.dcql.json'), 'utf8')) as { credentials: { meta: { vct_values: string[] } }[] };
    bad.credentials[0]!.meta.vct_values = ['urn:example:other'];
    const served = { ...real, credential_types: real.credential_types.map((t) => (t.vct === VCT ? { ...t, profiles: { borrow: bad } } : t)) };
    const server: Server = createServer((req, res) => {
      if (req.url !== '/.well-known/netcred-issuer') return void res.writeHead(404).end();
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(served));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const port = (server.address() as { port: number }).port;
      const file = path.join(tmp.dir, 'refused-bundle.json');
      const r = await runCli(['verifier', 'sync', '--issuer', `http://127.0.0.1:${port}`, '--bundle', file]);
      expect(r.code, r.stdout).toBe(2);
      expect(r.stderr).toMatch(/^error PROFILE_INVALID: /);
      expect(r.stderr).toContain(`type ${VCT}: profile borrow credentials[0].meta.vct_values must be ["${VCT}"]`);
      expect(() => readFileSync(file)).toThrow();
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('a credential imported from a file: its profile is unknown until wallet sync learns it from the issuer', { timeout: 120_000 }, async () => {
    const issued = await issuerCli(['issue', '--type', VCT, '--holder', importedHolder, '--claims', CLAIMS, '--json']);
    expect(issued.code, issued.stderr).toBe(0);
    const credential = JSON.parse(issued.stdout) as { id: string; credential: string };
    const stored = await runCli(['wallet', 'import', '-', '--json'], { env: imported, input: credential.credential });
    expect(stored.code, stored.stderr).toBe(0);

    const before = await runCli(['wallet', 'present', '--profile', 'borrow', '--yes', '--json'], { env: imported });
    expect(before.code).toBe(2);
    expect((JSON.parse(before.stdout) as { error: { code: string } }).error.code).toBe('PROFILE_UNKNOWN');

    const sync = await runCli(['wallet', 'sync', '--json'], { env: imported });
    expect(sync.code, sync.stdout).toBe(0);
    expect((JSON.parse(sync.stdout) as { profiles: unknown }).profiles).toEqual([{ iss: expect.any(String), vct: VCT, names: ['borrow'] }]);

    const after = await runCli(['wallet', 'present', '--profile', 'borrow', '--credential', credential.id, '--yes', '--json'], { env: imported });
    expect(after.code, after.stderr).toBe(0);
    const p = JSON.parse(after.stdout) as Presented;
    expect(p.credentialId).toBe(credential.id);
    expect(p.disclosed.map((d) => d.path).sort()).toEqual([['card_number'], ['valid_until']]);
  });
});
