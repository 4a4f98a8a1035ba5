import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeCompact, parseSdJwt } from '../../core/index.js';
import { initIssuer, issueCredential, openIssuer } from '../../issuer/index.js';
import { sampleIdentityClaims } from '../../schemas/index.js';
import { emptyTrustBundle, syncIssuer, TrustStore, verifyPresentation } from '../../verifier/index.js';
import { runCli } from '../helpers/cli.js';
import { startTestIssuer, type TestIssuer } from '../helpers/issuer.js';
import { tempDir } from '../helpers/tmp.js';
import { AUD, kbJwt, party } from '../verifier/helpers/fixture.js';

const TTL = 60;
const VALIDITY = 7200;
let issuer: TestIssuer;
const tmp = tempDir('netcred-publish-timing-');
beforeAll(async () => {
  issuer = await startTestIssuer({ statusTtlSeconds: TTL, statusValiditySeconds: VALIDITY, tmpPrefix: 'netcred-publish-timing-issuer-' });
}, 60_000);
afterAll(async () => {
  await issuer?.close();
  tmp.cleanup();
});

describe("the issuer's status list timing (ttl, validity)", () => {
  it('published tokens and W3C list credentials carry the configured ttl and validity, and the HTTP max-age follows', async () => {
    const issued = await issueCredential(issuer.ctx, { holderDid: party().did, claims: sampleIdentityClaims(), format: 'vc+sd-jwt' });
    const uri = issued.status!.tokenStatus.status_list.uri;
    const res = await fetch(uri);
    expect(res.headers.get('cache-control')).toBe(`public, max-age=${TTL}`);
    const token = decodeCompact<{ iat: number; exp: number; ttl: number }>(await res.text()).payload;
    expect(token.ttl).toBe(TTL);
    expect(token.exp - token.iat).toBe(VALIDITY);

    const listVc = decodeCompact<{ validFrom: string; validUntil: string; credentialSubject: { ttl: number } }>(
      await (await fetch(issued.status!.bitstringEntries[0]!.statusListCredential)).text(),
    ).payload;
    expect(listVc.credentialSubject.ttl).toBe(TTL * 1000);
    expect((Date.parse(listVc.validUntil) - Date.parse(listVc.validFrom)) / 1000).toBe(VALIDITY);
  });

  it('an offline kiosk uses the lists past their ttl, and refuses once their validity ended (STATUS_LIST_STALE)', async () => {
    const holder = party('p256');
    const issued = await issueCredential(issuer.ctx, { holderDid: holder.did, claims: sampleIdentityClaims() });
    const { bundle } = await syncIssuer(emptyTrustBundle(), issuer.url);
    const trust = new TrustStore(bundle);
    const parsed = parseSdJwt(issued.credential);
    const sdJwt = `${[parsed.jwt, ...parsed.disclosures.filter((d) => ['given_name', 'family_name', 'age_over_18'].includes(d.name!)).map((d) => d.encoded)].join('~')}~`;
    const at = async (secondsFromNow: number) => {
      const now = Math.floor(Date.now() / 1000) + secondsFromNow;
      const presentation = sdJwt + (await kbJwt(sdJwt, holder.priv, { iat: now }));
      return verifyPresentation(presentation, { trust, aud: AUD, profile: 'lite', now: now * 1000 });
    };
    expect(await at(TTL * 3)).toMatchObject({ valid: true, status: { pastTtl: true } });
    expect(await at(VALIDITY - 120)).toMatchObject({ valid: true });
    expect(await at(VALIDITY + 120)).toMatchObject({ valid: false, code: 'STATUS_LIST_STALE' });
  });

  it('kept across restarts; refused when out of bounds or a ttl longer than half the validity, before anything is created', async () => {
    const dataDir = path.join(tmp.dir, 'bounds');
    for (const [opts, pathName] of [
      [{ statusTtlSeconds: 5 }, 'statusTtlSeconds'],
      [{ statusValiditySeconds: 40 * 24 * 3600 }, 'statusValiditySeconds'],
      [{ statusTtlSeconds: 4000, statusValiditySeconds: 7200 }, 'statusTtlSeconds'],
      [{ credentialTtlSeconds: 1.5 }, 'credentialTtlSeconds'],
    ] as const) {
      await expect(initIssuer({ dataDir, secret: 'publish-timing-secret-0123456789abcdef', ...opts })).rejects.toMatchObject({
        code: 'INVALID_INPUT',
        details: [{ path: pathName }],
      });
      expect(existsSync(path.join(dataDir, 'issuer', 'config.json'))).toBe(false);
    }
    const made = await initIssuer({
      dataDir,
      secret: 'publish-timing-secret-0123456789abcdef',
      statusTtlSeconds: 120,
      statusValiditySeconds: 3 * 24 * 3600,
      credentialTtlSeconds: 30 * 24 * 3600,
    });
    await made.close();
    const reopened = await openIssuer({ dataDir, secret: 'publish-timing-secret-0123456789abcdef' });
    expect(reopened.config).toMatchObject({ statusTtlSeconds: 120, statusValiditySeconds: 3 * 24 * 3600, credentialTtlSeconds: 30 * 24 * 3600 });
    await reopened.close();

    // A hand edit that breaks the rule is refused at open, with the file named.
    const file = path.join(dataDir, 'issuer', 'config.json');
    const config = JSON.parse(readFileSync(file, 'utf8'));
    writeFileSync(file, JSON.stringify({ ...config, statusValiditySeconds: 200 }));
    await expect(openIssuer({ dataDir, secret: 'publish-timing-secret-0123456789abcdef' })).rejects.toMatchObject({
      code: 'ISSUER_CONFIG_INVALID',
      message: expect.stringContaining('statusValiditySeconds'),
    });
    // A config from before these settings existed opens with the defaults.
    const { statusTtlSeconds: _t, statusValiditySeconds: _v, ...older } = config;
    writeFileSync(file, JSON.stringify(older));
    const old = await openIssuer({ dataDir, secret: 'publish-timing-secret-0123456789abcdef' });
    expect(old.config).toMatchObject({ statusTtlSeconds: 300, statusValiditySeconds: 86400 });
    await old.close();
  });

  it('netcred issuer init --status-ttl/--status-validity/--credential-ttl, shown by issuer show, changed by issuer settings; bad values exit 2', async () => {
    const home = path.join(tmp.dir, 'cli');
    const env = { NETCRED_SECRET: 'publish-timing-cli-secret-0123456789abcdef' };
    const bad = await runCli(['--data', home, 'issuer', 'init', '--status-ttl', 'soon'], { env });
    expect(bad.code, bad.stderr).toBe(2);
    const init = await runCli(['--data', home, 'issuer', 'init', '--status-ttl', '90', '--status-validity', '10800', '--credential-ttl', '86400', '--json'], {
      env,
    });
    expect(init.code, init.stderr).toBe(0);
    const show = await runCli(['--data', home, 'issuer', 'show', '--json'], { env });
    expect(show.code, show.stderr).toBe(0);
    expect(JSON.parse(show.stdout)).toMatchObject({ statusTtlSeconds: 90, statusValiditySeconds: 10800, credentialTtlSeconds: 86400 });

    // Changed later with issuer settings: checked like init, nothing written when refused.
    const refused = await runCli(['--data', home, 'issuer', 'settings', '--status-ttl', '7200', '--json'], { env });
    expect(refused.code, refused.stderr).toBe(2);
    expect(JSON.parse(refused.stdout)).toMatchObject({ error: { code: 'INVALID_INPUT', details: [{ path: 'statusTtlSeconds' }] } });
    const changed = await runCli(['--data', home, 'issuer', 'settings', '--status-validity', '259200', '--json'], { env });
    expect(changed.code, changed.stderr).toBe(0);
    expect(JSON.parse(changed.stdout)).toEqual({ credentialTtlSeconds: 86400, statusTtlSeconds: 90, statusValiditySeconds: 259200 });
    const reopened = await openIssuer({ dataDir: home, secret: env.NETCRED_SECRET });
    expect(reopened.config).toMatchObject({ credentialTtlSeconds: 86400, statusTtlSeconds: 90, statusValiditySeconds: 259200 });
    await reopened.close();
  }, 60_000);
});
