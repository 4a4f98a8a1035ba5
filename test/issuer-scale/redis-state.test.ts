import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keyObjectSigner, publicJwkOf, signCompact } from '../../core/index.js';
import { connectIssuerCache, openIssuer, serveIssuer, type IssuerContext, type RunningServer } from '../../issuer/index.js';
import { sampleIdentityClaims } from '../../schemas/index.js';
import { countRows, enroll, enrollmentBody, preAuthCodeOf, tokenRequest } from '../oid4vci/helpers.js';
import { startTestIssuer, TEST_ISSUER_SECRET, type TestIssuer } from '../helpers/issuer.js';
import { freePort, REDIS_URL, requireRedis, startPrivateRedis, uniquePrefix, waitFor, type PrivateRedis } from '../verifier/helpers/redis.js';

/**
 * `issuer serve --cache`: two issuer nodes (two issuer contexts, each with its own SQLite
 * connection and HTTP server, on one data dir) share the OpenID4VCI single-use state through
 * the real Redis, under a prefix of their own. Whatever one node accepted, the other refuses.
 */

const redis = await requireRedis('test/issuer-scale/redis-state.test.ts');

const GRANT = 'urn:ietf:params:oauth:grant-type:pre-authorized_code';
const CONFIG = 'resident_identity_sd_jwt';
const silent = () => undefined;

type Node = { url: string; ctx: IssuerContext };

describe.runIf(redis.ok)('issuer OpenID4VCI state shared through Redis (two nodes, one data dir)', () => {
  const prefix = uniquePrefix('issuer');
  let a: TestIssuer;
  let bCtx: IssuerContext;
  let bServer: RunningServer;
  let A: Node;
  let B: Node;
  let birth = 0;

  beforeAll(async () => {
    a = await startTestIssuer();
    await connectIssuerCache(a.ctx, { url: REDIS_URL, prefix, log: silent });
    bCtx = await openIssuer({ dataDir: a.dataDir, secret: TEST_ISSUER_SECRET });
    await connectIssuerCache(bCtx, { url: REDIS_URL, prefix, log: silent });
    bServer = await serveIssuer(bCtx, { port: 0, rateLimit: false });
    A = { url: a.url, ctx: a.ctx };
    B = { url: bServer.url, ctx: bCtx };
  });
  afterAll(async () => {
    await bServer?.close();
    await bCtx?.close();
    await a?.close();
  });

  async function newOffer(txCode = false): Promise<{ code: string; txCode?: string }> {
    const birthdate = `19${60 + (birth++ % 39)}-0${1 + (birth % 9)}-1${birth % 9}`;
    const res = await enroll(A.url, enrollmentBody(sampleIdentityClaims({ birthdate }), { txCode }));
    expect(res.status).toBe(201);
    const body = (await res.json()) as { offer: string; txCode?: string };
    return { code: preAuthCodeOf(body.offer), ...(body.txCode ? { txCode: body.txCode } : {}) };
  }

  const redeem = async (node: Node, code: string, txCode?: string) => {
    const res = await tokenRequest(node.url, { grant_type: GRANT, 'pre-authorized_code': code, ...(txCode !== undefined ? { tx_code: txCode } : {}) });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };
  const nonce = async (node: Node) => ((await (await fetch(`${node.url}/oid4vci/nonce`, { method: 'POST' })).json()) as { c_nonce: string }).c_nonce;
  async function credential(node: Node, token: string, key: KeyObject, cNonce: string) {
    // aud is the issuer identifier (the public URL), whichever node answers
    const jwt = await signCompact(
      { typ: 'openid4vci-proof+jwt', jwk: publicJwkOf(key) },
      { aud: A.url, iat: Math.floor(Date.now() / 1000), nonce: cNonce },
      keyObjectSigner(key),
    );
    const res = await fetch(`${node.url}/oid4vci/credential`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ credential_configuration_id: CONFIG, proofs: { jwt: [jwt] } }),
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  }
  const newKey = () => generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey;

  it('a pre-authorized code redeemed on node A is refused on node B; the token from A is spent on B, once', async () => {
    const { code } = await newOffer();
    const first = await redeem(A, code);
    expect(first.status).toBe(200);
    expect(await redeem(B, code)).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
    expect(await redeem(A, code)).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
    const token = first.body.access_token as string;
    // the token lives in Redis, not in the store
    expect(await countRows(A.ctx, 'oid4vci_access_token')).toBe(0);
    const before = await countRows(A.ctx, 'issuance_record');
    expect((await credential(B, token, newKey(), await nonce(B))).status).toBe(200);
    expect(await credential(A, token, newKey(), await nonce(A))).toMatchObject({ status: 401, body: { error: 'invalid_token' } });
    expect(await countRows(A.ctx, 'issuance_record')).toBe(before + 1);
  });

  it('one code sent to both nodes 20 times at once: one token', async () => {
    const { code } = await newOffer();
    const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => redeem(i % 2 ? B : A, code)));
    expect(answers.filter((x) => x.status === 200)).toHaveLength(1);
  });

  it('a c_nonce used on node A is refused on node B; the token refused with it survives', async () => {
    const t1 = (await redeem(A, (await newOffer()).code)).body.access_token as string;
    const t2 = (await redeem(B, (await newOffer()).code)).body.access_token as string;
    const shared = await nonce(A);
    expect((await credential(A, t1, newKey(), shared)).status).toBe(200);
    expect(await credential(B, t2, newKey(), shared)).toMatchObject({ status: 400, body: { error: 'invalid_nonce' } });
    expect((await credential(B, t2, newKey(), await nonce(B))).status).toBe(200);
  });

  it('tx_code attempts are counted across nodes: 5 wrong ones in all burn the code, the right one then gets the lockout', async () => {
    const offer = await newOffer(true);
    const wrong = offer.txCode === '000000' ? '111111' : '000000';
    const answers = [];
    for (let i = 0; i < 5; i++) answers.push(await redeem(i % 2 ? B : A, offer.code, wrong));
    expect(answers.map((x) => x.body.error_description)).toEqual([
      'wrong tx_code (4 tries left)',
      'wrong tx_code (3 tries left)',
      'wrong tx_code (2 tries left)',
      'wrong tx_code (1 try left)',
      'wrong tx_code; the pre-authorized code is now burned',
    ]);
    expect(await redeem(B, offer.code, offer.txCode)).toMatchObject({
      status: 400,
      body: { error_description: 'the pre-authorized code was already used, burned or has expired' },
    });
    const [row] = (await A.ctx.dataSource.query(
      `SELECT "state", "claims_sealed" FROM "oid4vci_offer" WHERE "tx_code_mac" IS NOT NULL ORDER BY "created_at" DESC LIMIT 1`,
    )) as { state: string; claims_sealed: string | null }[];
    expect(row).toEqual({ state: 'burned', claims_sealed: null });
  });

  it('the right tx_code after wrong ones on the other node redeems', async () => {
    const offer = await newOffer(true);
    const wrong = offer.txCode === '000000' ? '111111' : '000000';
    expect((await redeem(A, offer.code, wrong)).body.error_description).toBe('wrong tx_code (4 tries left)');
    expect((await redeem(B, offer.code, offer.txCode!)).status).toBe(200);
  });
});

describe.runIf(redis.ok)('issuer with its cache down', () => {
  let a: TestIssuer;
  beforeAll(async () => {
    a = await startTestIssuer();
    // nothing listens there: the connection never comes up, every OpenID4VCI check is refused
    const { connected } = await connectIssuerCache(a.ctx, { url: `redis://127.0.0.1:${await freePort()}`, prefix: uniquePrefix('issuer-down'), log: silent });
    expect(connected).toBe(false);
  });
  afterAll(async () => {
    await a?.close();
  });

  it('a token request is 503 CACHE_UNAVAILABLE in OAuth format, with Retry-After; the code still works later', async () => {
    const res = await enroll(a.url, enrollmentBody(sampleIdentityClaims({ birthdate: '1971-02-03' })));
    const code = preAuthCodeOf(((await res.json()) as { offer: string }).offer);
    const token = await tokenRequest(a.url, { grant_type: GRANT, 'pre-authorized_code': code });
    expect(token.status).toBe(503);
    expect(token.headers.get('retry-after')).toBe('2');
    const body = (await token.json()) as Record<string, unknown>;
    expect(body.code).toBe('CACHE_UNAVAILABLE');
    expect(typeof body.error).toBe('string');
    expect(body.error_description).toMatch(/shared cache/);
    expect(await countRows(a.ctx, 'oid4vci_access_token')).toBe(0);
  });

  it('a credential request with a token it cannot check is 503 CACHE_UNAVAILABLE, never accepted', async () => {
    const res = await fetch(`${a.url}/oid4vci/credential`, {
      method: 'POST',
      headers: { authorization: 'Bearer abcdefabcdefabcdefabcdef', 'content-type': 'application/json' },
      body: JSON.stringify({ credential_configuration_id: CONFIG, proofs: { jwt: ['x'] } }),
    });
    expect(res.status).toBe(503);
    expect(((await res.json()) as Record<string, unknown>).code).toBe('CACHE_UNAVAILABLE');
  });
});

describe.runIf(redis.ok)('issuer whose Redis dies while it serves (a private redis-server)', () => {
  let a: TestIssuer;
  let server: PrivateRedis;
  beforeAll(async () => {
    server = await startPrivateRedis(await freePort());
    a = await startTestIssuer();
    const { connected } = await connectIssuerCache(a.ctx, { url: server.url, prefix: uniquePrefix('issuer-dies'), log: silent });
    expect(connected).toBe(true);
  });
  afterAll(async () => {
    await a?.close();
    await server?.kill();
  });

  const newCode = async (birthdate: string) => {
    const res = await enroll(a.url, enrollmentBody(sampleIdentityClaims({ birthdate })));
    return preAuthCodeOf(((await res.json()) as { offer: string }).offer);
  };

  it('works, answers 503 CACHE_UNAVAILABLE once Redis is killed, and works again when it is back, without a restart', async () => {
    expect((await tokenRequest(a.url, { grant_type: GRANT, 'pre-authorized_code': await newCode('1972-03-04') })).status).toBe(200);
    const code = await newCode('1973-04-05');
    await server.kill('SIGKILL');
    const down = await tokenRequest(a.url, { grant_type: GRANT, 'pre-authorized_code': code });
    expect(down.status).toBe(503);
    expect(((await down.json()) as Record<string, unknown>).code).toBe('CACHE_UNAVAILABLE');
    server = await startPrivateRedis(server.port);
    let answer = 0;
    await waitFor(async () => {
      answer = (await tokenRequest(a.url, { grant_type: GRANT, 'pre-authorized_code': code })).status;
      return answer !== 503;
    }, 'the issuer reconnecting to Redis');
    // the code refused while Redis was down was never spent: it redeems now
    expect(answer).toBe(200);
  });
});
