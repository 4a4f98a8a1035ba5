import { generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  bitstringStatusRefs,
  decodeCompact,
  didKeyFromJwk,
  jwkThumbprint,
  publicJwkOf,
  STATUS_INVALID,
  STATUS_VALID,
  tokenStatusRef,
} from '../../core/index.js';
import {
  auditLog,
  credentialStatus,
  findIssuanceRecords,
  issueCredential,
  issueCredentials,
  reinstateCredential,
  reportDeviceLost,
  revokeCredential,
  suspendCredential,
  type IssuedCredential,
} from '../../issuer/index.js';
import { sampleIdentityClaims } from '../../schemas/index.js';
import { startStatusIssuer, type StatusTestIssuer } from './helpers.js';

let issuer: StatusTestIssuer;
beforeAll(async () => {
  issuer = await startStatusIssuer();
});
afterAll(async () => {
  await issuer?.close();
});

function holder(): { did: string; thumbprint: string } {
  const jwk = publicJwkOf(generateKeyPairSync('ed25519').publicKey);
  return { did: didKeyFromJwk(jwk), thumbprint: jwkThumbprint(jwk) };
}

let person = 0;
/** Claims of a new person (a distinct id_number) unless `birthdate` names an earlier one. */
function claimsOf(birthdate?: string) {
  person += 1;
  return sampleIdentityClaims({ birthdate: birthdate ?? `1970-01-${String(person).padStart(2, '0')}` });
}

async function bitOf(c: IssuedCredential): Promise<number> {
  const { uri, idx } = c.status!.tokenStatus.status_list;
  return (await issuer.token(uri)).list.get(idx);
}

describe('status in minted credentials', () => {
  it('dc+sd-jwt carries status.status_list and vc+sd-jwt the two BitstringStatusListEntry entries of the same record', async () => {
    const h = holder();
    const sd = await issueCredential(issuer.ctx, { holderDid: h.did, claims: claimsOf() });
    const payload = decodeCompact<Record<string, unknown>>(sd.credential.split('~')[0]!).payload;
    expect(tokenStatusRef(payload)).toEqual(sd.status!.tokenStatus.status_list);

    const w3c = await issueCredential(issuer.ctx, { holderDid: h.did, claims: claimsOf(), format: 'vc+sd-jwt' });
    const vc = decodeCompact<Record<string, unknown>>(w3c.credential.split('~')[0]!).payload;
    const refs = bitstringStatusRefs(vc);
    const { idx, uri } = w3c.status!.tokenStatus.status_list;
    expect(refs.map((r) => [r.statusPurpose, r.statusListIndex, r.statusListCredential])).toEqual([
      ['revocation', idx, `${uri}/bitstring/revocation`],
      ['suspension', idx, `${uri}/bitstring/suspension`],
    ]);
    const record = await credentialStatus(issuer.ctx, w3c.id);
    expect(record).toMatchObject({ credentialId: w3c.id, idx, uri, status: 'valid' });
  });
});

describe('lifecycle over HTTP with issued credentials', () => {
  it('re-issuing to the same person revokes the earlier credential (superseded) in the published list', async () => {
    const claims = claimsOf();
    const first = await issueCredential(issuer.ctx, { holderDid: holder().did, claims });
    const other = await issueCredential(issuer.ctx, { holderDid: holder().did, claims: claimsOf() });
    expect(await bitOf(first)).toBe(STATUS_VALID);
    const second = await issueCredential(issuer.ctx, { holderDid: holder().did, claims });
    expect(await bitOf(first)).toBe(STATUS_INVALID);
    expect(await bitOf(second)).toBe(STATUS_VALID);
    expect(await bitOf(other)).toBe(STATUS_VALID);
    const res = await issuer.admin('GET', `/admin/credentials/${first.id}/status`);
    expect(await res.json()).toMatchObject({ status: 'revoked', reason: 'superseded' });
    expect((await auditLog(issuer.ctx, { credentialId: first.id })).map((e) => [e.from, e.to, e.reason])).toEqual([['valid', 'revoked', 'superseded']]);
  });

  it('device lost revokes every credential of that holder key and no other', async () => {
    const lost = holder();
    const kept = holder();
    const ofLost = [
      await issueCredential(issuer.ctx, { holderDid: lost.did, claims: claimsOf() }),
      await issueCredential(issuer.ctx, { holderDid: lost.did, claims: claimsOf(), format: 'vc+sd-jwt' }),
      await issueCredential(issuer.ctx, { holderDid: `${lost.did}#${lost.did.slice('did:key:'.length)}`, claims: claimsOf() }),
    ];
    const ofKept = [
      await issueCredential(issuer.ctx, { holderDid: kept.did, claims: claimsOf() }),
      await issueCredential(issuer.ctx, { holderDid: kept.did, claims: claimsOf() }),
    ];

    const res = await issuer.admin('POST', '/admin/device-lost', { holderDid: lost.did });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { credentialIds: string[]; revoked: string[] };
    expect(new Set(body.revoked)).toEqual(new Set(ofLost.map((c) => c.id)));
    for (const c of ofLost) expect(await bitOf(c)).toBe(STATUS_INVALID);
    for (const c of ofKept) expect(await bitOf(c)).toBe(STATUS_VALID);
    for (const c of ofLost) expect((await credentialStatus(issuer.ctx, c.id)).reason).toBe('device_lost');

    // A second report changes nothing; the thumbprint selector reaches the other holder's key.
    expect(((await (await issuer.admin('POST', '/admin/device-lost', { holderDid: lost.did })).json()) as { revoked: string[] }).revoked).toEqual([]);
    const byKey = await reportDeviceLost(issuer.ctx, { thumbprint: kept.thumbprint }, 'test');
    expect(new Set(byKey.revoked)).toEqual(new Set(ofKept.map((c) => c.id)));
    for (const c of ofKept) expect(await bitOf(c)).toBe(STATUS_INVALID);
  });

  it('device lost by the bare DID revokes credentials issued to a DID URL of it: they are recorded under the DID, never the fragment', async () => {
    const h = holder();
    const didUrl = `${h.did}#${h.did.slice('did:key:'.length)}`;
    const one = await issueCredential(issuer.ctx, { holderDid: didUrl, claims: claimsOf() });
    const w3c = await issueCredential(issuer.ctx, { holderDid: didUrl, claims: claimsOf(), format: 'vc+sd-jwt' });
    const [copy] = await issueCredentials(issuer.ctx, { holders: [{ holderDid: didUrl }], claims: claimsOf() });
    const issued = [one, w3c, copy!];
    for (const c of issued) {
      expect(c.holderDid).toBe(h.did);
      expect((await findIssuanceRecords(issuer.ctx, { id: c.id })).map((r) => r.holderDid)).toEqual([h.did]);
    }
    expect(await findIssuanceRecords(issuer.ctx, { holderDid: didUrl })).toEqual([]);

    const result = await reportDeviceLost(issuer.ctx, { holderDid: h.did }, 'test');
    expect(new Set(result.revoked)).toEqual(new Set(issued.map((c) => c.id)));
    for (const c of issued) {
      expect(await bitOf(c)).toBe(STATUS_INVALID);
      expect(await credentialStatus(issuer.ctx, c.id)).toMatchObject({ status: 'revoked', reason: 'device_lost' });
    }
    // The DID URL itself is not a selector: the DID covers all of its keys.
    await expect(reportDeviceLost(issuer.ctx, { holderDid: didUrl }, 'test')).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });

  it('rejects a device-lost request without exactly one selector', async () => {
    for (const body of [{}, { holderDid: 'did:key:z1', thumbprint: 'abc' }, { holderDid: 'not-a-did' }, { holderDid: 5 }]) {
      const res = await issuer.admin('POST', '/admin/device-lost', body);
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({ error: 'invalid_request' });
    }
  });

  it('library: revoke is final; suspend and reinstate round-trip; typed errors', async () => {
    const c = await issueCredential(issuer.ctx, { holderDid: holder().did, claims: claimsOf() });
    expect((await suspendCredential(issuer.ctx, c.id, 'holder_request', 't')).status).toBe('suspended');
    expect((await suspendCredential(issuer.ctx, c.id, 'holder_request', 't')).changed).toBe(false);
    await expect(reinstateCredential(issuer.ctx, c.id, 'deceased' as never, '')).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    expect((await reinstateCredential(issuer.ctx, c.id, 'admin', 't')).status).toBe('valid');
    await expect(reinstateCredential(issuer.ctx, c.id, 'admin', 't')).rejects.toMatchObject({ code: 'STATUS_NOT_SUSPENDED' });
    await expect(revokeCredential(issuer.ctx, c.id, 'stolen' as never, 't')).rejects.toMatchObject({ code: 'STATUS_REASON_INVALID' });
    expect((await revokeCredential(issuer.ctx, c.id, 'fraud', 't')).status).toBe('revoked');
    expect((await revokeCredential(issuer.ctx, c.id, 'admin', 't')).changed).toBe(false);
    await expect(reinstateCredential(issuer.ctx, c.id, 'admin', 't')).rejects.toMatchObject({ code: 'STATUS_REVOKED_FINAL' });
    await expect(suspendCredential(issuer.ctx, c.id, 'admin', 't')).rejects.toMatchObject({ code: 'STATUS_REVOKED_FINAL' });
    await expect(revokeCredential(issuer.ctx, 'missing', 'admin', 't')).rejects.toMatchObject({ code: 'CREDENTIAL_NOT_FOUND' });
    expect(await bitOf(c)).toBe(STATUS_INVALID);
    expect((await auditLog(issuer.ctx, { credentialId: c.id })).map((e) => e.to)).toEqual(['suspended', 'valid', 'revoked']);
  });
});
