import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Bitstring, decodeCompact, STATUS_INVALID, STATUS_SUSPENDED, STATUS_VALID, verifyDecoded } from '../../core/index.js';
import { revokeCredential, suspendCredential } from '../../issuer/index.js';
// Internals on purpose: a large list is filled through the store, below issueCredential.
import { allocateStatus, revokeSuperseded, writeTransaction } from '../../issuer/status/index.js';
import { startStatusIssuer, type StatusTestIssuer } from './helpers.js';

const SIZE = 1_000_000;
let issuer: StatusTestIssuer;
beforeAll(async () => {
  issuer = await startStatusIssuer({ statusListSize: SIZE });
});
afterAll(async () => {
  await issuer?.close();
});

describe('a 1,000,000-entry list', () => {
  it('round-trips through encode, sign, publish and decode', async () => {
    const assigned = await writeTransaction(issuer.ctx.dataSource, async (tx) => {
      const out: Array<{ id: string; idx: number; uri: string }> = [];
      for (let i = 0; i < 1500; i++) out.push({ id: `big-${i}`, ...(await allocateStatus(issuer.ctx, tx, `big-${i}`))!.tokenStatus.status_list });
      return out;
    });
    const uri = assigned[0]!.uri;
    expect(assigned.every((a) => a.uri === uri)).toBe(true);
    const expected = new Map<number, number>();
    // 0.1 % revoked in one transaction (the re-issue path), a few more through the lifecycle API.
    const superseded = assigned.slice(0, 1000);
    await writeTransaction(issuer.ctx.dataSource, (tx) =>
      revokeSuperseded(
        issuer.ctx,
        tx,
        superseded.map((a) => a.id),
        'test',
      ),
    );
    for (const a of superseded) expected.set(a.idx, STATUS_INVALID);
    for (const a of assigned.slice(1000, 1010)) {
      await suspendCredential(issuer.ctx, a.id, 'admin', 'test');
      expected.set(a.idx, STATUS_SUSPENDED);
    }
    for (const a of assigned.slice(1010, 1020)) {
      expect((await issuer.admin('POST', `/admin/credentials/${a.id}/revoke`, { reason: 'fraud' })).status).toBe(200);
      expected.set(a.idx, STATUS_INVALID);
    }
    await revokeCredential(issuer.ctx, assigned[1000]!.id, 'fraud', 'test');
    expected.set(assigned[1000]!.idx, STATUS_INVALID);

    const res = await issuer.get(uri);
    const jwt = await res.text();
    expect(jwt.length).toBeLessThan(64 * 1024);
    const t = await issuer.token(uri);
    expect(t.list.size).toBe(SIZE);
    let mismatches = 0;
    for (let i = 0; i < SIZE; i++) if (t.list.get(i) !== (expected.get(i) ?? STATUS_VALID)) mismatches++;
    expect(mismatches).toBe(0);

    for (const [purpose, value] of [
      ['revocation', STATUS_INVALID],
      ['suspension', STATUS_SUSPENDED],
    ] as const) {
      const r = await issuer.get(`${uri}/bitstring/${purpose}`);
      const decoded = decodeCompact<{ credentialSubject: { encodedList: string } }>(await r.text());
      verifyDecoded(decoded, issuer.key, { typ: 'vc+jwt' });
      const bits = Bitstring.decode(decoded.payload.credentialSubject.encodedList);
      expect(bits.size).toBe(SIZE);
      let wrong = 0;
      for (let i = 0; i < SIZE; i++) if (bits.get(i) !== (expected.get(i) === value)) wrong++;
      expect(wrong).toBe(0);
    }
  });
});
