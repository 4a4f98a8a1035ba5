import { spawn } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolvePublicKey, STATUS_INVALID, STATUS_VALID, verifyStatusListToken } from '../../core/index.js';
import { auditLog, initIssuer, openIssuer, statusPublisher } from '../../issuer/index.js';
// Internals on purpose: entries are reserved the way issuance does, below issueCredential.
import { allocateStatus, writeTransaction } from '../../issuer/status/index.js';
import { repoRoot } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';

const COUNT = 400;
let dir: string;
let cleanup: () => void;
const ids = Array.from({ length: COUNT }, (_, i) => `burst-${i}`);

beforeAll(async () => {
  ({ dir, cleanup } = tempDir('netcred-durability-'));
  const ctx = await initIssuer({ dataDir: dir, publicUrl: 'https://issuer.test' });
  await writeTransaction(ctx.dataSource, async (tx) => {
    for (const id of ids) await allocateStatus(ctx, tx, id);
  });
  await ctx.close();
});
afterAll(() => cleanup?.());

/** Runs the burst child and SIGKILLs it once `killAfter` acknowledgements have arrived. */
function burstAndKill(killAfter: number): Promise<{ acked: string[]; signal: NodeJS.Signals | null }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(repoRoot, 'test/status/fixtures/revoke-burst.ts'), dir, ...ids], {
      cwd: repoRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const acked: string[] = [];
    let buffer = '';
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    child.stdout.on('data', (d: Buffer) => {
      buffer += d.toString();
      let nl;
      while ((nl = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 1);
        if (line.startsWith('ack ')) acked.push(line.slice(4));
        if (acked.length === killAfter) child.kill('SIGKILL');
      }
    });
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (signal !== 'SIGKILL') reject(new Error(`child was not killed (exit ${String(code)}): ${stderr}`));
      else resolve({ acked, signal });
    });
  });
}

describe('durability', () => {
  it('SIGKILL in the middle of a burst of revocations loses no acknowledged change and leaves the lists consistent', async () => {
    // This process keeps minting (allocating) on the same data dir while the child revokes:
    // two writers, WAL and the busy timeout, no SQLITE_BUSY surfacing to either.
    const ctx = await openIssuer({ dataDir: dir });
    let stop = false;
    const minted: string[] = [];
    const minting = (async () => {
      while (!stop) {
        const id = `parent-${minted.length}`;
        await writeTransaction(ctx.dataSource, (tx) => allocateStatus(ctx, tx, id));
        minted.push(id);
      }
    })();
    let burst: Awaited<ReturnType<typeof burstAndKill>>;
    try {
      burst = await burstAndKill(60);
    } finally {
      stop = true;
      await minting;
    }
    const { acked, signal } = burst;
    expect(signal).toBe('SIGKILL');
    expect(acked.length).toBeGreaterThanOrEqual(60);
    expect(minted.length).toBeGreaterThan(0);

    try {
      expect(await ctx.dataSource.query('PRAGMA integrity_check')).toEqual([{ integrity_check: 'ok' }]);
      const rows = (await ctx.dataSource.query('SELECT "credential_id", "idx", "status" FROM "status_entry"')) as Array<{
        credential_id: string;
        idx: number;
        status: number;
      }>;
      const status = new Map(rows.map((r) => [r.credential_id, r]));
      for (const id of minted) expect(status.get(id)?.status, id).toBe(STATUS_VALID);
      // Every acknowledged revocation is there.
      for (const id of acked) expect(status.get(id)?.status, id).toBe(STATUS_INVALID);
      // The burst was really cut short: some ids were never revoked.
      const revoked = rows.filter((r) => r.status === STATUS_INVALID);
      expect(revoked.length).toBeLessThan(COUNT);
      // Each revoked record has exactly its one audit row, and no audit row without a change.
      const audit = await auditLog(ctx, { limit: 100_000 });
      expect(audit).toHaveLength(revoked.length);
      expect(new Set(audit.map((a) => a.credentialId))).toEqual(new Set(revoked.map((r) => r.credential_id)));
      // The list a server publishes now agrees with the records, entry by entry.
      const token = await statusPublisher(ctx).token(1);
      const { key } = await resolvePublicKey(ctx.resolver, ctx.issuerDid, ctx.signer.kid);
      const list = verifyStatusListToken(token!.body, key, { uri: 'https://issuer.test/status/lists/1' }).list;
      for (const r of rows) expect(list.get(r.idx)).toBe(r.status);
      let nonValid = 0;
      for (let i = 0; i < list.size; i++) if (list.get(i) !== STATUS_VALID) nonValid++;
      expect(nonValid).toBe(revoked.length);
    } finally {
      await ctx.close();
    }
  });
});
