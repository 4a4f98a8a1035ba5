import { generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { didKeyFromJwk, publicJwkOf, STATUS_INVALID, STATUS_SUSPENDED, STATUS_VALID } from '../../core/index.js';
import { issueCredential, type IssuedCredential } from '../../issuer/index.js';
import { sampleIdentityClaims } from '../../schemas/index.js';
import { runCli } from '../helpers/cli.js';
import { startStatusIssuer, type StatusTestIssuer } from './helpers.js';

let issuer: StatusTestIssuer;
beforeAll(async () => {
  issuer = await startStatusIssuer();
});
afterAll(async () => {
  await issuer?.close();
});

const cli = (...args: string[]) => runCli(['--data', issuer.dataDir, 'issuer', ...args]);

async function bitOf(c: IssuedCredential): Promise<number> {
  const { uri, idx } = c.status!.tokenStatus.status_list;
  return (await issuer.token(uri)).list.get(idx);
}

const newHolder = () => didKeyFromJwk(publicJwkOf(generateKeyPairSync('ed25519').publicKey));

describe('netcred issuer revoke|suspend|reinstate|device-lost|audit|status next to a running server', () => {
  it('a revocation made by the CLI shows in the next token the server publishes, without a restart', async () => {
    const c = await issueCredential(issuer.ctx, { holderDid: newHolder(), claims: sampleIdentityClaims({ birthdate: '1981-01-01' }) });
    // The server has signed and cached the list before the CLI touches it.
    expect(await bitOf(c)).toBe(STATUS_VALID);
    const r = await cli('revoke', '--credential', c.id, '--reason', 'fraud', '--json');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ credentialId: c.id, status: 'revoked', reason: 'fraud', changed: true });
    expect(await bitOf(c)).toBe(STATUS_INVALID);

    const json = await cli('reinstate', '--credential', c.id, '--json');
    expect(json.code).toBe(2);
    expect(JSON.parse(json.stdout)).toMatchObject({ error: { code: 'STATUS_REVOKED_FINAL' } });
    expect(await bitOf(c)).toBe(STATUS_INVALID);
  });

  it('suspends, shows status and audit', async () => {
    const c = await issueCredential(issuer.ctx, { holderDid: newHolder(), claims: sampleIdentityClaims({ birthdate: '1982-02-02' }) });
    expect(await bitOf(c)).toBe(STATUS_VALID);
    const s = await cli('suspend', '--credential', c.id, '--reason', 'holder_request');
    expect(s.code).toBe(0);
    expect(s.stdout).toContain(`${c.id} suspended`);
    expect(await bitOf(c)).toBe(STATUS_SUSPENDED);

    const st = await cli('status', '--credential', c.id, '--json');
    expect(st.code).toBe(0);
    expect(JSON.parse(st.stdout)).toMatchObject({
      credentialId: c.id,
      status: 'suspended',
      reason: 'holder_request',
      idx: c.status!.tokenStatus.status_list.idx,
    });

    const audit = await cli('audit', '--credential', c.id, '--json');
    expect(audit.code).toBe(0);
    const entries = (JSON.parse(audit.stdout) as { entries: Array<Record<string, unknown>> }).entries;
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ credentialId: c.id, from: 'valid', to: 'suspended', reason: 'holder_request' });
    expect(String(entries[0]!.actor)).toMatch(/^cli:/);
  });

  it('device-lost revokes every credential of the holder; usage errors exit 2', async () => {
    const holder = newHolder();
    const other = newHolder();
    const mine = [
      await issueCredential(issuer.ctx, { holderDid: holder, claims: sampleIdentityClaims({ birthdate: '1983-03-03' }) }),
      await issueCredential(issuer.ctx, { holderDid: holder, claims: sampleIdentityClaims({ birthdate: '1984-04-04' }) }),
    ];
    const theirs = await issueCredential(issuer.ctx, { holderDid: other, claims: sampleIdentityClaims({ birthdate: '1985-05-05' }) });
    const r = await cli('device-lost', '--holder', holder, '--json');
    expect(r.code).toBe(0);
    expect(new Set((JSON.parse(r.stdout) as { revoked: string[] }).revoked)).toEqual(new Set(mine.map((c) => c.id)));
    for (const c of mine) expect(await bitOf(c)).toBe(STATUS_INVALID);
    expect(await bitOf(theirs)).toBe(STATUS_VALID);

    const none = await cli('device-lost');
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('error INVALID_INPUT');
  });
});
