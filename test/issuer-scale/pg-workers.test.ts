import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keyObjectSigner, publicJwkOf, signCompact } from '../../core/index.js';
import { sampleIdentityClaims } from '../../schemas/index.js';
import { tempDir } from '../helpers/tmp.js';
import { createTestDatabase, initPgIssuer, requirePostgres, startNode, type IssuerNode, type TestDatabase } from '../issuer-pg/helpers.js';
import { enroll, enrollmentBody, preAuthCodeOf, tokenRequest } from '../oid4vci/helpers.js';

/**
 * `netcred issuer serve --workers 2` on PostgreSQL (the real CLI, a database of its own): the
 * pre-authorized code redemptions batched in one transaction per batch (redeem-batch.ts) and the
 * credential requests in the issuance group commit stay single-use under concurrency, across
 * both workers, and one SIGTERM stops them.
 */

const FILE = 'test/issuer-scale/pg-workers.test.ts';
const ok = await requirePostgres(FILE);
const GRANT = 'urn:ietf:params:oauth:grant-type:pre-authorized_code';
const PUBLIC_URL = 'http://127.0.0.1:8080';
const WORKER = 'x-netcred-worker';

describe.runIf(ok)('issuer serve --workers 2 on PostgreSQL: OpenID4VCI single use', { timeout: 180_000 }, () => {
  const tmp = tempDir('netcred-pg-workers-');
  let db: TestDatabase;
  let node: IssuerNode;
  let birth = 0;

  beforeAll(async () => {
    db = await createTestDatabase();
    await initPgIssuer(tmp.dir, db.url, PUBLIC_URL);
    node = await startNode(tmp.dir, ['--workers', '2']);
  }, 180_000);
  afterAll(async () => {
    await node?.stop();
    await db?.drop();
    tmp.cleanup();
  });

  async function newCode(): Promise<string> {
    const birthdate = `19${60 + (birth++ % 39)}-0${1 + (birth % 9)}-1${birth % 9}`;
    const res = await enroll(node.url, enrollmentBody(sampleIdentityClaims({ birthdate })));
    expect(res.status).toBe(201);
    return preAuthCodeOf(((await res.json()) as { offer: string }).offer);
  }
  const redeem = async (code: string) => {
    const res = await tokenRequest(node.url, { grant_type: GRANT, 'pre-authorized_code': code });
    return { status: res.status, worker: res.headers.get(WORKER), body: (await res.json()) as Record<string, unknown> };
  };
  const nonce = async () => ((await (await fetch(`${node.url}/oid4vci/nonce`, { method: 'POST' })).json()) as { c_nonce: string }).c_nonce;
  async function credential(token: string, key: KeyObject, cNonce: string) {
    const jwt = await signCompact(
      { typ: 'openid4vci-proof+jwt', jwk: publicJwkOf(key) },
      { aud: PUBLIC_URL, iat: Math.floor(Date.now() / 1000), nonce: cNonce },
      keyObjectSigner(key),
    );
    const res = await fetch(`${node.url}/oid4vci/credential`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ credential_configuration_id: 'resident_identity_sd_jwt', proofs: { jwt: [jwt] } }),
    });
    return { status: res.status, worker: res.headers.get(WORKER), body: (await res.json()) as Record<string, unknown> };
  }
  const newKey = () => generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey;

  it('one code sent 20 times at once, among 10 other codes: one token for it, one for each other; every token gets its credential', async () => {
    const code = await newCode();
    const others = await Promise.all(Array.from({ length: 10 }, () => newCode()));
    const answers = await Promise.all([...Array.from({ length: 20 }, () => redeem(code)), ...others.map(redeem)]);
    expect(answers.slice(0, 20).filter((a) => a.status === 200)).toHaveLength(1);
    expect(answers.slice(20).map((a) => a.status)).toEqual(others.map(() => 200));
    const tokens = answers.filter((a) => a.status === 200).map((a) => a.body.access_token as string);
    const creds = await Promise.all(tokens.map(async (t) => credential(t, newKey(), await nonce())));
    expect(creds.map((c) => c.status)).toEqual(tokens.map(() => 200));
    expect(new Set([...answers, ...creds].map((a) => a.worker)).size).toBe(2);
    const [row] = await db.query<{ n: string }>(`SELECT COUNT(*) AS n FROM "issuance_record"`);
    expect(Number(row!.n)).toBe(tokens.length);
  });

  it('one c_nonce in 8 concurrent credential requests (8 tokens): exactly one credential', async () => {
    const tokens: string[] = [];
    for (const code of await Promise.all(Array.from({ length: 8 }, () => newCode()))) tokens.push((await redeem(code)).body.access_token as string);
    const shared = await nonce();
    const answers = await Promise.all(tokens.map((t) => credential(t, newKey(), shared)));
    expect(answers.filter((a) => a.status === 200)).toHaveLength(1);
    for (const a of answers.filter((x) => x.status !== 200)) expect(a.body.error).toBe('invalid_nonce');
  });

  it('SIGTERM stops the primary and both workers', async () => {
    node.process.kill('SIGTERM');
    expect(await node.exited).toBe(0);
    expect(node.output()).toMatch(/issuer stopped/);
  });
});
