import { execFileSync } from 'node:child_process';
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, statfsSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sqlite3 from 'sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '../helpers/issuer.js';
import { decodeCompact, decodeStatusListToken, keyObjectSigner, publicJwkOf, signCompact } from '../../core/index.js';
import { initIssuer, issueCredential, openIssuer, serveIssuer, type IssuerContext, type RunningServer } from '../../issuer/index.js';
// Internals on purpose: faults are injected into the issuer store's SQLite connection and its health probe.
import { writeTransaction } from '../../issuer/status/index.js';
import { storeHealth } from '../../issuer/store/health.js';
import { PROBE_INTERVAL_MS } from '../../issuer/store/probe.js';
import { sqliteConnectionOf } from '../../issuer/store/transaction.js';
import { sampleIdentityClaims } from '../../schemas/index.js';
import { enrollmentBody, preAuthCodeOf } from '../oid4vci/helpers.js';

const SECRET = 'test-secret-for-storage-faults-0123456789';
const ADMIN = 'storage-faults-admin-token-0123456789abcdef';
const GRANT = 'urn:ietf:params:oauth:grant-type:pre-authorized_code';
const CONFIG = 'resident_identity_sd_jwt';
const WRITES_EACH = 110; // revocations, credential requests; plus half as many enrollments: 275 writes in flight

type Running = { ctx: IssuerContext; server: RunningServer; url: string };
type Outcome = { ok: boolean; status: number; code?: string; retryAfter: string | null };

let birth = 0;
/** A resident no other request of the run has (no re-issue supersedes another's credential). */
function resident(): ReturnType<typeof sampleIdentityClaims> {
  birth++;
  return sampleIdentityClaims({
    birthdate: `19${String(40 + (birth % 50)).padStart(2, '0')}-${String(1 + (Math.floor(birth / 50) % 12)).padStart(2, '0')}-${String(1 + (Math.floor(birth / 600) % 28)).padStart(2, '0')}`,
    sex: birth % 2 ? 1 : 2,
  });
}

function holderDid(): string {
  const { publicKey } = generateKeyPairSync('ed25519');
  return `did:jwk:${Buffer.from(JSON.stringify({ kty: 'OKP', crv: 'Ed25519', x: publicKey.export({ format: 'jwk' }).x })).toString('base64url')}`;
}

async function start(dataDir: string, init: boolean): Promise<Running> {
  const port = await freePort();
  const ctx = init
    ? await initIssuer({ dataDir, secret: SECRET, adminToken: ADMIN, publicUrl: `http://127.0.0.1:${port}` })
    : await openIssuer({ dataDir, secret: SECRET });
  const server = await serveIssuer(ctx, { host: '127.0.0.1', port: Number(new URL(ctx.config.publicUrl).port) });
  return { ctx, server, url: server.url };
}

async function stop(r: Running): Promise<void> {
  await r.server.close();
  await r.ctx.close();
}

async function outcome(res: Response): Promise<Outcome> {
  const body = (await res.json().catch(() => ({}))) as { code?: string };
  return { ok: res.ok, status: res.status, code: body.code, retryAfter: res.headers.get('retry-after') };
}

const post = (url: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });

async function newOffer(url: string): Promise<string> {
  const res = await post(`${url}/admin/enrollments`, enrollmentBody(resident()), { authorization: `Bearer ${ADMIN}` });
  expect(res.status).toBe(201);
  const code = preAuthCodeOf(((await res.json()) as { offer: string }).offer);
  const token = await fetch(`${url}/oid4vci/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: GRANT, 'pre-authorized_code': code }).toString(),
  });
  expect(token.status).toBe(200);
  return ((await token.json()) as { access_token: string }).access_token;
}

/** Nonce, proof and credential request; the credential's status index and list when acknowledged. */
async function requestCredential(url: string, accessToken: string): Promise<Outcome & { status_list?: { idx: number; uri: string } }> {
  const key: KeyObject = generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey;
  const nonceRes = await fetch(`${url}/oid4vci/nonce`, { method: 'POST' });
  const { c_nonce } = (await nonceRes.json()) as { c_nonce: string };
  const proof = await signCompact(
    { typ: 'openid4vci-proof+jwt', jwk: publicJwkOf(key) },
    { aud: url, iat: Math.floor(Date.now() / 1000), nonce: c_nonce },
    keyObjectSigner(key),
  );
  const res = await post(
    `${url}/oid4vci/credential`,
    { credential_configuration_id: CONFIG, proofs: { jwt: [proof] } },
    { authorization: `Bearer ${accessToken}` },
  );
  if (!res.ok) return outcome(res);
  const body = (await res.json()) as { credentials: { credential: string }[] };
  const payload = decodeCompact(body.credentials[0]!.credential.split('~')[0]!).payload as { status: { status_list: { idx: number; uri: string } } };
  return { ok: true, status: res.status, retryAfter: null, status_list: payload.status.status_list };
}

type Fault = { name: string; apply(r: Running): Promise<void>; lift(r: Running): Promise<void> };

/**
 * Revocations, OpenID4VCI credential requests and enrollments run at once through the HTTP
 * app while the store is full; then the fault is lifted; then the issuer restarts. Everything
 * acknowledged is there after the restart, nothing refused is, and the published list agrees.
 */
async function runScenario(dataDir: string, fault: Fault): Promise<void> {
  let r = await start(dataDir, true);
  try {
    const revocable: string[] = [];
    for (let i = 0; i < WRITES_EACH; i++) revocable.push((await issueCredential(r.ctx, { holderDid: holderDid(), claims: resident() })).id);
    const keptForLater = (await issueCredential(r.ctx, { holderDid: holderDid(), claims: resident() })).id;
    const tokens: string[] = [];
    for (let i = 0; i < WRITES_EACH; i++) tokens.push(await newOffer(r.url));

    await fault.apply(r);
    const url = r.url;
    const revocations = revocable.map(async (id) => ({
      id,
      ...(await outcome(await post(`${url}/admin/credentials/${id}/revoke`, { reason: 'admin' }, { authorization: `Bearer ${ADMIN}` }))),
    }));
    const credentials = tokens.map((t) => requestCredential(url, t));
    const enrollments = Array.from({ length: WRITES_EACH / 2 }, async () =>
      outcome(await post(`${url}/admin/enrollments`, enrollmentBody(resident()), { authorization: `Bearer ${ADMIN}` })),
    );
    const [revoked, issued, enrolled] = await Promise.all([Promise.all(revocations), Promise.all(credentials), Promise.all(enrollments)]);

    const all = [...revoked, ...issued, ...enrolled];
    const refused = all.filter((o) => !o.ok);
    expect(refused.length, `the fault (${fault.name}) refused no write`).toBeGreaterThan(0);
    // Every refusal is the typed storage fault, with the protocol's format and a Retry-After.
    for (const o of refused)
      expect({ status: o.status, code: o.code, retryAfter: o.retryAfter }).toEqual({ status: 503, code: 'STORAGE_FULL', retryAfter: '5' });

    // A write that cannot fit fails now, so the store is degraded and /health says so at once.
    await expect(
      writeTransaction(r.ctx.dataSource, (tx) => tx.query(`INSERT INTO "store_probe" ("id", "at") VALUES (2, hex(randomblob(4000000)))`)),
    ).rejects.toMatchObject({ code: 'STORAGE_FULL' });
    expect(storeHealth(r.ctx.dataSource)).toMatchObject({ status: 'degraded', code: 'STORAGE_FULL' });
    const degraded = await fetch(`${url}/health`);
    expect(degraded.status).toBe(503);
    expect(await degraded.json()).toMatchObject({ status: 'degraded', store: { status: 'degraded', code: 'STORAGE_FULL' } });

    await fault.lift(r);
    // No restart: /health probes and recovers by itself, and writes work again.
    await new Promise((done) => setTimeout(done, PROBE_INTERVAL_MS + 100));
    const healthy = await fetch(`${url}/health`);
    expect(healthy.status).toBe(200);
    const late = await requestCredential(url, await newOffer(url));
    expect(late.ok).toBe(true);
    const lateRevocation = await post(`${url}/admin/credentials/${keptForLater}/revoke`, { reason: 'admin' }, { authorization: `Bearer ${ADMIN}` });
    expect(lateRevocation.status).toBe(200);

    await stop(r);
    r = await start(dataDir, false);
    const rows = (await r.ctx.dataSource.query(
      `SELECT e."credential_id" AS id, e."idx" AS idx, e."status" AS status, l."uri" AS uri FROM "status_entry" e JOIN "status_list" l ON l."id" = e."list_id"`,
    )) as { id: string; idx: number; status: number; uri: string }[];
    const byId = new Map(rows.map((x) => [x.id, x]));
    const byRef = new Map(rows.map((x) => [`${x.uri}#${x.idx}`, x]));
    for (const o of revoked) expect({ id: o.id, status: byId.get(o.id)?.status }).toEqual({ id: o.id, status: o.ok ? 1 : 0 });
    expect(byId.get(keptForLater)?.status).toBe(1);
    const ackedCredentials = issued.filter((o) => o.ok);
    for (const o of [...ackedCredentials, late])
      expect(byRef.get(`${o.status_list!.uri}#${o.status_list!.idx}`), 'an acknowledged credential is stored').toBeDefined();
    // Nothing refused was stored: the OpenID4VCI records are exactly the acknowledged ones.
    const viaOid4vci = (await r.ctx.dataSource.query(`SELECT COUNT(*) AS n FROM "issuance_record"`)) as { n: number }[];
    expect(Number(viaOid4vci[0]!.n)).toBe(WRITES_EACH + 1 + ackedCredentials.length + 1);
    const offers = (await r.ctx.dataSource.query(`SELECT COUNT(*) AS n FROM "oid4vci_offer"`)) as { n: number }[];
    expect(Number(offers[0]!.n)).toBe(WRITES_EACH + enrolled.filter((o) => o.ok).length + 1);

    // The published status list (after the restart) equals the database, entry by entry.
    const lists = new Set(rows.map((x) => x.uri));
    for (const uri of lists) {
      const res = await fetch(uri);
      expect(res.status).toBe(200);
      const { list } = decodeStatusListToken(await res.text());
      for (const x of rows.filter((y) => y.uri === uri)) expect({ id: x.id, published: list.get(x.idx) }).toEqual({ id: x.id, published: x.status });
    }
  } finally {
    await stop(r).catch(() => undefined);
  }
}

const cleanups: (() => void)[] = [];
afterAll(() => {
  for (const c of cleanups.reverse()) c();
});

describe('storage faults: nothing is acknowledged that is not stored', () => {
  it('a transaction that SQLite ended by itself (as on SQLITE_FULL at COMMIT) is refused, and the next one really commits', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'netcred-store-reset-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const ctx = await initIssuer({ dataDir: dir, secret: SECRET, adminToken: ADMIN });
    try {
      const db = sqliteConnectionOf(ctx.dataSource)!;
      const rollbackBehindTypeorm = () => new Promise<void>((done, fail) => db.exec('ROLLBACK', (e) => (e ? fail(e) : done())));
      await expect(
        writeTransaction(ctx.dataSource, async (tx) => {
          await tx.query(`INSERT INTO "store_probe" ("id", "at") VALUES (10, 'lost')`);
          await rollbackBehindTypeorm(); // what SQLite does by itself when COMMIT fails with SQLITE_FULL
        }),
      ).rejects.toThrow();
      await writeTransaction(ctx.dataSource, (tx) => tx.query(`INSERT INTO "store_probe" ("id", "at") VALUES (11, 'kept')`));
      // Read through an independent connection: only what was committed is visible there.
      const other = new sqlite3.Database(path.join(dir, 'issuer', 'issuer.sqlite'), sqlite3.OPEN_READONLY);
      const seen = await new Promise<{ id: number }[]>((done, fail) =>
        other.all(`SELECT "id" FROM "store_probe" ORDER BY "id"`, (e, rows: { id: number }[]) => (e ? fail(e) : done(rows))),
      );
      await new Promise((done) => other.close(done));
      expect(seen.map((x) => x.id)).toEqual([11]);
    } finally {
      await ctx.close();
    }
  });

  it('PRAGMA max_page_count: revocations, credential requests and enrollments over HTTP, then the limit lifted, then a restart', {
    timeout: 180_000,
  }, async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'netcred-store-full-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    await runScenario(dir, {
      name: 'max_page_count',
      async apply(r) {
        // Same connection as the server's: the cap holds for every write of this process.
        const page_count = ((await r.ctx.dataSource.query('PRAGMA page_count')) as { page_count: number }[])[0]!.page_count;
        await r.ctx.dataSource.query(`PRAGMA max_page_count = ${page_count + 1}`);
      },
      async lift(r) {
        await r.ctx.dataSource.query('PRAGMA max_page_count = 1073741823');
      },
    });
  });

  const tmpfsReason = tmpfsUnavailable();
  it.skipIf(tmpfsReason !== undefined)(
    `a real full disk (tmpfs), freed again${tmpfsReason ? ` [skipped: ${tmpfsReason}]` : ''}`,
    { timeout: 180_000 },
    async () => {
      const mount = mkdtempSync(path.join(os.tmpdir(), 'netcred-tmpfs-'));
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=8m', 'tmpfs', mount]);
      cleanups.push(() => {
        execFileSync('umount', ['-l', mount]);
        rmSync(mount, { recursive: true, force: true });
      });
      const dataDir = path.join(mount, 'data');
      mkdirSync(dataDir);
      const filler = path.join(mount, 'filler');
      await runScenario(dataDir, {
        name: 'tmpfs',
        async apply() {
          // Leave a few pages of room: some writes fit, the rest hit ENOSPC / SQLITE_FULL.
          const { bavail, bsize } = statfsSync(mount);
          writeFileSync(filler, Buffer.alloc(Math.max(0, bavail * bsize - 48 * 1024)));
        },
        async lift() {
          rmSync(filler);
        },
      });
    },
  );
});

/** Why a tmpfs cannot be mounted here (not root, or mount refused), or undefined when it can. */
function tmpfsUnavailable(): string | undefined {
  if (process.getuid?.() !== 0) return 'not running as root';
  const probe = mkdtempSync(path.join(os.tmpdir(), 'netcred-tmpfs-probe-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', probe], { stdio: 'pipe' });
    execFileSync('umount', [probe], { stdio: 'pipe' });
    return undefined;
  } catch (err) {
    return `mount -t tmpfs failed: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`;
  } finally {
    rmSync(probe, { recursive: true, force: true });
  }
}
