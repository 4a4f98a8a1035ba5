import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// An internal on purpose: the offer's row is found by the hash stored in place of its code.
import { secretHash } from '../../issuer/oid4vci/secrets.js';
import { sampleIdentityClaims } from '../../schemas/index.js';
import { repoRoot } from '../helpers/cli.js';
import { enroll, enrollmentBody, preAuthCodeOf, tokenRequest } from './helpers.js';
import { startTestIssuer, TEST_ISSUER_SECRET, type TestIssuer } from '../helpers/issuer.js';

const GRANT = 'urn:ietf:params:oauth:grant-type:pre-authorized_code';
const CLOSED = { error: 'invalid_grant', error_description: 'the pre-authorized code was already used, burned or has expired', code: 'OID4VCI_INVALID_GRANT' };
/** What the five wrong guesses that are evaluated are told, in the order they are counted. */
const EVALUATED = [
  'wrong tx_code (4 tries left)',
  'wrong tx_code (3 tries left)',
  'wrong tx_code (2 tries left)',
  'wrong tx_code (1 try left)',
  'wrong tx_code; the pre-authorized code is now burned',
];

type Answer = { status: number; body: Record<string, unknown> };
type Offer = { code: string; txCode: string };

let issuer: TestIssuer;
let birth = 0;
beforeAll(async () => {
  issuer = await startTestIssuer();
});
afterAll(async () => {
  await issuer?.close();
});

async function newOffer(): Promise<Offer> {
  const birthdate = `19${60 + (birth++ % 39)}-0${1 + (birth % 9)}-2${birth % 9}`;
  const res = await enroll(issuer.url, enrollmentBody(sampleIdentityClaims({ birthdate }), { txCode: true }));
  expect(res.status).toBe(201);
  const body = (await res.json()) as { offer: string; txCode: string };
  return { code: preAuthCodeOf(body.offer), txCode: body.txCode };
}

/** n distinct six-digit codes, none of them the right one. */
function wrongCodes(right: string, n: number): string[] {
  const out: string[] = [];
  for (let i = 0; out.length < n; i++) {
    const c = String((Number(right) + 1 + i * 7919) % 1_000_000).padStart(6, '0');
    if (c !== right && !out.includes(c)) out.push(c);
  }
  return out;
}

async function guess(url: string, offer: Offer, txCode: string): Promise<Answer> {
  const res = await tokenRequest(url, { grant_type: GRANT, 'pre-authorized_code': offer.code, tx_code: txCode });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

async function offerRow(offer: Offer): Promise<{ state: string; tx_failures: number; claims_sealed: string | null }> {
  const rows = (await issuer.ctx.dataSource.query(`SELECT "state", "tx_failures", "claims_sealed" FROM "oid4vci_offer" WHERE "code_hash" = ?`, [
    secretHash(offer.code),
  ])) as {
    state: string;
    tx_failures: number;
    claims_sealed: string | null;
  }[];
  return rows[0]!;
}

/** Exactly five answers are evaluated guesses (4, 3, 2, 1 tries left, then burned); every other one is the lockout. */
function expectFiveEvaluated(answers: Answer[]): void {
  const unexpected = answers.filter((a) => a.status !== 400);
  expect(unexpected.slice(0, 3)).toEqual([]);
  const evaluated = answers.filter((a) => String(a.body.error_description).startsWith('wrong tx_code'));
  expect(evaluated.map((a) => a.body.error_description).sort()).toEqual([...EVALUATED].sort());
  for (const a of evaluated) expect(a.body.error).toBe('invalid_grant');
  const others = answers.filter((a) => !evaluated.includes(a));
  expect(others).toHaveLength(answers.length - 5);
  for (const a of others) expect(a.body).toEqual(CLOSED);
}

/** A second issuer process on the same data dir: the real CLI, its own SQLite connection and queues. */
async function secondProcess(dataDir: string): Promise<{ url: string; proc: ChildProcess; stop(): Promise<void> }> {
  const proc = spawn(
    process.execPath,
    ['--import', 'tsx', path.join(repoRoot, 'cli/main.ts'), 'issuer', 'serve', '--data', dataDir, '--port', '0', '--rate-limit', '0', '--json'],
    {
      cwd: repoRoot,
      env: { ...process.env, NETCRED_SECRET: TEST_ISSUER_SECRET },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let out = '';
  let err = '';
  proc.stderr!.on('data', (d) => (err += d));
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  const url = await new Promise<string>((resolve, reject) => {
    proc.stdout!.on('data', (d) => {
      out += d;
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (line) resolve((JSON.parse(line) as { url: string }).url);
    });
    proc.once('exit', (code) => reject(new Error(`issuer serve exited ${code} before listening: ${err}`)));
  });
  return {
    url,
    proc,
    async stop() {
      proc.kill('SIGTERM');
      await exited;
    },
  };
}

describe('OpenID4VCI tx_code guesses racing for one offer', () => {
  it('300 concurrent wrong guesses over HTTP: exactly 5 evaluated with exact tries left, then one lockout answer for all, the right code included', async () => {
    const offer = await newOffer();
    const answers = await Promise.all(wrongCodes(offer.txCode, 300).map((c) => guess(issuer.url, offer, c)));
    expectFiveEvaluated(answers);
    expect(await offerRow(offer)).toEqual({ state: 'burned', tx_failures: 5, claims_sealed: null });
    // the right code now gets exactly what a wrong one gets
    expect(await guess(issuer.url, offer, offer.txCode)).toEqual({ status: 400, body: CLOSED });
    expect(await guess(issuer.url, offer, wrongCodes(offer.txCode, 301)[300]!)).toEqual({ status: 400, body: CLOSED });
    expect((await offerRow(offer)).tx_failures).toBe(5);
  });

  it('the right code among the first five still redeems, and the tries left counted before it are exact', async () => {
    const offer = await newOffer();
    const first = await Promise.all(wrongCodes(offer.txCode, 3).map((c) => guess(issuer.url, offer, c)));
    expect(first.map((a) => a.body.error_description).sort()).toEqual(EVALUATED.slice(0, 3).sort());
    const right = await tokenRequest(issuer.url, { grant_type: GRANT, 'pre-authorized_code': offer.code, tx_code: offer.txCode });
    expect(right.status).toBe(200);
    expect(await offerRow(offer)).toMatchObject({ state: 'redeemed', tx_failures: 3 });
    // redeemed: the same lockout answer, right code or not
    expect(await guess(issuer.url, offer, offer.txCode)).toEqual({ status: 400, body: CLOSED });
    expect(await guess(issuer.url, offer, wrongCodes(offer.txCode, 1)[0]!)).toEqual({ status: 400, body: CLOSED });
  });

  it('two issuer processes on one data dir, 150 wrong guesses each at once: still exactly 5 evaluated (counted in SQL)', async () => {
    const other = await secondProcess(issuer.dataDir);
    try {
      const offer = await newOffer();
      const codes = wrongCodes(offer.txCode, 300);
      const answers = await Promise.all(codes.map((c, i) => guess(i % 2 ? other.url : issuer.url, offer, c)));
      expectFiveEvaluated(answers);
      expect(await offerRow(offer)).toEqual({ state: 'burned', tx_failures: 5, claims_sealed: null });
      expect(await guess(other.url, offer, offer.txCode)).toEqual({ status: 400, body: CLOSED });
      expect(await guess(issuer.url, offer, offer.txCode)).toEqual({ status: 400, body: CLOSED });
    } finally {
      await other.stop();
    }
  });
});
