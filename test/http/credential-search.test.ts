import { generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { didKeyFromJwk, publicJwkOf } from '../../core/index.js';
import { issueCredential, revokeCredential } from '../../issuer/index.js';
import { sampleIdentityClaims } from '../../schemas/index.js';
import { startTestIssuer, TEST_ISSUER_ADMIN_TOKEN, type TestIssuer } from '../helpers/issuer.js';

/** GET /admin/credentials: the enrollment console's search (issuer/http/credential-search.ts). */
describe('GET /admin/credentials (credential search)', () => {
  let issuer: TestIssuer;
  const holderDid = didKeyFromJwk(publicJwkOf(generateKeyPairSync('ed25519').publicKey));
  const ids: string[] = [];

  const search = (query: string, token = TEST_ISSUER_ADMIN_TOKEN) =>
    fetch(`${issuer.url}/admin/credentials?${query}`, { headers: { authorization: `Bearer ${token}` } });

  beforeAll(async () => {
    issuer = await startTestIssuer();
    const claims = sampleIdentityClaims({ birthdate: '1980-05-06' });
    // The same person twice: the second supersedes (and revokes) the first.
    ids.push((await issueCredential(issuer.ctx, { holderDid, claims })).id);
    ids.push((await issueCredential(issuer.ctx, { holderDid, claims })).id);
    await revokeCredential(issuer.ctx, ids[1]!, 'fraud', 'search-test');
  });
  afterAll(async () => {
    await issuer?.close();
  });

  it("answers a holder's credentials newest first, each with its status and history", async () => {
    const res = await search(`holder=${encodeURIComponent(holderDid)}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const body = (await res.json()) as { credentials: Record<string, any>[]; truncated: boolean };
    expect(body.truncated).toBe(false);
    expect(body.credentials.map((c) => c.id)).toEqual([ids[1], ids[0]]);
    const [second, first] = body.credentials;
    expect(second).toMatchObject({ holderDid, format: 'dc+sd-jwt', supersededBy: null, status: { credentialId: ids[1], status: 'revoked', reason: 'fraud' } });
    expect(second!.history).toEqual([expect.objectContaining({ credentialId: ids[1], from: 'valid', to: 'revoked', reason: 'fraud', actor: 'search-test' })]);
    expect(first).toMatchObject({ supersededBy: ids[1], status: { status: 'revoked', reason: 'superseded' } });
    expect(new Date(first!.issuedAt).getTime()).toBeLessThanOrEqual(new Date(second!.issuedAt).getTime());
  });

  it('answers one credential by id, and an empty list for an unknown one', async () => {
    const one = (await (await search(`id=${ids[0]}`)).json()) as { credentials: { id: string }[] };
    expect(one.credentials.map((c) => c.id)).toEqual([ids[0]]);
    const none = await search('id=no-such-credential');
    expect(none.status).toBe(200);
    expect(await none.json()).toEqual({ credentials: [], truncated: false });
  });

  it('refuses a wrong token, neither or both parameters, a holder that is not a DID, an over-long id', async () => {
    expect((await search(`id=${ids[0]}`, 'wrong-token')).status).toBe(401);
    for (const q of [
      '',
      `id=${ids[0]}&holder=${encodeURIComponent(holderDid)}`,
      'holder=alice',
      `holder=${encodeURIComponent(`${holderDid}#key-1`)}`,
      `id=${'x'.repeat(201)}`,
      'id=a&id=b',
    ]) {
      const res = await search(q);
      expect(res.status, q).toBe(400);
      expect(await res.json(), q).toMatchObject({ error: 'invalid_request', code: 'INVALID_INPUT' });
    }
  });
});
