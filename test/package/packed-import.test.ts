// The package as a user gets it: `npm pack` of the built tree, unpacked into a project outside the
// repository, imported through its `exports` by an ESM TypeScript program (tsc --noEmit, then run).
// The program builds a Veramo agent from @veramo/* packages plus `netcred/veramo` only, issues a
// vc+sd-jwt through agent.createVerifiableCredential and verifies it. The project's other
// dependencies are links to this repository's node_modules (no network, same versions).
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/tmp.js';

const repo = resolve(import.meta.dirname, '../..');
const tsc = join(repo, 'node_modules/typescript/bin/tsc');

const PROGRAM = `
import 'reflect-metadata';
import { createAgent, type ICredentialPlugin, type IDIDManager, type IKeyManager, type IResolver } from '@veramo/core';
import { CredentialPlugin } from '@veramo/credential-w3c';
import { DIDStore, Entities, KeyStore, migrations } from '@veramo/data-store';
import { DIDManager } from '@veramo/did-manager';
import { JwkDIDProvider } from '@veramo/did-provider-jwk';
import { DIDResolverPlugin } from '@veramo/did-resolver';
import { KeyManager } from '@veramo/key-manager';
import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { CredentialProviderVcdm2, NetcredKms, netcredDidResolvers, netcredKmsMigrations } from 'netcred/veramo';
import * as core from 'netcred/core';
import * as issuer from 'netcred/issuer';
import * as holder from 'netcred/holder';
import * as verifier from 'netcred/verifier';

const entryPoints = { core: Object.keys(core).length, issuer: Object.keys(issuer).length, holder: Object.keys(holder).length, verifier: Object.keys(verifier).length };

const dbFile = process.argv[2]!;
const ds = await new DataSource({ type: 'sqlite', database: dbFile, entities: Entities, migrations: [...migrations, ...netcredKmsMigrations], migrationsRun: true, synchronize: false, logging: false }).initialize();
const agent = createAgent<IDIDManager & IKeyManager & IResolver & ICredentialPlugin>({
  plugins: [
    new KeyManager({ store: new KeyStore(ds), kms: { netcred: new NetcredKms(ds, randomBytes(32)) } }),
    new DIDManager({ store: new DIDStore(ds), defaultProvider: 'did:jwk', providers: { 'did:jwk': new JwkDIDProvider({ defaultKms: 'netcred' }) } }),
    new DIDResolverPlugin(netcredDidResolvers()),
    new CredentialPlugin([new CredentialProviderVcdm2()]),
  ],
});
const id = await agent.didManagerCreate({ provider: 'did:jwk', options: { keyType: 'Ed25519' } });
const credential = {
  '@context': ['https://www.w3.org/ns/credentials/v2'],
  type: ['VerifiableCredential', 'LibraryCard'],
  issuer: id.did,
  credentialSubject: { id: 'did:example:reader', name: 'Ada', tier: 'gold' },
};
const vc = await agent.createVerifiableCredential({ credential, proofFormat: 'vc+sd-jwt' as never });
const verified = await agent.verifyCredential({ credential: vc });
// The same envelope with one character of the issuer's signature changed.
const [prefix, token] = String(vc.id).split(',') as [string, string];
const [jwt, ...rest] = token.split('~');
const [h, p, sig] = jwt!.split('.') as [string, string, string];
const badSig = sig.slice(0, 5) + (sig[5] === 'A' ? 'B' : 'A') + sig.slice(6);
const tampered = { ...vc, id: prefix + ',' + [[h, p, badSig].join('.'), ...rest].join('~') };
const forged = await agent.verifyCredential({ credential: tampered as never });
await ds.destroy();
console.log(JSON.stringify({ entryPoints, envelope: String(vc.id).slice(0, 27), verified: verified.verified, subject: (verified.verifiableCredential as any)?.credentialSubject, forged: forged.verified }));
`;

let project: { dir: string; cleanup: () => void };

beforeAll(() => {
  project = tempDir('netcred-packed-');
  const dir = project.dir;
  // The tarball `npm publish` would upload, from the dist/ that `pretest` built (scripts off: no rebuild).
  const packed = JSON.parse(execFileSync('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', dir], { cwd: repo, encoding: 'utf8' })) as {
    filename: string;
  }[];
  const modules = join(dir, 'node_modules');
  mkdirSync(join(modules, 'netcred'), { recursive: true });
  execFileSync('tar', ['-xzf', join(dir, packed[0]!.filename), '-C', join(modules, 'netcred'), '--strip-components=1']);
  for (const name of readdirSync(join(repo, 'node_modules'))) {
    if (name === '.bin' || name.startsWith('.')) continue;
    symlinkSync(join(repo, 'node_modules', name), join(modules, name));
  }
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'user-project', private: true, type: 'module' }));
  writeFileSync(
    join(dir, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: { target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, skipLibCheck: true, types: ['node'], outDir: 'out' },
      include: ['main.ts'],
    }),
  );
  writeFileSync(join(dir, 'main.ts'), PROGRAM);
}, 120_000);

afterAll(() => project?.cleanup());

describe('the packed package in a user project', () => {
  it('type-checks and runs: every entry point imports, and a plain Veramo agent issues and verifies vc+sd-jwt with netcred/veramo', () => {
    execFileSync(process.execPath, [tsc, '-p', project.dir], { cwd: project.dir, encoding: 'utf8' });
    const out = execFileSync(process.execPath, [join(project.dir, 'out/main.js'), join(project.dir, 'agent.sqlite')], { cwd: project.dir, encoding: 'utf8' });
    const result = JSON.parse(out.trim().split('\n').pop()!) as Record<string, any>;
    for (const n of Object.values(result.entryPoints as Record<string, number>)) expect(n).toBeGreaterThan(5);
    expect(result.envelope).toBe('data:application/vc+sd-jwt,');
    expect(result.verified).toBe(true);
    expect(result.subject).toEqual({ id: 'did:example:reader', name: 'Ada', tier: 'gold' });
    expect(result.forged).toBe(false);
  }, 120_000);

  it('the tarball holds every exported entry point, built, with its types', () => {
    const pkg = JSON.parse(readFileSync(join(project.dir, 'node_modules/netcred/package.json'), 'utf8')) as {
      exports: Record<string, { types: string; import: string }>;
    };
    expect(Object.keys(pkg.exports).sort()).toEqual(['./core', './holder', './issuer', './veramo', './verifier']);
    for (const entry of Object.values(pkg.exports)) {
      expect(readFileSync(join(project.dir, 'node_modules/netcred', entry.import), 'utf8').length).toBeGreaterThan(0);
      expect(readFileSync(join(project.dir, 'node_modules/netcred', entry.types), 'utf8').length).toBeGreaterThan(0);
    }
  });
});
