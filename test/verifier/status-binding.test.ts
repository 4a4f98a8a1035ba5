import { readFileSync, writeFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Bitstring, decodeCompact, keyObjectSigner, NetcredError, parseSdJwt, signCompact, StatusList } from '../../core/index.js';
import { importCredential, syncWallet } from '../../holder/index.js';
import { bitstringCredentialUri, issueCredential, listUri, revokeCredential, statusPublisher, type IssuerContext } from '../../issuer/index.js';
// Internals on purpose: a second, empty list of the issuer is inserted to be served under another URI.
import { writeTransaction } from '../../issuer/status/index.js';
import { insertList } from '../../issuer/status/store.js';
import { RESIDENT_IDENTITY_VCT, sampleIdentityClaims } from '../../schemas/index.js';
import {
  addDidIssuer,
  emptyTrustBundle,
  loadTrustBundle,
  syncIssuer,
  TrustStore,
  verifyPresentation,
  writeTrustBundle,
  type StatusListEntry,
  type TrustBundle,
} from '../../verifier/index.js';
import { runCli } from '../helpers/cli.js';
import { newTestWallet, type TestWallet } from '../holder/helpers/wallet.js';
import { initTestIssuer, startTestIssuer, type TestIssuer, type UnservedTestIssuer } from '../helpers/issuer.js';
import { tempDir } from '../helpers/tmp.js';
import { AUD, kbJwt, mint, NOW, NOW_S, party, present as presentFixture, statusEntry, STATUS_URI, world, type World } from './helpers/fixture.js';

/**
 * A status list answers only for the URL it names as its own (W3C list credential `id`, IETF
 * token `sub`), for its issuer, and until it expires: at `verifier sync`, at bundle load and at
 * verification (STATUS_LIST_MISMATCH / STATUS_LIST_STALE). Real issuers, real signed lists.
 */

const tmp = tempDir('netcred-status-binding-');
const holder = party('p256');
let a: TestIssuer;
/** Issuer B shares A's public URL: its lists name A's URLs, signed with B's key (a trusted issuer lending its lists). */
let b: IssuerContext;
let bIssuer: UnservedTestIssuer;
/** Paths on A's server answered with another body (a substituted list). */
const substitutes = new Map<string, string>();

let list1: string;
let list2: string;
let rev1: string;
/** A's credentials on list 1: revoked, and still valid. */
const creds = {} as Record<'sdRevoked' | 'sdValid' | 'w3cRevoked' | 'w3cValid', string>;
/** The real lists, as each issuer publishes them. */
const lists = {} as Record<'aToken2' | 'aRev2' | 'bToken1' | 'bRev1' | 'aTokenExpired' | 'aRev1Expired', string>;
let valid: TrustBundle;
let wallet: TestWallet;
const walletIds = {} as Record<'dc+sd-jwt' | 'vc+sd-jwt', string>;

const nowS = () => Math.floor(Date.now() / 1000);

/** The holder keeps every disclosure and adds a fresh KB-JWT. */
async function present(credential: string): Promise<string> {
  const parsed = parseSdJwt(credential);
  const sdJwt = `${[parsed.jwt, ...parsed.disclosures.map((d) => d.encoded)].join('~')}~`;
  return sdJwt + (await kbJwt(sdJwt, holder.priv, { iat: nowS() }));
}

/** A real published list re-signed by the same issuer's key with its validity ended an hour ago. */
async function expired(ctx: IssuerContext, jwt: string): Promise<string> {
  const { header, payload } = decodeCompact<Record<string, unknown>>(jwt);
  const out: Record<string, unknown> = { ...payload, iat: nowS() - 7200, exp: nowS() - 3600 };
  if ('validUntil' in out)
    Object.assign(out, { validFrom: new Date((nowS() - 7200) * 1000).toISOString(), validUntil: new Date((nowS() - 3600) * 1000).toISOString() });
  const { alg: _alg, ...rest } = header;
  return signCompact(rest, out, ctx.signer);
}

async function published(ctx: IssuerContext, id: number, kind: 'token' | 'revocation'): Promise<string> {
  const p = kind === 'token' ? await statusPublisher(ctx).token(id) : await statusPublisher(ctx).bitstringCredential(id, kind);
  if (!p) throw new Error(`issuer has no list ${id}`);
  return p.body;
}

beforeAll(async () => {
  a = await startTestIssuer({ tmpPrefix: 'netcred-binding-a-' });
  // Serve substituted bodies in front of A's own app, on A's own port and URLs.
  const server = a.server.server;
  const app = server.listeners('request').at(-1) as (req: IncomingMessage, res: ServerResponse) => void; // the app comes last
  server.removeListener('request', app);
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const body = substitutes.get((req.url ?? '').split('?')[0]!);
    if (body === undefined) return app(req, res);
    res.writeHead(200, { 'content-type': 'application/jwt' });
    res.end(body);
  });

  const issue = (format: 'dc+sd-jwt' | 'vc+sd-jwt', birthdate: string) =>
    issueCredential(a.ctx, { holderDid: holder.did, claims: sampleIdentityClaims({ birthdate }), format });
  const sdRevoked = await issue('dc+sd-jwt', '1970-01-01');
  const w3cRevoked = await issue('vc+sd-jwt', '1971-01-01');
  creds.sdRevoked = sdRevoked.credential;
  creds.w3cRevoked = w3cRevoked.credential;
  creds.sdValid = (await issue('dc+sd-jwt', '1972-01-01')).credential;
  creds.w3cValid = (await issue('vc+sd-jwt', '1973-01-01')).credential;
  await revokeCredential(a.ctx, sdRevoked.id, 'admin', 'binding-test');
  await revokeCredential(a.ctx, w3cRevoked.id, 'admin', 'binding-test');
  // A wallet holding two revoked credentials of list 1.
  wallet = await newTestWallet();
  for (const format of ['dc+sd-jwt', 'vc+sd-jwt'] as const) {
    const issued = await issueCredential(a.ctx, { holderDid: wallet.key.did, claims: sampleIdentityClaims({ birthdate: '1974-01-01' }), format });
    await revokeCredential(a.ctx, issued.id, 'admin', 'binding-test');
    walletIds[format] = (await importCredential(wallet.wallet, issued.credential)).id;
  }
  list1 = listUri(a.ctx, 1);
  rev1 = bitstringCredentialUri(list1, 'revocation');
  // A second list of A (empty): validly signed by A, but the list of another URL.
  await writeTransaction(a.ctx.dataSource, (tx) => insertList(tx, (id) => listUri(a.ctx, id), 16384, 2));
  list2 = listUri(a.ctx, 2);

  bIssuer = await initTestIssuer({ publicUrl: a.url });
  b = bIssuer.ctx;
  await issueCredential(b, { holderDid: holder.did, claims: sampleIdentityClaims() }); // opens B's list 1, named with A's URL

  lists.aToken2 = await published(a.ctx, 2, 'token');
  lists.aRev2 = await published(a.ctx, 2, 'revocation');
  lists.bToken1 = await published(b, 1, 'token');
  lists.bRev1 = await published(b, 1, 'revocation');
  lists.aTokenExpired = await expired(a.ctx, await published(a.ctx, 1, 'token'));
  lists.aRev1Expired = await expired(a.ctx, await published(a.ctx, 1, 'revocation'));
  expect(decodeCompact<{ sub: string; iss: string }>(lists.bToken1).payload).toMatchObject({ sub: list1, iss: b.issuerDid });

  valid = (await syncIssuer(emptyTrustBundle(), a.url)).bundle;
}, 120_000);

afterAll(async () => {
  await wallet?.cleanup();
  await a?.close();
  await bIssuer?.close();
  tmp.cleanup();
});

const verify = async (credential: string, trust: TrustStore) => verifyPresentation(await present(credential), { trust, aud: AUD });

describe('the valid case', () => {
  it('a synced bundle of real lists: valid credentials pass, revoked ones are STATUS_REVOKED, in both formats', async () => {
    expect(valid.statusLists.map((s) => s.uri).sort()).toEqual(
      [list1, `${list1}/bitstring/revocation`, `${list1}/bitstring/suspension`, list2, `${list2}/bitstring/revocation`, `${list2}/bitstring/suspension`].sort(),
    );
    const store = new TrustStore(valid);
    expect(store.refusedStatusLists()).toEqual([]);
    expect(await verify(creds.sdValid, store)).toMatchObject({ valid: true, format: 'dc+sd-jwt', status: { value: 0 } });
    expect(await verify(creds.w3cValid, store)).toMatchObject({ valid: true, format: 'vc+sd-jwt', status: { value: 0 } });
    expect((await verify(creds.sdRevoked, store)).code).toBe('STATUS_REVOKED');
    expect((await verify(creds.w3cRevoked, store)).code).toBe('STATUS_REVOKED');
  });
});

describe('verifier sync refuses a list that is not bound to its URL and issuer, or expired', () => {
  const cases: { name: string; path: () => string; body: () => string; code: string }[] = [
    { name: "a W3C list credential of another URL (A's list 2 at list 1)", path: () => rev1, body: () => lists.aRev2, code: 'STATUS_LIST_MISMATCH' },
    { name: "a W3C list credential of another issuer (B's, naming A's URL)", path: () => rev1, body: () => lists.bRev1, code: 'STATUS_LIST_MISMATCH' },
    { name: 'an expired W3C list credential (validUntil passed)', path: () => rev1, body: () => lists.aRev1Expired, code: 'STATUS_LIST_STALE' },
    { name: 'an IETF status list token of another URL (sub of list 2)', path: () => list1, body: () => lists.aToken2, code: 'STATUS_LIST_MISMATCH' },
    { name: 'an IETF status list token of another issuer (iss B)', path: () => list1, body: () => lists.bToken1, code: 'STATUS_LIST_MISMATCH' },
    { name: 'an expired IETF status list token (exp passed)', path: () => list1, body: () => lists.aTokenExpired, code: 'STATUS_LIST_STALE' },
  ];
  for (const c of cases) {
    it(`${c.name}: ${c.code}, naming the URL`, async () => {
      substitutes.set(new URL(c.path()).pathname, c.body());
      try {
        const err = await syncIssuer(emptyTrustBundle(), a.url).then(
          () => undefined,
          (e: unknown) => e,
        );
        expect(err).toBeInstanceOf(NetcredError);
        expect(err).toMatchObject({ code: c.code });
        expect((err as Error).message).toContain(c.path());
      } finally {
        substitutes.clear();
      }
    });
  }

  it('CLI: netcred verifier sync exits 2 with the code and leaves the bundle file as it was', { timeout: 120_000 }, async () => {
    const file = path.join(tmp.dir, 'cli-bundle.json');
    writeTrustBundle(file, valid);
    const before = readFileSync(file, 'utf8');
    substitutes.set(new URL(rev1).pathname, lists.aRev2);
    try {
      const r = await runCli(['verifier', 'sync', '--issuer', a.url, '--bundle', file]);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toContain('STATUS_LIST_MISMATCH');
      expect(r.stderr).toContain(rev1);
    } finally {
      substitutes.clear();
    }
    expect(readFileSync(file, 'utf8')).toBe(before);
  });
});

describe('bundle load and verification refuse a list that is not bound to the credential', () => {
  /** The synced bundle with the list stored under `uri` replaced (and B trusted), written to a file and loaded again. */
  function tampered(uri: string, replace: Partial<StatusListEntry>, name: string): TrustStore {
    let bundle: TrustBundle = { ...valid, statusLists: valid.statusLists.map((s) => (s.uri === uri ? { ...s, ...replace } : s)) };
    if (replace.issuer === b.issuerDid) bundle = addDidIssuer(bundle, b.issuerDid, [RESIDENT_IDENTITY_VCT]);
    const file = path.join(tmp.dir, `${name}.json`);
    writeFileSync(file, JSON.stringify(bundle));
    return loadTrustBundle(file);
  }

  it("W3C, another URL: a revoked credential does not pass on list 2's credential (refused at load, STATUS_LIST_MISMATCH)", async () => {
    const store = tampered(rev1, { jwt: lists.aRev2 }, 'w3c-url');
    expect(await verify(creds.w3cRevoked, store)).toMatchObject({ valid: false, code: 'STATUS_LIST_MISMATCH' });
    expect(store.refusedStatusLists()).toEqual([{ uri: rev1, reason: expect.stringContaining(`${list2}/bitstring/revocation`) }]);
    expect(store.statusList(rev1)).toBeUndefined();
    expect(await verify(creds.w3cValid, store)).toMatchObject({ valid: false, code: 'STATUS_LIST_MISMATCH' });
    // the rest of the bundle still works
    expect((await verify(creds.sdValid, store)).valid).toBe(true);
  });

  it("W3C, another issuer: B's list under A's URL answers for none of A's credentials (STATUS_LIST_MISMATCH)", async () => {
    const store = tampered(rev1, { jwt: lists.bRev1, issuer: b.issuerDid }, 'w3c-issuer');
    expect(store.refusedStatusLists()).toEqual([]); // bound to its own entry: only the credential's issuer tells
    expect(await verify(creds.w3cRevoked, store)).toMatchObject({ valid: false, code: 'STATUS_LIST_MISMATCH' });
    // and the same list filed as A's does not even load: A did not sign it
    expect(() => tampered(rev1, { jwt: lists.bRev1 }, 'w3c-issuer-as-a')).toThrow(expect.objectContaining({ code: 'TRUST_BUNDLE_INVALID' }));
  });

  it('W3C, expired: loads, and is STATUS_LIST_STALE when used', async () => {
    const store = tampered(rev1, { jwt: lists.aRev1Expired }, 'w3c-expired');
    expect(store.refusedStatusLists()).toEqual([]);
    expect(await verify(creds.w3cValid, store)).toMatchObject({ valid: false, code: 'STATUS_LIST_STALE' });
  });

  it("IETF, another URL: list 2's token under list 1 (refused at load, STATUS_LIST_MISMATCH)", async () => {
    const store = tampered(list1, { jwt: lists.aToken2 }, 'token-url');
    expect(store.refusedStatusLists()).toEqual([{ uri: list1, reason: expect.stringContaining(list2) }]);
    expect(await verify(creds.sdRevoked, store)).toMatchObject({ valid: false, code: 'STATUS_LIST_MISMATCH' });
    expect((await verify(creds.w3cValid, store)).valid).toBe(true);
  });

  it("IETF, another issuer: B's token with A's URL as sub (STATUS_LIST_MISMATCH)", async () => {
    const store = tampered(list1, { jwt: lists.bToken1, issuer: b.issuerDid }, 'token-issuer');
    expect(await verify(creds.sdRevoked, store)).toMatchObject({ valid: false, code: 'STATUS_LIST_MISMATCH' });
    expect(await verify(creds.sdValid, store)).toMatchObject({ valid: false, code: 'STATUS_LIST_MISMATCH' });
  });

  it('IETF, expired: loads, and is STATUS_LIST_STALE when used', async () => {
    const store = tampered(list1, { jwt: lists.aTokenExpired }, 'token-expired');
    expect(store.refusedStatusLists()).toEqual([]);
    expect(await verify(creds.sdValid, store)).toMatchObject({ valid: false, code: 'STATUS_LIST_STALE' });
  });

  it('CLI: netcred verify with a tampered bundle exits 1 with STATUS_LIST_MISMATCH', { timeout: 120_000 }, async () => {
    tampered(rev1, { jwt: lists.aRev2 }, 'cli-tampered');
    const p = path.join(tmp.dir, 'w3c-revoked.txt');
    writeFileSync(p, await present(creds.w3cRevoked));
    const r = await runCli(['verify', p, '--bundle', path.join(tmp.dir, 'cli-tampered.json'), '--aud', AUD]);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stdout).toContain('STATUS_LIST_MISMATCH');
  });
});

describe("the wallet's sync applies the same rule", () => {
  it('a list of another URL is reported (W3C: STATUS_LIST_MISMATCH, token: STATUS_LIST_URI_MISMATCH) and nothing is deleted; the real lists delete both', async () => {
    substitutes.set(new URL(rev1).pathname, lists.aRev2);
    substitutes.set(new URL(list1).pathname, lists.aToken2);
    try {
      const report = await syncWallet(wallet.wallet);
      expect(report.deleted).toEqual([]);
      expect(Object.fromEntries(report.errors.map((e) => [e.id, e.code]))).toEqual({
        [walletIds['vc+sd-jwt']]: 'STATUS_LIST_MISMATCH',
        [walletIds['dc+sd-jwt']]: 'STATUS_LIST_URI_MISMATCH',
      });
    } finally {
      substitutes.clear();
    }
    const report = await syncWallet(wallet.wallet);
    expect(report.errors).toEqual([]);
    expect(report.deleted.map((d) => d.id).sort()).toEqual([walletIds['dc+sd-jwt'], walletIds['vc+sd-jwt']].sort());
  });
});

/**
 * Status rules a mutation audit found untested: each test fails if its rule in
 * verifier/status/check-status.ts is removed (a credential would pass).
 */
describe('status rules of check-status', () => {
  const V2 = 'https://www.w3.org/ns/credentials/v2';
  const W3C_LIST = 'https://issuer.example/status/w3c/revocation';
  const LITE = ['given_name', 'family_name', 'age_over_18'];
  let w: World;

  beforeAll(async () => {
    w = await world();
  });

  /** A W3C list credential signed by the world's issuer; bit 42 set. */
  async function listCredential(uri: string, statusPurpose: string | undefined): Promise<StatusListEntry> {
    const bits = new Bitstring(131072);
    bits.set(42, true);
    const subject: Record<string, unknown> = { id: `${uri}#list`, type: 'BitstringStatusList', encodedList: bits.encode() };
    if (statusPurpose !== undefined) subject.statusPurpose = statusPurpose;
    const vc = {
      '@context': [V2],
      id: uri,
      type: ['VerifiableCredential', 'BitstringStatusListCredential'],
      issuer: w.issuer.did,
      validFrom: new Date((NOW_S - 600) * 1000).toISOString(),
      credentialSubject: subject,
    };
    const jwt = await signCompact(
      { typ: 'vc+jwt', kid: w.issuer.kid },
      { ...vc, iss: w.issuer.did, iat: NOW_S - 600 },
      keyObjectSigner(w.issuer.priv, w.issuer.kid),
    );
    return { uri, kind: 'bitstring', issuer: w.issuer.did, jwt, fetchedAt: new Date((NOW_S - 600) * 1000).toISOString() };
  }

  /** A vc+sd-jwt credential of the world's issuer with one BitstringStatusListEntry. */
  async function w3cPresentation(entry: Record<string, unknown>): Promise<string> {
    const plain = {
      '@context': [V2],
      type: ['VerifiableCredential', 'ResidentIdentityCredential'],
      issuer: w.issuer.did,
      validFrom: new Date((NOW_S - 3600) * 1000).toISOString(),
      credentialStatus: { type: 'BitstringStatusListEntry', statusListCredential: W3C_LIST, ...entry },
      vct: undefined,
    };
    const cred = await mint(w.issuer, {
      typ: 'vc+sd-jwt',
      holder: w.holder.pub,
      plain,
      sd: { credentialSubject: { given_name: 'Ada', family_name: 'Lovelace', age_over_18: true } },
    });
    return presentFixture(cred, ['credentialSubject'], w.holder.priv);
  }

  it('(1) status values other than 0, 1, 2 (3, reserved, 0x0C-0x0F) are STATUS_UNKNOWN, never VALID', async () => {
    const list = new StatusList(64, 4);
    const values = [0, 1, 2, 3, 4, 0x0b, 0x0c, 0x0d, 0x0f];
    values.forEach((v, i) => {
      list.set(i, v);
    });
    const store = new TrustStore({ ...w.bundle, statusLists: [await statusEntry(w.issuer, list)] });
    const codes: Record<number, string | undefined> = {};
    for (const [i, v] of values.entries()) {
      const cred = await w.mintIdentity({ idx: i, statusUri: STATUS_URI });
      codes[v] = verifyPresentation(await presentFixture(cred, LITE, w.holder.priv), { trust: store, aud: AUD, now: NOW }).code;
    }
    expect(codes).toEqual({
      0: undefined,
      1: 'STATUS_REVOKED',
      2: 'STATUS_SUSPENDED',
      3: 'STATUS_UNKNOWN',
      4: 'STATUS_UNKNOWN',
      11: 'STATUS_UNKNOWN',
      12: 'STATUS_UNKNOWN',
      13: 'STATUS_UNKNOWN',
      15: 'STATUS_UNKNOWN',
    });
    // value 3 of a 2-bit list too
    const two = new StatusList(16, 2);
    two.set(9, 3);
    const store2 = new TrustStore({ ...w.bundle, statusLists: [await statusEntry(w.issuer, two)] });
    const cred = await w.mintIdentity({ idx: 9 });
    expect(verifyPresentation(await presentFixture(cred, LITE, w.holder.priv), { trust: store2, aud: AUD, now: NOW }).code).toBe('STATUS_UNKNOWN');
  });

  it("(2) a W3C entry whose statusPurpose is not the list's purpose is STATUS_UNKNOWN", async () => {
    const store = new TrustStore({ ...w.bundle, statusLists: [await listCredential(W3C_LIST, 'revocation')] });
    const run = async (entry: Record<string, unknown>) => verifyPresentation(await w3cPresentation(entry), { trust: store, aud: AUD, now: NOW });
    expect(await run({ statusPurpose: 'revocation', statusListIndex: '7' })).toMatchObject({ valid: true });
    expect((await run({ statusPurpose: 'revocation', statusListIndex: '42' })).code).toBe('STATUS_REVOKED');
    // a suspension entry read on the revocation list: its clear bit must not say "not suspended"
    expect(await run({ statusPurpose: 'suspension', statusListIndex: '7' })).toMatchObject({ valid: false, code: 'STATUS_UNKNOWN' });
    // a list that states no purpose answers for none
    const purposeless = new TrustStore({ ...w.bundle, statusLists: [await listCredential(W3C_LIST, undefined)] });
    expect(
      verifyPresentation(await w3cPresentation({ statusPurpose: 'revocation', statusListIndex: '7' }), { trust: purposeless, aud: AUD, now: NOW }).code,
    ).toBe('STATUS_UNKNOWN');
  });

  it('(3) a W3C entry with a statusSize other than 1 is STATUS_UNKNOWN', async () => {
    const store = new TrustStore({ ...w.bundle, statusLists: [await listCredential(W3C_LIST, 'revocation')] });
    const run = async (entry: Record<string, unknown>) => verifyPresentation(await w3cPresentation(entry), { trust: store, aud: AUD, now: NOW });
    expect(await run({ statusPurpose: 'revocation', statusListIndex: '7', statusSize: 1 })).toMatchObject({ valid: true });
    for (const statusSize of [2, 8]) {
      expect(await run({ statusPurpose: 'revocation', statusListIndex: '7', statusSize })).toMatchObject({ valid: false, code: 'STATUS_UNKNOWN' });
    }
  });
});
