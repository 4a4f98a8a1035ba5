import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listCredentials, unlockWallet } from '../../holder/index.js';
import { sampleIdentityClaims } from '../../schemas/index.js';
import { runCli } from '../helpers/cli.js';
import { newTestWallet, TEST_PIN, type TestWallet } from '../holder/helpers/wallet.js';
import { countRows } from './helpers.js';
import { startTestIssuer, TEST_ISSUER_SECRET, type TestIssuer } from '../helpers/issuer.js';

describe('CLI: netcred issuer offer (while the server runs) and netcred wallet accept', () => {
  let issuer: TestIssuer;
  let w: TestWallet;
  let claimsFile: string;
  beforeAll(async () => {
    issuer = await startTestIssuer();
    w = await newTestWallet();
    // the CLI opens the wallet itself: close our handle so only the PIN-locked file remains
    await w.wallet.close();
    claimsFile = path.join(issuer.dataDir, 'claims.json');
    writeFileSync(claimsFile, JSON.stringify(sampleIdentityClaims()));
  });
  afterAll(async () => {
    await w?.cleanup();
    await issuer?.close();
  });

  const issuerEnv = () => ({ NETCRED_SECRET: TEST_ISSUER_SECRET, NETCRED_HOME: undefined });

  it('issuer offer --tx-code --json, then wallet accept --tx-code-from-env --json', async () => {
    const before = await countRows(issuer.ctx, 'oid4vci_offer');
    const off = await runCli(['--data', issuer.dataDir, 'issuer', 'offer', '--claims', claimsFile, '--tx-code', '--station', 'kiosk-7', '--json'], {
      env: issuerEnv(),
    });
    expect(off.stderr).toBe('');
    expect(off.code).toBe(0);
    const { offer, txCode } = JSON.parse(off.stdout) as { offer: string; txCode: string };
    expect(offer).toMatch(/^openid-credential-offer:\/\/\?credential_offer=/);
    expect(txCode).toMatch(/^\d{6}$/);
    // written by the CLI process into the file the running server holds open
    expect(await countRows(issuer.ctx, 'oid4vci_offer')).toBe(before + 1);
    const [row] = (await issuer.ctx.dataSource.query(`SELECT "evidence" FROM "oid4vci_offer" ORDER BY "created_at" DESC, rowid DESC LIMIT 1`)) as {
      evidence: string;
    }[];
    expect(JSON.parse(row!.evidence)).toMatchObject({ method: 'chip+face', station: 'kiosk-7' });

    const acc = await runCli(['--data', w.dir, 'wallet', 'accept', offer, '--tx-code-from-env', '--json'], {
      env: { NETCRED_PIN: TEST_PIN, NETCRED_TX_CODE: txCode },
    });
    expect(acc.code).toBe(0);
    const result = JSON.parse(acc.stdout) as { credentials: { id: string; iss: string }[] };
    expect(result.credentials).toHaveLength(1);
    expect(result.credentials[0]!.iss).toBe(issuer.ctx.issuerDid);
  });

  it('wallet accept asks for the tx_code on stdin; a wrong one exits 2 with OID4VCI_INVALID_GRANT and imports nothing', async () => {
    const off = await runCli(['--data', issuer.dataDir, 'issuer', 'offer', '--claims', claimsFile, '--tx-code', '--json'], { env: issuerEnv() });
    const { offer, txCode } = JSON.parse(off.stdout) as { offer: string; txCode: string };
    const wrong = txCode === '000000' ? '111111' : '000000';
    const bad = await runCli(['--data', w.dir, 'wallet', 'accept', offer], { env: { NETCRED_PIN: TEST_PIN }, input: `${wrong}\n` });
    expect(bad.stderr).toContain('transaction code (Enter the 6-digit code');
    expect(bad.stderr).toMatch(/error OID4VCI_INVALID_GRANT: .*wrong tx_code/);
    expect(bad.code).toBe(2);
    const wallet = await unlockWallet(w.dir, TEST_PIN);
    try {
      expect(await listCredentials(wallet)).toHaveLength(1);
    } finally {
      await wallet.close();
    }
  });

  it('issuer offer with invalid claims exits 2 and lists every invalid field', async () => {
    const badFile = path.join(issuer.dataDir, 'bad-claims.json');
    writeFileSync(badFile, JSON.stringify({ ...sampleIdentityClaims(), sex: 5, nationality: 'ZZ' }));
    const res = await runCli(['--data', issuer.dataDir, 'issuer', 'offer', '--claims', badFile, '--evidence-method', 'retina', '--json'], { env: issuerEnv() });
    expect(res.code).toBe(2);
    const err = (JSON.parse(res.stdout) as { error: { code: string; details: { path: string }[] } }).error;
    expect(err.code).toBe('INVALID_INPUT');
    expect(err.details.map((d) => d.path)).toEqual(expect.arrayContaining(['claims.sex', 'claims.nationality', 'evidence.method']));
  });
});
