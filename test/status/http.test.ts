import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { Bitstring, decodeCompact, STATUS_INVALID, STATUS_SUSPENDED, STATUS_VALID, verifyDecoded } from '../../core/index.js';
import { revokeCredential, statusPublisher } from '../../issuer/index.js';
import { allocate, startStatusIssuer, type StatusTestIssuer } from './helpers.js';
import { TEST_ISSUER_ADMIN_TOKEN } from '../helpers/issuer.js';

let issuer: StatusTestIssuer;

beforeAll(async () => {
  // ES256 signatures are randomized: an unchanged token body proves it was not signed again.
  issuer = await startStatusIssuer({ alg: 'ES256' });
});
afterAll(async () => {
  await issuer?.close();
});

async function listCredential(url: string): Promise<Record<string, unknown>> {
  const res = await issuer.get(url);
  if (res.status !== 200) throw new Error(`GET ${url}: ${res.status} ${await res.text()}`);
  expect(res.headers.get('content-type')).toMatch(/^application\/vc\+jwt/);
  const decoded = decodeCompact<Record<string, unknown>>(await res.text());
  verifyDecoded(decoded, issuer.key, { typ: 'vc+jwt' });
  expect(decoded.payload.vc).toBeUndefined();
  return decoded.payload;
}

describe('published status lists over HTTP', () => {
  it('serves a verifiable token with the right headers, and the revoked bit set', async () => {
    const a = await allocate(issuer.ctx, 'http-revoke-1');
    const b = await allocate(issuer.ctx, 'http-revoke-2');
    const { uri, idx } = a.tokenStatus.status_list;
    expect(uri).toBe('https://issuer.test/status/lists/1');
    expect((await issuer.token(uri)).list.get(idx)).toBe(STATUS_VALID);

    const res = await issuer.admin('POST', '/admin/credentials/http-revoke-1/revoke', { reason: 'fraud' });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ credentialId: 'http-revoke-1', status: 'revoked', reason: 'fraud', changed: true });

    const tokenRes = await issuer.get(uri);
    expect(tokenRes.headers.get('content-type')).toMatch(/^application\/statuslist\+jwt/);
    const t = await issuer.token(uri);
    expect(t.header.typ).toBe('statuslist+jwt');
    expect(t.header.kid).toBe(issuer.ctx.signer.kid);
    expect(t.list.bits).toBe(2);
    expect(t.list.size).toBe(131072);
    expect(t.aggregationUri).toBe('https://issuer.test/status/aggregation');
    expect(t.ttl).toBeGreaterThan(0);
    expect(t.exp! - t.iat).toBeGreaterThan(t.ttl!);
    expect(tokenRes.headers.get('cache-control')).toBe(`public, max-age=${t.ttl}`);
    expect(t.list.get(idx)).toBe(STATUS_INVALID);
    expect(t.list.get(b.tokenStatus.status_list.idx)).toBe(STATUS_VALID);
  });

  it('does not sign again while the list is unchanged, and does after a change', async () => {
    const a = await allocate(issuer.ctx, 'http-cache-1');
    const { uri } = a.tokenStatus.status_list;
    const first = await (await issuer.get(uri)).text();
    const second = await (await issuer.get(uri)).text();
    expect(second).toBe(first);
    // Allocation alone does not change the published list.
    await allocate(issuer.ctx, 'http-cache-2');
    expect(await (await issuer.get(uri)).text()).toBe(first);
    await issuer.admin('POST', '/admin/credentials/http-cache-1/suspend', {});
    expect(await (await issuer.get(uri)).text()).not.toBe(first);
  });

  it('signs a changed list in the background, before the next request asks for it', async () => {
    const a = await allocate(issuer.ctx, 'http-warm-1');
    const { uri, idx } = a.tokenStatus.status_list;
    await issuer.get(uri);
    await issuer.get(`${uri}/bitstring/revocation`);
    const publisher = statusPublisher(issuer.ctx);
    const before = publisher.peek(1, 'token')!;
    await revokeCredential(issuer.ctx, 'http-warm-1', 'fraud', 'test');
    // No request in between: the publisher re-signs on its own.
    await vi.waitFor(() => expect(publisher.peek(1, 'token')!.version).toBeGreaterThan(before.version), { timeout: 10_000 });
    await vi.waitFor(() => expect(publisher.peek(1, 'revocation')!.version).toBe(publisher.peek(1, 'token')!.version), { timeout: 10_000 });
    const warm = publisher.peek(1, 'token')!;
    const served = await (await issuer.get(uri)).text();
    expect(served).toBe(warm.body);
    expect((await issuer.token(uri)).list.get(idx)).toBe(STATUS_INVALID);
  });

  it('suspends and reinstates; refuses to reinstate a revoked credential', async () => {
    const a = await allocate(issuer.ctx, 'http-susp-1');
    const { uri, idx } = a.tokenStatus.status_list;
    expect((await issuer.admin('POST', '/admin/credentials/http-susp-1/suspend', { reason: 'holder_request' })).status).toBe(200);
    expect((await issuer.token(uri)).list.get(idx)).toBe(STATUS_SUSPENDED);
    expect((await issuer.admin('POST', '/admin/credentials/http-susp-1/reinstate', {})).status).toBe(200);
    expect((await issuer.token(uri)).list.get(idx)).toBe(STATUS_VALID);

    expect((await issuer.admin('POST', '/admin/credentials/http-susp-1/revoke', { reason: 'deceased' })).status).toBe(200);
    const refused = await issuer.admin('POST', '/admin/credentials/http-susp-1/reinstate', {});
    expect(refused.status).toBe(409);
    expect(await refused.json()).toMatchObject({ error: 'invalid_request', code: 'STATUS_REVOKED_FINAL' });
    const suspendRevoked = await issuer.admin('POST', '/admin/credentials/http-susp-1/suspend', {});
    expect(suspendRevoked.status).toBe(409);
    expect((await issuer.token(uri)).list.get(idx)).toBe(STATUS_INVALID);
    const status = await (await issuer.admin('GET', '/admin/credentials/http-susp-1/status')).json();
    expect(status).toMatchObject({ status: 'revoked', reason: 'deceased', idx, uri });

    const audit = (await (await issuer.admin('GET', '/admin/audit?credential=http-susp-1')).json()) as { entries: Array<Record<string, unknown>> };
    expect(audit.entries.map((e) => [e.from, e.to, e.reason, e.actor])).toEqual([
      ['valid', 'suspended', 'holder_request', 'admin-api'],
      ['suspended', 'valid', 'admin', 'admin-api'],
      ['valid', 'revoked', 'deceased', 'admin-api'],
    ]);
  });

  it('rejects unknown reasons and unknown credentials with OAuth-style errors', async () => {
    await allocate(issuer.ctx, 'http-bad-1');
    const badReason = await issuer.admin('POST', '/admin/credentials/http-bad-1/revoke', { reason: 'bored' });
    expect(badReason.status).toBe(400);
    expect(await badReason.json()).toMatchObject({ error: 'invalid_request', code: 'STATUS_REASON_INVALID' });
    const unknown = await issuer.admin('POST', '/admin/credentials/nope/revoke', { reason: 'fraud' });
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ error: 'not_found', code: 'CREDENTIAL_NOT_FOUND' });
    expect((await issuer.get('/status/lists/999')).status).toBe(404);
    expect((await issuer.get('/status/lists/abc')).status).toBe(404);
    expect((await issuer.get('/status/lists/1/bitstring/other')).status).toBe(404);
    const status = await (await issuer.admin('GET', '/admin/credentials/http-bad-1/status')).json();
    expect(status).toMatchObject({ status: 'valid' });
  });

  it('admin calls without the token, or with a wrong one, get 401 and change nothing', async () => {
    const a = await allocate(issuer.ctx, 'http-auth-1');
    const { uri, idx } = a.tokenStatus.status_list;
    const before = await (await issuer.get(uri)).text();
    const auditBefore = await (await issuer.admin('GET', '/admin/audit')).json();
    for (const token of [null, 'wrong-token-0123456789abcdef', `${TEST_ISSUER_ADMIN_TOKEN}x`, '']) {
      for (const [method, path, body] of [
        ['POST', '/admin/credentials/http-auth-1/revoke', { reason: 'fraud' }],
        ['POST', '/admin/credentials/http-auth-1/suspend', {}],
        ['POST', '/admin/device-lost', { holderDid: 'did:key:z6Mkxyz' }],
        ['GET', '/admin/audit', undefined],
        ['GET', '/admin/credentials/http-auth-1/status', undefined],
      ] as const) {
        const res = await issuer.admin(method, path, body, token);
        expect(res.status, `${method} ${path} with ${String(token)}`).toBe(401);
        expect(await res.json()).toMatchObject({ error: 'invalid_token' });
      }
    }
    expect(await (await issuer.get(uri)).text()).toBe(before);
    expect((await issuer.token(uri)).list.get(idx)).toBe(STATUS_VALID);
    expect(await (await issuer.admin('GET', '/admin/audit')).json()).toEqual(auditBefore);
  });

  it('lists every list in the aggregation', async () => {
    const res = await issuer.get('/status/aggregation');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status_lists: ['https://issuer.test/status/lists/1'] });
  });
});

describe('W3C BitstringStatusListCredential', () => {
  it('publishes revocation and suspension lists at the same index, read by @digitalbazaar/vc-bitstring-status-list', async () => {
    const { checkStatus } = await import('@digitalbazaar/vc-bitstring-status-list');
    const revoked = await allocate(issuer.ctx, 'w3c-revoked');
    const suspended = await allocate(issuer.ctx, 'w3c-suspended');
    const valid = await allocate(issuer.ctx, 'w3c-valid');
    await issuer.admin('POST', '/admin/credentials/w3c-revoked/revoke', { reason: 'fraud' });
    await issuer.admin('POST', '/admin/credentials/w3c-suspended/suspend', { reason: 'admin' });

    const [revEntry, suspEntry] = revoked.bitstringEntries;
    expect(revEntry).toMatchObject({
      type: 'BitstringStatusListEntry',
      statusPurpose: 'revocation',
      statusListIndex: String(revoked.tokenStatus.status_list.idx),
    });
    expect(suspEntry).toMatchObject({ statusPurpose: 'suspension', statusListIndex: String(revoked.tokenStatus.status_list.idx) });

    const documents = new Map<string, Record<string, unknown>>();
    for (const entry of revoked.bitstringEntries) documents.set(entry.statusListCredential, await listCredential(entry.statusListCredential));
    const revocationVc = documents.get(revEntry!.statusListCredential)!;
    expect(revocationVc).toMatchObject({
      '@context': ['https://www.w3.org/ns/credentials/v2'],
      id: revEntry!.statusListCredential,
      type: ['VerifiableCredential', 'BitstringStatusListCredential'],
      issuer: issuer.ctx.issuerDid,
      credentialSubject: { type: 'BitstringStatusList', statusPurpose: 'revocation' },
    });
    expect(Bitstring.decode((revocationVc.credentialSubject as { encodedList: string }).encodedList).size).toBeGreaterThanOrEqual(131072);

    const documentLoader = async (url: string) => {
      const document = documents.get(url);
      if (!document) throw new Error(`unexpected fetch of ${url}`);
      return { document };
    };
    const statusOf = async (a: typeof revoked) => {
      const credential = {
        '@context': ['https://www.w3.org/ns/credentials/v2'],
        type: ['VerifiableCredential'],
        issuer: issuer.ctx.issuerDid,
        credentialSubject: { id: 'did:example:holder' },
        credentialStatus: a.bitstringEntries,
      };
      // The list credential's vc+jwt signature is verified above (listCredential); the peer reads the list.
      const result = await checkStatus({ credential, documentLoader, verifyBitstringStatusListCredential: false, verifyMatchingIssuers: true });
      expect(result.error).toBeUndefined();
      expect(result.verified).toBe(true);
      return Object.fromEntries(result.results!.map((r) => [r.credentialStatus.statusPurpose, r.status]));
    };
    expect(await statusOf(revoked)).toEqual({ revocation: true, suspension: false });
    expect(await statusOf(suspended)).toEqual({ revocation: false, suspension: true });
    expect(await statusOf(valid)).toEqual({ revocation: false, suspension: false });
  });
});
