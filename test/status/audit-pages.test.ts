import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, revokeCredential, suspendCredential } from '../../issuer/index.js';
import { allocate, startStatusIssuer, type StatusTestIssuer } from './helpers.js';

/** The audit log read a page at a time (`before`): what the enrollment console's "show older" asks. */
describe('audit log pages', () => {
  let issuer: StatusTestIssuer;
  const ids = ['page-1', 'page-2', 'page-3', 'page-4', 'page-5'];
  beforeAll(async () => {
    issuer = await startStatusIssuer();
    for (const id of ids) await allocate(issuer.ctx, id);
    for (const id of ids) await suspendCredential(issuer.ctx, id, 'holder_request', 'pages-test');
    await revokeCredential(issuer.ctx, 'page-2', 'fraud', 'pages-test');
  });
  afterAll(async () => {
    await issuer?.close();
  });

  it('pages back through every entry with before = the first id of the page shown, none twice, none missed', async () => {
    const all = await auditLog(issuer.ctx);
    expect(all).toHaveLength(6);
    const seen: number[] = [];
    let before: number | undefined;
    for (;;) {
      const page = await auditLog(issuer.ctx, { limit: 4, ...(before !== undefined ? { before } : {}) });
      if (!page.length) break;
      seen.unshift(...page.map((e) => e.id));
      before = page[0]!.id;
    }
    expect(seen).toEqual(all.map((e) => e.id));
    expect(await auditLog(issuer.ctx, { credentialId: 'page-2', limit: 1, before: all.at(-1)!.id })).toEqual([
      expect.objectContaining({ credentialId: 'page-2', to: 'suspended' }),
    ]);
  });

  it('over HTTP: ?before=, and 400 for a before that is not a positive integer', async () => {
    const all = await auditLog(issuer.ctx);
    const res = await issuer.admin('GET', `/admin/audit?limit=2&before=${all.at(-1)!.id}`);
    expect(res.status).toBe(200);
    expect(((await res.json()) as { entries: { id: number }[] }).entries.map((e) => e.id)).toEqual(all.slice(-3, -1).map((e) => e.id));
    for (const bad of ['0', '-1', '1.5', 'x']) {
      const r = await issuer.admin('GET', `/admin/audit?before=${bad}`);
      expect(r.status, bad).toBe(400);
    }
  });
});
