import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';
import { AUD, NOW, party, present, world } from './helpers/fixture.js';

const tmp = tempDir('netcred-verify-cli-');
afterAll(() => tmp.cleanup());

describe('netcred verify / verifier trust (real CLI)', () => {
  it('exit 0 valid, 1 rejected (code printed), 2 usage; trust add writes a bundle', async () => {
    const w = await world();
    const bundle = path.join(tmp.dir, 'bundle.json');
    writeFileSync(bundle, JSON.stringify(w.bundle));
    const good = path.join(tmp.dir, 'good.txt');
    writeFileSync(good, await present(await w.mintIdentity(), ['given_name', 'family_name', 'age_over_18'], w.holder.priv));
    const revoked = await present(await w.mintIdentity({ idx: 5 }), ['given_name'], w.holder.priv);
    const added = path.join(tmp.dir, 'added.json');
    const newIssuer = party('p256');
    const at = NOW.toISOString();

    // Independent runs in parallel: each CLI start loads the whole toolkit.
    const [ok, rejected, trustAdd, badProfile] = await Promise.all([
      runCli(['verify', good, '--bundle', bundle, '--aud', AUD, '--now', at, '--profile', 'lite', '--json']),
      runCli(['verify', '-', '--bundle', bundle, '--aud', AUD, '--now', at], { input: revoked }),
      runCli(['verifier', 'trust', 'add', newIssuer.did, '--bundle', added]),
      runCli(['verify', good, '--bundle', bundle, '--profile', 'gold']),
    ]);
    expect(ok.code, ok.stderr).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({ valid: true, profile: 'lite', issuer: w.issuer.did, claims: { given_name: '秀英' } });
    expect(rejected.code, rejected.stderr).toBe(1);
    expect(rejected.stdout).toMatch(/^rejected STATUS_REVOKED: /);
    expect(trustAdd.code, trustAdd.stderr).toBe(0);
    const written = JSON.parse(readFileSync(added, 'utf8'));
    expect(written).toMatchObject({
      format: 'netcred-trust-bundle',
      version: 1,
      issuers: [{ id: newIssuer.did, vct: ['urn:netcred:vct:resident-identity:1', 'urn:netcred:vct:resident-identity:1/lite'] }],
    });
    expect(written.typeMetadata[0].vct).toBe('urn:netcred:vct:resident-identity:1');
    expect(badProfile.code, badProfile.stderr).toBe(2);
  }, 240_000);
});

describe('CLI input checks (in process)', () => {
  it('--now must be ISO 8601 and --max-age whole seconds (INVALID_INPUT, exit 2 via cli/run.ts)', async () => {
    const { parseNow, parseSeconds } = await import('../../cli/verify.js');
    expect(() => parseNow('yesterday')).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
    expect(parseNow('2026-11-27T10:00:00Z')?.toISOString()).toBe('2026-11-27T10:00:00.000Z');
    expect(() => parseSeconds('-5', '--max-age')).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
  });

  it('trust add refuses did:web (needs its document: sync) and a missing bundle is TRUST_BUNDLE_NOT_FOUND', async () => {
    const { addDidIssuer, emptyTrustBundle, loadTrustBundle } = await import('../../verifier/index.js');
    expect(() => addDidIssuer(emptyTrustBundle(), 'did:web:example.org')).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
    expect(() => loadTrustBundle(path.join(tmp.dir, 'missing.json'))).toThrow(expect.objectContaining({ code: 'TRUST_BUNDLE_NOT_FOUND' }));
  });
});
