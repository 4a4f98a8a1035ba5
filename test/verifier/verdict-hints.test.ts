import { spawn } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { serveIssuer } from '../../issuer/index.js';
import { verifyPresentation } from '../../verifier/index.js';
import { cliNodeArgs, repoRoot, runCli } from '../helpers/cli.js';
import { freePort, initTestIssuer } from '../helpers/issuer.js';
import { tempDir } from '../helpers/tmp.js';
import { AUD, mint, NOW, NOW_S, party, present, world } from './helpers/fixture.js';

const SYNC = 'netcred verifier sync --issuer';

describe('verdicts that say what to do (issue 15)', () => {
  it('KB_JWT_STALE: a proof older than the max age says to make a fresh presentation, with the command', async () => {
    const w = await world();
    const issued = await w.mintIdentity();
    const p = await present(issued, ['given_name'], w.holder.priv, { iat: NOW_S - 10 });
    const fresh = verifyPresentation(p, { trust: w.store, aud: AUD, now: NOW });
    expect(fresh.valid, fresh.message).toBe(true);
    // Six minutes later: past 300 s + 60 s skew.
    const late = verifyPresentation(p, { trust: w.store, aud: AUD, now: new Date(NOW.getTime() + 360_000) });
    expect(late).toMatchObject({ valid: false, code: 'KB_JWT_STALE' });
    expect(late.message).toContain('make a fresh presentation (netcred wallet present ...) and verify it within 300 s');
    // A proof from the future is a clock problem, not a stale one: no advice to present again.
    const ahead = verifyPresentation(await present(issued, ['given_name'], w.holder.priv, { iat: NOW_S + 3600 }), { trust: w.store, aud: AUD, now: NOW });
    expect(ahead).toMatchObject({ valid: false, code: 'KB_JWT_STALE' });
    expect(ahead.message).toContain('clocks');
    expect(ahead.message).not.toContain('wallet present');
  });

  it('ISSUER_UNTRUSTED of an issuer not in the bundle names verifier sync', async () => {
    const w = await world();
    const stranger = party('ed25519');
    const issued = await mint(stranger, { holder: w.holder.pub, sd: { given_name: 'A' } });
    const r = verifyPresentation(await present(issued, ['given_name'], w.holder.priv), { trust: w.store, aud: AUD, now: NOW });
    expect(r).toMatchObject({ valid: false, code: 'ISSUER_UNTRUSTED' });
    expect(r.message).toContain(`issuer ${stranger.did} is not in the trust bundle`);
    expect(r.message).toContain(`${SYNC} URL --bundle FILE`);
  });

  it('a trusted issuer with a vct it is not trusted for: its own message, and the result shows the vct read', async () => {
    const w = await world();
    const vct = 'https://credentials.example/library-card';
    const issued = await w.mintIdentity({ plain: { vct } });
    const r = verifyPresentation(await present(issued, ['given_name'], w.holder.priv), { trust: w.store, aud: AUD, now: NOW });
    expect(r).toMatchObject({ valid: false, code: 'ISSUER_UNTRUSTED', vct, issuer: w.issuer.did });
    expect(r.message).toContain(`issuer ${w.issuer.did} is in the trust bundle, but not for the credential's vct ${vct}`);
    expect(r.message).toContain('it is trusted for urn:netcred:vct:resident-identity:1');
    expect(r.message).toContain(SYNC);
    expect(r.message).not.toContain('is not in the trust bundle');
  });

  it('STATUS_UNKNOWN of a list the bundle lacks names verifier sync, with the issuer URL the bundle recorded', async () => {
    const w = await world();
    const issued = await w.mintIdentity({ statusUri: 'https://issuer.example/status/lists/2' });
    const p = await present(issued, ['given_name'], w.holder.priv);
    const unknown = verifyPresentation(p, { trust: w.store, aud: AUD, now: NOW });
    expect(unknown).toMatchObject({ valid: false, code: 'STATUS_UNKNOWN' });
    expect(unknown.message).toContain(`${SYNC} URL --bundle FILE`);
    const store = await w.rebuild((b) => ({ ...b, issuers: b.issuers.map((i) => ({ ...i, source: 'https://issuer.example' })) }));
    const named = verifyPresentation(p, { trust: store, aud: AUD, now: NOW });
    expect(named.message).toContain(`${SYNC} https://issuer.example --bundle FILE`);
  });
});

describe('netcred verify / verifier sync (CLI)', () => {
  const tmp = tempDir('netcred-verdict-hints-');
  afterAll(() => tmp.cleanup());

  it('TRUST_BUNDLE_NOT_FOUND names verifier sync and the bundle file (exit 2)', async () => {
    const presentation = path.join(tmp.dir, 'p.txt');
    writeFileSync(presentation, 'eyJhbGciOiJFUzI1NiJ9.e30.sig~\n');
    const bundle = path.join(tmp.dir, 'missing-bundle.json');
    const r = await runCli(['verify', presentation, '--bundle', bundle]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`error TRUST_BUNDLE_NOT_FOUND: cannot read trust bundle ${bundle}: make it while online with ${SYNC} URL --bundle ${bundle}`);
  });

  it('sync --wait retries while the issuer is not listening yet, then syncs; without it, SYNC_FAILED at once', { timeout: 90_000 }, async () => {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const bundle = path.join(tmp.dir, 'bundle.json');
    const now = await runCli(['verifier', 'sync', '--issuer', url, '--bundle', bundle]);
    expect(now.code).toBe(2);
    expect(now.stderr).toMatch(/^error SYNC_FAILED: /);
    expect(existsSync(bundle)).toBe(false);

    // The sync starts first and waits; the issuer comes up on that port afterwards.
    const child = spawn(process.execPath, [...cliNodeArgs(), 'verifier', 'sync', '--issuer', url, '--bundle', bundle, '--wait', '60'], {
      cwd: repoRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    // The issuer comes up only once the sync was refused and says it waits.
    await new Promise<void>((resolve, reject) => {
      child.stderr.on('data', () => stderr.includes('refuses connections') && resolve());
      void exited.then((code) => reject(new Error(`sync exited (${code}) before waiting: ${stderr}`)));
    });
    expect(stderr).toContain(`${url} refuses connections (still starting?): retrying for up to 60 s`);
    const issuer = await initTestIssuer({ publicUrl: url });
    const server = await serveIssuer(issuer.ctx, { host: '127.0.0.1', port });
    try {
      expect(await exited, stderr).toBe(0);
      expect(stdout).toContain(`synced ${issuer.ctx.issuerDid}`);
      expect(existsSync(bundle)).toBe(true);
    } finally {
      await server.close();
      await issuer.close();
    }
  });
});
