import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifySDJWT } from '@meeco/sd-jwt';
import { createHash, createPublicKey, verify as nodeVerify, type JsonWebKey, type KeyObject } from 'node:crypto';
import { issueCredential, revokeCredential, suspendCredential, type IssuerContext } from '../../issuer/index.js';
import { sampleIdentityClaims } from '../../schemas/index.js';
import { parseSdJwt } from '../../core/index.js';
import { emptyTrustBundle, loadTrustBundle, readTrustBundle, syncIssuer, TrustStore, verifyPresentation } from '../../verifier/index.js';
import { spawn } from 'node:child_process';
import { repoRoot, runCli } from '../helpers/cli.js';
import { startTestIssuer, type TestIssuer } from '../helpers/issuer.js';
import { tempDir } from '../helpers/tmp.js';
import { AUD, kbJwt, party } from './helpers/fixture.js';

const tmp = tempDir('netcred-verifier-sync-');
let ctx: IssuerContext;
let url: string;
let issuer: TestIssuer | undefined;
const holder = party('p256');

/** The holder's side: keep the disclosures named in `names`, add a KB-JWT. */
async function present(credential: string, names: string[] | 'all', opts: { nonce?: string; ageSeconds?: number } = {}): Promise<string> {
  const parsed = parseSdJwt(credential);
  const keep = parsed.disclosures.filter((d) => names === 'all' || (d.name !== undefined && names.includes(d.name)));
  const sdJwt = `${[parsed.jwt, ...keep.map((d) => d.encoded)].join('~')}~`;
  return sdJwt + (await kbJwt(sdJwt, holder.priv, { iat: Math.floor(Date.now() / 1000) - (opts.ageSeconds ?? 0), nonce: opts.nonce }));
}

beforeAll(async () => {
  issuer = await startTestIssuer({
    adminToken: 'verifier-sync-test-admin-0123456789',
    secret: 'verifier-sync-test-secret-0123456789abcdef',
    tmpPrefix: 'netcred-verifier-sync-issuer-',
  });
  ({ ctx, url } = issuer);
}, 60_000);

afterAll(async () => {
  await issuer?.close();
  tmp.cleanup();
});

describe('the real issuer, synced into a bundle', () => {
  it('sync fetches the issuer, type metadata and signed lists; its credentials verify; revocation shows after a re-sync', async () => {
    const issued = await issueCredential(ctx, { holderDid: holderDid(), claims: sampleIdentityClaims() });
    const { bundle, report } = await syncIssuer(emptyTrustBundle(), url);
    expect(report.issuer).toBe(ctx.issuerDid);
    expect(report.statusLists).toBeGreaterThan(0);
    expect(bundle.typeMetadata.map((t) => t.vct)).toContain(issued.vct);
    const store = new TrustStore(bundle);
    const lite = await present(issued.credential, ['given_name', 'family_name', 'age_over_18']);
    const ok = verifyPresentation(lite, { trust: store, aud: AUD, profile: 'lite' });
    expect(ok).toMatchObject({ valid: true, issuer: ctx.issuerDid, vct: issued.vct, profile: 'lite', status: { value: 0 } });
    expect(Object.keys(ok.claims)).not.toContain('birthdate');

    // upgraded: every claim, with the verifier's own nonce
    const up = await present(issued.credential, 'all', { nonce: 'kiosk-nonce-1' });
    expect(verifyPresentation(up, { trust: store, aud: AUD, profile: 'upgraded', nonce: 'kiosk-nonce-1' }).valid).toBe(true);

    await revokeCredential(ctx, issued.id, 'admin', 'test');
    // still valid against the old bundle: the verifier never calls the issuer
    expect(verifyPresentation(lite, { trust: store, aud: AUD }).valid).toBe(true);
    const { bundle: refreshed } = await syncIssuer(bundle, url);
    expect(verifyPresentation(lite, { trust: new TrustStore(refreshed), aud: AUD }).code).toBe('STATUS_REVOKED');
  });

  it('W3C VCDM 2.0 credentials (vc+sd-jwt) verify with the bitstring lists, and suspension is seen', async () => {
    const issued = await issueCredential(ctx, { holderDid: holderDid(), claims: sampleIdentityClaims(), format: 'vc+sd-jwt' });
    const names = parseSdJwt(issued.credential)
      .disclosures.map((d) => d.name)
      .filter((n): n is string => n !== undefined);
    const p = await present(
      issued.credential,
      names.filter((n) => ['given_name', 'family_name', 'age_over_18'].includes(n)),
    );
    const { bundle, report } = await syncIssuer(emptyTrustBundle(), url);
    expect(report.bitstringLists).toBeGreaterThan(0);
    const r = verifyPresentation(p, { trust: new TrustStore(bundle), aud: AUD, profile: 'lite' });
    expect(r).toMatchObject({ valid: true, format: 'vc+sd-jwt', issuer: ctx.issuerDid, vct: issued.vct, status: { value: 0 } });
    expect(r.claims.credentialSubject).toMatchObject({ given_name: sampleIdentityClaims().given_name });
    await suspendCredential(ctx, issued.id, 'admin', 'test');
    const { bundle: after } = await syncIssuer(bundle, url);
    expect(verifyPresentation(p, { trust: new TrustStore(after), aud: AUD }).code).toBe('STATUS_SUSPENDED');
  });

  it('a did:web issuer: sync pins its DID document (resolved the did:web way) and its credentials verify offline', async () => {
    const web = await startTestIssuer({
      didMethod: 'web',
      adminToken: 'verifier-web-test-admin-0123456789',
      secret: 'verifier-web-test-secret-0123456789abcdef',
      tmpPrefix: 'netcred-verifier-web-',
    });
    const webCtx = web.ctx;
    try {
      expect(webCtx.issuerDid.startsWith('did:web:127.0.0.1')).toBe(true);
      const issued = await issueCredential(webCtx, { holderDid: holderDid(), claims: sampleIdentityClaims() });
      const { bundle } = await syncIssuer(emptyTrustBundle(), web.url);
      expect(bundle.issuers[0]!.didDocument?.id).toBe(webCtx.issuerDid);
      const p = await present(issued.credential, ['given_name', 'family_name', 'age_over_18']);
      expect(verifyPresentation(p, { trust: new TrustStore(bundle), aud: AUD, profile: 'lite' })).toMatchObject({ valid: true, issuer: webCtx.issuerDid });
    } finally {
      await web.close();
    }
  });

  it('our credential and presentation verify in @meeco/sd-jwt too', async () => {
    const issued = await issueCredential(ctx, { holderDid: holderDid(), claims: sampleIdentityClaims() });
    const p = await present(issued.credential, ['given_name', 'family_name']);
    const issuerKey = createPublicKey({ key: ctx.didDocument.verificationMethod![0]!.publicKeyJwk as JsonWebKey, format: 'jwk' });
    const jwsVerifier = (key: KeyObject) => async (jws: string) => {
      const [h, pl, sig] = jws.split('.');
      return verifyRaw(`${h}.${pl}`, sig!, key);
    };
    const payload = await verifySDJWT(p, jwsVerifier(issuerKey), async () => (data: string) => createHash('sha256').update(data).digest('base64url'), {
      kb: { verifier: async (kb: string, jwk: unknown) => jwsVerifier(createPublicKey({ key: jwk as JsonWebKey, format: 'jwk' }))(kb) },
    });
    expect(payload.given_name).toBe(sampleIdentityClaims().given_name);
    expect(payload.birthdate).toBeUndefined();
    // and it refuses a tampered signature, so the check above is real
    await expect(
      verifySDJWT(
        p.replace(/^(.{40})./, (m, a: string) => a + (m.endsWith('A') ? 'B' : 'A')),
        jwsVerifier(issuerKey),
        async () => (d: string) => createHash('sha256').update(d).digest('base64url'),
      ),
    ).rejects.toThrow();
  });

  it('CLI: verifier sync writes a bundle that netcred verify uses (exit 0 valid, 1 rejected)', { timeout: 180_000 }, async () => {
    const bundleFile = path.join(tmp.dir, 'bundle.json');
    const sync = await runCli(['verifier', 'sync', '--issuer', url, '--bundle', bundleFile]);
    expect(sync.code, sync.stderr).toBe(0);
    expect(readTrustBundle(bundleFile).issuers[0]!.id).toBe(ctx.issuerDid);
    expect(loadTrustBundle(bundleFile).statusListCount).toBeGreaterThan(0);
    const issued = await issueCredential(ctx, { holderDid: holderDid(), claims: sampleIdentityClaims() });
    const file = path.join(tmp.dir, 'p.txt');
    writeFileSync(file, await present(issued.credential, ['given_name', 'family_name', 'age_over_18']));
    const [ok, wrongAud] = await Promise.all([
      runCli(['verify', file, '--bundle', bundleFile, '--aud', AUD, '--profile', 'lite', '--json']),
      runCli(['verify', file, '--bundle', bundleFile, '--aud', 'https://other.example']),
    ]);
    expect(ok.code, ok.stderr).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({ valid: true, profile: 'lite' });
    expect(wrongAud.code).toBe(1);
    expect(wrongAud.stdout).toContain('KB_JWT_AUD_MISMATCH');
  });
});

function holderDid(): string {
  return holder.did;
}

function verifyRaw(data: string, sig: string, key: KeyObject): boolean {
  const ec = key.asymmetricKeyType === 'ec';
  return nodeVerify(ec ? 'sha256' : null, Buffer.from(data), ec ? { key, dsaEncoding: 'ieee-p1363' } : key, Buffer.from(sig, 'base64url'));
}

describe('netcred verifier serve (real process)', () => {
  it('verifies over POST /verify with its --max-age, refuses a replay, reloads the bundle on SIGHUP and stops on SIGTERM', async () => {
    const issued = await issueCredential(ctx, { holderDid: holderDid(), claims: sampleIdentityClaims() });
    const bundleFile = path.join(tmp.dir, 'serve-bundle.json');
    writeFileSync(bundleFile, JSON.stringify((await syncIssuer(emptyTrustBundle(), url)).bundle));
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        path.join(repoRoot, 'cli/main.ts'),
        '--data',
        path.join(tmp.dir, 'serve-home'),
        'verifier',
        'serve',
        '--bundle',
        bundleFile,
        '--port',
        '0',
        '--aud',
        AUD,
        '--max-age',
        '30',
        '--max-status-age',
        '3600',
      ],
      {
        cwd: repoRoot,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let out = '';
    let err = '';
    child.stderr.on('data', (d) => (err += d));
    const lineMatching = (re: RegExp) =>
      new Promise<RegExpExecArray>((resolve, reject) => {
        const check = () => {
          const m = re.exec(out);
          if (m) resolve(m);
        };
        child.stdout.on('data', (d) => {
          out += d;
          check();
        });
        child.once('exit', () => reject(new Error(`verifier serve exited: ${err}`)));
        check();
      });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      const base = (await lineMatching(/verifier listening on (http:\/\/127\.0\.0\.1:\d+)/))[1]!;
      const post = async (presentation: string) =>
        (
          await fetch(`${base}/verify`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ presentation, profile: 'lite' }),
          })
        ).json() as Promise<{ valid: boolean; code?: string }>;
      const lite = await present(issued.credential, ['given_name', 'family_name', 'age_over_18']);
      expect(await post(lite)).toMatchObject({ valid: true });
      expect(await post(lite)).toMatchObject({ valid: false, code: 'KB_JWT_REPLAYED' });
      // Two minutes old: fine under the default 300 s, stale under --max-age 30 (plus the 60 s skew).
      expect(await post(await present(issued.credential, ['given_name', 'family_name', 'age_over_18'], { ageSeconds: 120 }))).toMatchObject({
        valid: false,
        code: 'KB_JWT_STALE',
      });

      await revokeCredential(ctx, issued.id, 'fraud', 'test');
      writeFileSync(bundleFile, JSON.stringify((await syncIssuer(emptyTrustBundle(), url)).bundle));
      child.kill('SIGHUP');
      await lineMatching(/reloaded /);
      expect(await post(await present(issued.credential, ['given_name', 'family_name', 'age_over_18']))).toMatchObject({
        valid: false,
        code: 'STATUS_REVOKED',
      });

      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  }, 120_000);
});
