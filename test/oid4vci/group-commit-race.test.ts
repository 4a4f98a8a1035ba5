import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keyObjectSigner, publicJwkOf, signCompact } from '../../core/index.js';
import { sampleIdentityClaims } from '../../schemas/index.js';
import { countRows, enroll, enrollmentBody, preAuthCodeOf, tokenRequest } from './helpers.js';
import { startTestIssuer, type TestIssuer } from '../helpers/issuer.js';

const GRANT = 'urn:ietf:params:oauth:grant-type:pre-authorized_code';
const CONFIG = 'resident_identity_sd_jwt';

/**
 * Token and credential requests share group commits (redeem-batch.ts, the one-exec issuance
 * commit): a code or c_nonce sent many times at once, in one batch or across batches, is
 * accepted exactly once, and each acceptance is committed before it is answered.
 */
describe('OpenID4VCI on the group commit: single use under concurrency', () => {
  let issuer: TestIssuer;
  let birth = 0;
  beforeAll(async () => {
    issuer = await startTestIssuer();
  });
  afterAll(async () => {
    await issuer?.close();
  });

  async function newCode(): Promise<string> {
    const birthdate = `19${60 + (birth++ % 39)}-0${1 + (birth % 9)}-1${birth % 9}`;
    const res = await enroll(issuer.url, enrollmentBody(sampleIdentityClaims({ birthdate })));
    expect(res.status).toBe(201);
    return preAuthCodeOf(((await res.json()) as { offer: string }).offer);
  }

  const redeem = async (code: string) => {
    const res = await tokenRequest(issuer.url, { grant_type: GRANT, 'pre-authorized_code': code });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };

  async function nonce(): Promise<string> {
    return ((await (await fetch(`${issuer.url}/oid4vci/nonce`, { method: 'POST' })).json()) as { c_nonce: string }).c_nonce;
  }

  async function credential(token: string, key: KeyObject, cNonce: string) {
    const jwt = await signCompact(
      { typ: 'openid4vci-proof+jwt', jwk: publicJwkOf(key) },
      { aud: issuer.url, iat: Math.floor(Date.now() / 1000), nonce: cNonce },
      keyObjectSigner(key),
    );
    const res = await fetch(`${issuer.url}/oid4vci/credential`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ credential_configuration_id: CONFIG, proofs: { jwt: [jwt] } }),
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  }

  it('one pre-authorized code sent 30 times at once, mixed with 20 other codes: one token for it, one for each other', async () => {
    const code = await newCode();
    const others = await Promise.all(Array.from({ length: 20 }, () => newCode()));
    const answers = await Promise.all([...Array.from({ length: 30 }, () => redeem(code)), ...others.map(redeem)]);
    const mine = answers.slice(0, 30);
    expect(mine.filter((a) => a.status === 200)).toHaveLength(1);
    for (const a of mine.filter((x) => x.status !== 200)) expect(a).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
    expect(answers.slice(30).map((a) => a.status)).toEqual(others.map(() => 200));
    // every token answered was committed: each one gets its credential
    const tokens = answers.filter((a) => a.status === 200).map((a) => a.body.access_token as string);
    const key = generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey;
    const before = await countRows(issuer.ctx, 'issuance_record');
    const creds = await Promise.all(tokens.map(async (t) => credential(t, key, await nonce())));
    expect(creds.map((c) => c.status)).toEqual(tokens.map(() => 200));
    expect(await countRows(issuer.ctx, 'issuance_record')).toBe(before + tokens.length);
  });

  it('one c_nonce in 10 concurrent credential requests (10 tokens): exactly one credential; the other tokens survive for a fresh nonce', async () => {
    const tokens: string[] = [];
    for (const code of await Promise.all(Array.from({ length: 10 }, () => newCode()))) tokens.push((await redeem(code)).body.access_token as string);
    const shared = await nonce();
    const key = generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey;
    const before = await countRows(issuer.ctx, 'issuance_record');
    const answers = await Promise.all(tokens.map((t) => credential(t, key, shared)));
    expect(answers.filter((a) => a.status === 200)).toHaveLength(1);
    for (const a of answers.filter((x) => x.status !== 200)) expect(a.body.error).toBe('invalid_nonce');
    expect(await countRows(issuer.ctx, 'issuance_record')).toBe(before + 1);
    const refused = tokens.filter((_, i) => answers[i]!.status !== 200);
    const retried = await Promise.all(refused.map(async (t) => credential(t, key, await nonce())));
    expect(retried.map((a) => a.status)).toEqual(refused.map(() => 200));
  });

  it('one access token in 10 concurrent credential requests (10 nonces): exactly one credential', async () => {
    const token = (await redeem(await newCode())).body.access_token as string;
    const key = generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey;
    const nonces = await Promise.all(Array.from({ length: 10 }, () => nonce()));
    const before = await countRows(issuer.ctx, 'issuance_record');
    const answers = await Promise.all(nonces.map((n) => credential(token, key, n)));
    expect(answers.filter((a) => a.status === 200)).toHaveLength(1);
    for (const a of answers.filter((x) => x.status !== 200)) expect(a.body.error).toBe('invalid_token');
    expect(await countRows(issuer.ctx, 'issuance_record')).toBe(before + 1);
  });
});
