import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_ISSUER_ADMIN_TOKEN, freePort } from '../helpers/issuer.js';
import { tempDir } from '../helpers/tmp.js';
import {
  createTestDatabase,
  FlowError,
  initPgIssuer,
  issueOverHttp,
  person,
  PgRelay,
  requirePostgres,
  startNode,
  terminateBackends,
  type IssuerNode,
  type TestDatabase,
} from './helpers.js';

/**
 * PostgreSQL out of reach under a running `issuer serve`: the node reaches the database through a
 * TCP relay of the test's own (the shared server keeps running for everyone else), and the relay
 * is cut, then opened again on the same port. Meanwhile the node answers STORAGE_UNAVAILABLE
 * (503, Retry-After) and /health is degraded; afterwards it serves again without a restart.
 * Connections ended by the server (pg_terminate_backend) are replaced the same way.
 */

const FILE = 'test/issuer-pg/unavailable.test.ts';
const ok = await requirePostgres(FILE);

async function health(node: IssuerNode): Promise<{ status: number; retryAfter: string | null; body: Record<string, unknown> }> {
  const res = await fetch(`${node.url}/health`);
  return { status: res.status, retryAfter: res.headers.get('retry-after'), body: (await res.json()) as Record<string, unknown> };
}

async function revoke(node: IssuerNode, credentialId: string): Promise<{ status: number; retryAfter: string | null; body: Record<string, unknown> }> {
  const res = await fetch(`${node.url}/admin/credentials/${credentialId}/revoke`, {
    method: 'POST',
    headers: { authorization: `Bearer ${TEST_ISSUER_ADMIN_TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify({ reason: 'admin' }),
  });
  return { status: res.status, retryAfter: res.headers.get('retry-after'), body: (await res.json()) as Record<string, unknown> };
}

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

describe.runIf(ok)('issuer serve with PostgreSQL out of reach', { timeout: 240_000 }, () => {
  const tmp = tempDir('netcred-pg-down-');
  const relay = new PgRelay();
  let db: TestDatabase;
  let node: IssuerNode;
  let publicUrl = '';

  beforeAll(async () => {
    db = await createTestDatabase();
    publicUrl = `http://127.0.0.1:${await freePort()}`;
    await initPgIssuer(tmp.dir, db.url, publicUrl);
    await relay.open();
    // --store overrides the URL init recorded: this node goes through the relay.
    node = await startNode(tmp.dir, ['--store', relay.urlFor(db.name)]);
  }, 180_000);

  afterAll(async () => {
    await node?.stop();
    await relay.cut();
    await db?.drop();
    tmp.cleanup();
  });

  it('answers STORAGE_UNAVAILABLE (503, Retry-After) and a degraded /health while the database is unreachable, then serves again by itself', async () => {
    const before = await issueOverHttp(node.url, publicUrl, person(1));
    expect(before.credential).toMatch(/~$/);
    expect((await health(node)).status).toBe(200);
    const id = (await db.query<{ id: string }>('SELECT "id" FROM "issuance_record" LIMIT 1'))[0]!.id;

    await relay.cut();
    const down = await until('a degraded /health', async () => {
      const h = await health(node);
      return h.status === 503 ? h : undefined;
    });
    expect(down.retryAfter).not.toBeNull();
    expect(down.body).toMatchObject({ status: 'degraded', store: { status: 'degraded', code: 'STORAGE_UNAVAILABLE' } });
    // A write of each kind: an enrollment (one statement), a revocation (a transaction).
    const failed = await issueOverHttp(node.url, publicUrl, person(2)).then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(failed).toBeInstanceOf(FlowError);
    expect((failed as FlowError).status).toBe(503);
    expect((failed as FlowError).body).toMatchObject({ error: 'temporarily_unavailable', code: 'STORAGE_UNAVAILABLE' });
    const refused = await revoke(node, id);
    expect(refused.status).toBe(503);
    expect(refused.retryAfter).not.toBeNull();
    expect(refused.body.code).toBe('STORAGE_UNAVAILABLE');
    // A read too (the status list), never a crash or a hang.
    const list = await fetch(`${node.url}/status/lists/1`);
    expect([200, 503]).toContain(list.status);

    await relay.open(); // the same port: the node's URL is unchanged
    await until('a healthy /health', async () => ((await health(node)).status === 200 ? true : undefined));
    const after = await issueOverHttp(node.url, publicUrl, person(3));
    expect(after.credential).toMatch(/~$/);
    const revoked = await revoke(node, id);
    expect(revoked.status).toBe(200);
    expect(revoked.body).toMatchObject({ status: 'revoked', changed: true });
    expect(node.process.exitCode).toBeNull();
    // Nothing of the refused writes was stored: three people asked, two were issued to.
    const n = (await db.query<{ n: number }>('SELECT COUNT(*)::int AS "n" FROM "issuance_record"'))[0]!.n;
    expect(n).toBe(2);
  });

  it('connections ended by the server (pg_terminate_backend) are replaced: each dead pooled connection fails at most one request (STORAGE_UNAVAILABLE), then requests are served', async () => {
    await issueOverHttp(node.url, publicUrl, person(4));
    expect(await terminateBackends(db.name)).toBeGreaterThan(0);
    const answers: unknown[] = [];
    // The pool holds at most PG_POOL_SIZE (4) connections: no more failures than that, plus one in flight.
    for (let i = 0; i < 6; i++) {
      const r = await issueOverHttp(node.url, publicUrl, person(5)).then(
        () => 'issued',
        (err: unknown) => err,
      );
      answers.push(r);
      if (r === 'issued') break;
      expect(r).toBeInstanceOf(FlowError);
      expect((r as FlowError).status).toBe(503);
      expect((r as FlowError).body.code).toBe('STORAGE_UNAVAILABLE');
    }
    expect(answers.at(-1)).toBe('issued');
    await until('a healthy /health', async () => ((await health(node)).status === 200 ? true : undefined));
    expect(node.process.exitCode).toBeNull();
  });
});
