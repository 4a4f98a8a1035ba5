import { spawn } from 'node:child_process';
import { createPublicKey, generateKeyPairSync, type JsonWebKey } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCertificate, createCertificateAuthority, type CertificateAuthority } from '../../core/index.js';
import { sampleIdentityClaims } from '../../schemas/index.js';
import { cliNodeArgs, repoRoot, runCli } from '../helpers/cli.js';
import { freePort } from '../helpers/issuer.js';
import { tempDir } from '../helpers/tmp.js';

/**
 * X.509 issuers through the real CLI: `issuer init --x509`, `issuer cert --show / --import`,
 * `verifier trust add-cert`, then the whole path: serve, issue, sync, wallet import and
 * present, offline verify.
 */

const tmp = tempDir('netcred-x509-cli-');
const issuerHome = path.join(tmp.dir, 'issuer-home');
const walletHome = path.join(tmp.dir, 'wallet-home');
const bundle = path.join(tmp.dir, 'bundle.json');
const env = { NETCRED_SECRET: 'x509-cli-test-secret-0123456789abcdef', NETCRED_ADMIN_TOKEN: undefined, NETCRED_HOME: undefined, NETCRED_PIN: '482915' };
let port: number;
let url: string;

const issuerCli = (args: string[], input?: string) => runCli(['--data', issuerHome, 'issuer', ...args], { env, input });
const pemBlocks = (text: string) => text.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];

beforeAll(async () => {
  port = await freePort();
  url = `http://127.0.0.1:${port}`;
});
afterAll(() => tmp.cleanup());

describe('netcred issuer init --x509, issuer cert, verifier trust add-cert', () => {
  let publicJwk: JsonWebKey;
  let realCa: CertificateAuthority;

  it('init --x509 creates a URL issuer with a development CA and a leaf for its key; show and cert --show print them', async () => {
    const bad = await runCli(['--data', path.join(tmp.dir, 'bad'), 'issuer', 'init', '--x509', '--issuer-id', 'did', '--json'], { env });
    expect(bad.code).toBe(2);
    expect(JSON.parse(bad.stdout).error.code).toBe('INVALID_INPUT');
    const badUrl = await runCli(
      ['--data', path.join(tmp.dir, 'bad2'), 'issuer', 'init', '--issuer-id', 'url', '--public-url', 'http://issuer.example', '--json'],
      { env },
    );
    expect(badUrl.code).toBe(2);

    const init = await issuerCli(['init', '--x509', '--alg', 'ES256', '--public-url', url, '--json']);
    expect(init.code, init.stderr).toBe(0);
    const created = JSON.parse(init.stdout);
    expect(created).toMatchObject({ issuerId: url, certificate: { uris: [url], dnsNames: ['127.0.0.1'], certificates: 2 } });
    expect(init.stderr).toMatch(/private key is not kept/);
    const config = JSON.parse(readFileSync(path.join(issuerHome, 'issuer', 'config.json'), 'utf8'));
    expect(config.issuerId).toBe('url');

    const show = await issuerCli(['show', '--json']);
    expect(show.code, show.stderr).toBe(0);
    const info = JSON.parse(show.stdout);
    expect(info).toMatchObject({ issuerId: url, issuerIdKind: 'url', certificate: { uris: [url] } });
    publicJwk = info.publicJwk;
    expect(info.kid).toBe(info.publicJwk.kid);

    const [root, chain] = await Promise.all([issuerCli(['cert', '--show']), issuerCli(['cert', '--show', '--chain'])]);
    expect(root.code, root.stderr).toBe(0);
    expect(pemBlocks(root.stdout)).toHaveLength(1);
    expect(pemBlocks(chain.stdout)).toHaveLength(2);
    expect(pemBlocks(chain.stdout)[1]).toBe(pemBlocks(root.stdout)[0]);
    writeFileSync(path.join(tmp.dir, 'dev-root.pem'), root.stdout);

    const again = await issuerCli(['cert', '--json']);
    expect(again.code).toBe(2);
    expect(JSON.parse(again.stdout).error.code).toBe('INVALID_INPUT');
  }, 120_000);

  it("cert --import takes a real CA's chain for the issuer key, and refuses one for another key or another name", async () => {
    realCa = await createCertificateAuthority({ name: 'Example Government Root' });
    const key = createPublicKey({ key: publicJwk, format: 'jwk' });
    const leaf = await createCertificate({ issuer: realCa, publicKey: key, subject: 'id.example', dnsNames: ['127.0.0.1'], uris: [url] });
    const chainFile = path.join(tmp.dir, 'chain.pem');
    writeFileSync(chainFile, `${leaf.toString()}${realCa.certificate.toString()}`);

    const other = await createCertificate({
      issuer: realCa,
      publicKey: generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey,
      subject: 'other',
      uris: [url],
    });
    const wrongKey = await issuerCli(['cert', '--import', '-', '--replace', '--json'], `${other.toString()}${realCa.certificate.toString()}`);
    expect(wrongKey.code).toBe(2);
    expect(JSON.parse(wrongKey.stdout).error.code).toBe('X509_KEY_MISMATCH');
    const wrongName = await createCertificate({ issuer: realCa, publicKey: key, subject: 'elsewhere', dnsNames: ['elsewhere.example'] });
    const misnamed = await issuerCli(['cert', '--import', '-', '--replace', '--json'], wrongName.toString());
    expect(misnamed.code).toBe(2);
    expect(JSON.parse(misnamed.stdout).error.code).toBe('X509_SAN_MISMATCH');
    const notReplacing = await issuerCli(['cert', '--import', chainFile, '--json']);
    expect(notReplacing.code).toBe(2);

    const imported = await issuerCli(['cert', '--import', chainFile, '--replace', '--json']);
    expect(imported.code, imported.stderr).toBe(0);
    expect(JSON.parse(imported.stdout)).toMatchObject({
      issuer: 'CN=Example Government Root',
      certificates: 2,
      root: { sha256: realCa.certificate.fingerprint256 },
    });
    const root = await issuerCli(['cert', '--show']);
    expect(pemBlocks(root.stdout)[0]).toBe(realCa.certificate.toString().trim());
    writeFileSync(path.join(tmp.dir, 'root.pem'), root.stdout);
  }, 120_000);

  it('serve, issue, verifier sync + trust add-cert, wallet import + present, verify offline: valid through x5c; the dev root no longer vouches', async () => {
    const serve = spawn(process.execPath, [...cliNodeArgs(), '--data', issuerHome, 'issuer', 'serve', '--port', String(port), '--json'], {
      cwd: repoRoot,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      await new Promise<void>((resolve, reject) => {
        serve.stdout.on('data', (d) => (String(d).includes('"url"') ? resolve() : undefined));
        serve.on('exit', () => reject(new Error('issuer serve exited')));
      });
      const walletEnv = { ...env, NETCRED_HOME: walletHome };
      const init = await runCli(['wallet', 'init', '--json'], { env: walletEnv });
      expect(init.code, init.stderr).toBe(0);
      const holder = JSON.parse(init.stdout).did as string;
      const claims = path.join(tmp.dir, 'claims.json');
      writeFileSync(claims, JSON.stringify(sampleIdentityClaims()));
      const issued = await issuerCli(['issue', '--holder', holder, '--claims', claims]);
      expect(issued.code, issued.stderr).toBe(0);
      const cred = path.join(tmp.dir, 'cred.txt');
      writeFileSync(cred, issued.stdout);
      const header = JSON.parse(Buffer.from(issued.stdout.split('.')[0]!, 'base64url').toString());
      expect(header.x5c).toHaveLength(1);

      const imported = await runCli(['wallet', 'import', cred, '--json'], { env: walletEnv });
      expect(imported.code, imported.stderr).toBe(0);
      const presented = await runCli(['wallet', 'present', '--profile', 'lite', '--aud', 'netcred:kiosk', '--yes'], { env: walletEnv });
      expect(presented.code, presented.stderr).toBe(0);
      const presentation = path.join(tmp.dir, 'presentation.txt');
      writeFileSync(presentation, presented.stdout);

      const sync = await runCli(['verifier', 'sync', '--issuer', url, '--bundle', bundle], { env });
      expect(sync.code, sync.stderr).toBe(0);
      const verify = () => runCli(['verify', presentation, '--bundle', bundle, '--profile', 'lite', '--aud', 'netcred:kiosk', '--json'], { env });
      const untrusted = await verify();
      expect(untrusted.code).toBe(1);
      expect(JSON.parse(untrusted.stdout).code).toBe('X509_UNTRUSTED');

      const devRoot = await runCli(['verifier', 'trust', 'add-cert', path.join(tmp.dir, 'dev-root.pem'), '--bundle', bundle], { env });
      expect(devRoot.code, devRoot.stderr).toBe(0);
      expect(JSON.parse((await verify()).stdout).code).toBe('X509_UNTRUSTED');

      const added = await runCli(['verifier', 'trust', 'add-cert', path.join(tmp.dir, 'root.pem'), '--bundle', bundle, '--json'], { env });
      expect(added.code, added.stderr).toBe(0);
      expect(JSON.parse(added.stdout)).toEqual([expect.objectContaining({ subject: 'CN=Example Government Root', sha256: realCa.certificate.fingerprint256 })]);
      const ok = await verify();
      expect(ok.code, ok.stdout).toBe(0);
      expect(JSON.parse(ok.stdout)).toMatchObject({ valid: true, issuer: url, profile: 'lite', status: { value: 0 } });

      const list = await runCli(['verifier', 'trust', 'list', '--bundle', bundle, '--json'], { env });
      expect(JSON.parse(list.stdout).x509Roots).toHaveLength(2);
      const notRoot = await runCli(['verifier', 'trust', 'add-cert', '-', '--bundle', bundle, '--json'], {
        env,
        input: pemBlocks(readFileSync(path.join(issuerHome, 'issuer', 'x509-chain.pem'), 'utf8'))[0]!,
      });
      expect(notRoot.code).toBe(2);
      expect(JSON.parse(notRoot.stdout).error.code).toBe('X509_NOT_CA');
    } finally {
      serve.kill('SIGTERM');
    }
  }, 120_000);
});
