import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunReport } from '../../conformance/index.js';
import { sampleIdentityClaims } from '../../schemas/index.js';
import { runCli } from '../helpers/cli.js';
import { startTestIssuer, type TestIssuer } from '../helpers/issuer.js';
import { enroll, enrollmentBody } from '../oid4vci/helpers.js';

let issuer: TestIssuer;
const work = mkdtempSync(path.join(tmpdir(), 'netcred-conf-issuer-'));

beforeAll(async () => {
  issuer = await startTestIssuer();
});
afterAll(async () => {
  await issuer?.close();
  rmSync(work, { recursive: true, force: true });
});

async function offer(txCode: boolean, birthdate = txCode ? '1971-02-03' : '1972-03-04'): Promise<{ offer: string; txCode?: string }> {
  // a distinct resident per offer, so no issuance supersedes another's
  const res = await enroll(issuer.url, enrollmentBody(sampleIdentityClaims({ birthdate }), { txCode }));
  expect(res.status).toBe(201);
  return (await res.json()) as { offer: string; txCode?: string };
}

describe('netcred conformance issuer', () => {
  it("netcred's issuer refuses every bad request of the pre-authorized flow with the specified error and issues the good one", async () => {
    const o = await offer(true);
    const second = await offer(false);
    const json = path.join(work, 'issuer.json');
    const r = await runCli([
      'conformance',
      'issuer',
      '--offer',
      o.offer,
      '--tx-code',
      o.txCode!,
      '--second-offer',
      second.offer,
      '--json',
      json,
      '--name',
      'netcred issuer',
    ]);
    const report = JSON.parse(readFileSync(json, 'utf8')) as RunReport;
    expect(report.results.filter((c) => !c.pass).map((c) => `${c.name}: ${c.failure}`)).toStrictEqual([]);
    expect(report.results.map((c) => c.name)).toStrictEqual([
      'token-unknown-code',
      'token-missing-tx-code',
      'token-valid',
      'token-code-reused',
      'credential-no-token',
      'proof-no-nonce',
      'proof-wrong-aud',
      'proof-other-key',
      'proof-typ-jwt',
      'proof-alg-none',
      'proof-private-jwk',
      'credential-valid',
      'proof-nonce-reused',
    ]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`netcred issuer: ${report.total}/${report.total} cases passed`);
  });

  it('a used offer fails the flow (its code is spent) and says so; a malformed offer is a usage error', async () => {
    const o = await offer(false, '1973-04-05');
    await runCli(['conformance', 'issuer', '--offer', o.offer]);
    const again = await runCli(['conformance', 'issuer', '--offer', o.offer, '--md', path.join(work, 'again.md')]);
    expect(again.code).toBe(1);
    expect(readFileSync(path.join(work, 'again.md'), 'utf8')).toMatch(/\| `token-valid` \| accept \| reject \(invalid_grant\)/);
    const bad = await runCli(['conformance', 'issuer', '--offer', 'openid-credential-offer://?nothing=1']);
    expect(bad.code).toBe(2);
  });
});
