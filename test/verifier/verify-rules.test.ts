// Each rule of the verifier's offline pipeline (verifier/verify.ts), its status check
// (verifier/status/check-status.ts, list-binding.ts) and its single-use stores (verifier/replay/*)
// pinned by a test that fails when the rule is broken: the verdict's code, the message where it
// names the rule, and both sides of every bound. Real keys, real signed lists, the real Redis.
import { createHash, createPublicKey } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  Bitstring,
  createCertificate,
  createCertificateAuthority,
  encodeQrTransport,
  jwkThumbprint,
  keyObjectSigner,
  signCompact,
  StatusList,
  x5cOf,
} from '../../core/index.js';
import { RESIDENT_IDENTITY_VCT } from '../../schemas/index.js';
import {
  addDidIssuer,
  addX509Roots,
  emptyTrustBundle,
  connectRedisState,
  createVerifier,
  DEFAULTS,
  NonceStore,
  NonceStoreFullError,
  ReplayCache,
  TrustStore,
  VERIFY_CODES,
  verifyPresentation,
  verifyPresentationAsync,
  type RedisState,
  type SharedVerifierOptions,
  type StatusListEntry,
  type VerificationResult,
  type VerifierOptions,
  type VerifyRequest,
} from '../../verifier/index.js';
// Internal on purpose: the key the pipeline remembers a proof under.
import { replayKey } from '../../verifier/replay/replay-cache.js';
import { tempDir } from '../helpers/tmp.js';
import { AUD, mint, NOW, NOW_S, party, present, sdJwtOf, statusEntry, STATUS_URI, world, type Issued, type World } from './helpers/fixture.js';
import { REDIS_URL, requireRedis, uniquePrefix } from './helpers/redis.js';

const LITE = ['given_name', 'family_name', 'age_over_18'];
const V2 = 'https://www.w3.org/ns/credentials/v2';
const REV_LIST = 'https://issuer.example/status/w3c/revocation';
const SUS_LIST = 'https://issuer.example/status/w3c/suspension';
const CODES = new Set<string>(VERIFY_CODES);
const DAY = 86400;
/** A type the world's issuer is trusted for that has no type metadata (no schema). */
const BADGE = 'urn:example:vct:badge:1';
const badgeStore = () => new TrustStore(addDidIssuer(w.bundle, w.issuer.did, [RESIDENT_IDENTITY_VCT, BADGE], NOW));
const untrusting = () => new TrustStore({ ...w.bundle, issuers: [], statusLists: [] });

let w: World;
let cred: Issued;
const tmp = tempDir('netcred-verify-rules-');
afterAll(() => tmp.cleanup());

beforeAll(async () => {
  w = await world();
  cred = await w.mintIdentity();
});

type Opts = VerifierOptions & VerifyRequest;
const base = (extra: Partial<Opts> = {}): Opts => ({ trust: w.store, aud: AUD, now: NOW, ...extra });
type AsyncOpts = SharedVerifierOptions & VerifyRequest;
const abase = (extra: Partial<AsyncOpts> = {}): AsyncOpts => ({ trust: w.store, aud: AUD, now: NOW, ...extra });
const verify = (p: string, extra: Partial<Opts> = {}) => verifyPresentation(p, base(extra));
/** A rejection: valid false, a stable verdict code (checked against VERIFY_CODES). */
function rejection(r: VerificationResult): { code: string; message: string } {
  expect(r.valid).toBe(false);
  expect(CODES.has(r.code!)).toBe(true);
  return { code: r.code!, message: r.message! };
}

/** A W3C Bitstring status list credential of the world's issuer; the given bits set. */
async function bitstringList(
  uri: string,
  purpose: string | string[] | undefined,
  opts: { set?: number[]; fetchedAgo?: number; ttlMs?: number } = {},
): Promise<StatusListEntry> {
  const bits = new Bitstring(131072);
  for (const i of opts.set ?? []) bits.set(i, true);
  const subject: Record<string, unknown> = { id: `${uri}#list`, type: 'BitstringStatusList', encodedList: bits.encode() };
  if (purpose !== undefined) subject.statusPurpose = purpose;
  if (opts.ttlMs !== undefined) subject.ttl = opts.ttlMs;
  const vc = {
    '@context': [V2],
    id: uri,
    type: ['VerifiableCredential', 'BitstringStatusListCredential'],
    issuer: w.issuer.did,
    validFrom: new Date((NOW_S - 10 * DAY) * 1000).toISOString(),
    credentialSubject: subject,
  };
  const jwt = await signCompact(
    { typ: 'vc+jwt', kid: w.issuer.kid },
    { ...vc, iss: w.issuer.did, iat: NOW_S - 10 * DAY },
    keyObjectSigner(w.issuer.priv, w.issuer.kid),
  );
  return { uri, kind: 'bitstring', issuer: w.issuer.did, jwt, fetchedAt: new Date((NOW_S - (opts.fetchedAgo ?? 600)) * 1000).toISOString() };
}

/** A vc+sd-jwt credential of the world's issuer, presented with its subject disclosed. */
async function w3cPresentation(opts: { status?: unknown; subject?: Record<string, unknown>; plain?: Record<string, unknown> } = {}): Promise<string> {
  const plain: Record<string, unknown> = {
    '@context': [V2],
    type: ['VerifiableCredential', 'ResidentIdentityCredential'],
    issuer: w.issuer.did,
    validFrom: new Date((NOW_S - 3600) * 1000).toISOString(),
    vct: undefined,
    ...opts.plain,
  };
  if (opts.status !== undefined) plain.credentialStatus = opts.status;
  const c = await mint(w.issuer, {
    typ: 'vc+sd-jwt',
    holder: w.holder.pub,
    plain,
    sd: { credentialSubject: opts.subject ?? { given_name: 'Ada', family_name: 'Lovelace', age_over_18: true } },
  });
  return present(c, ['credentialSubject'], w.holder.priv);
}

const entry = (purpose: string, index: number, list: string, extra: Record<string, unknown> = {}) => ({
  type: 'BitstringStatusListEntry',
  statusPurpose: purpose,
  statusListIndex: String(index),
  statusListCredential: list,
  ...extra,
});

const withLists = (...lists: StatusListEntry[]) => new TrustStore({ ...w.bundle, statusLists: [...w.bundle.statusLists, ...lists] });

describe('verify.ts: the defaults', () => {
  it('DEFAULTS: 60 s clock skew, KB-JWTs at most 300 s old, status lists at most 7 days old', () => {
    expect(DEFAULTS).toStrictEqual({ clockSkewSeconds: 60, kbMaxAgeSeconds: 300, maxStatusAgeSeconds: 604800 });
  });

  it('a KB-JWT is accepted up to kbMaxAge + skew seconds old (default 300 + 60), KB_JWT_STALE one second later', async () => {
    expect(verify(await present(cred, LITE, w.holder.priv, { iat: NOW_S - 360 })).valid).toBe(true);
    expect(rejection(verify(await present(cred, LITE, w.holder.priv, { iat: NOW_S - 361 }))).code).toBe('KB_JWT_STALE');
  });

  it('kbMaxAgeSeconds and clockSkewSeconds of the options bound the KB-JWT age', async () => {
    const opts = { kbMaxAgeSeconds: 10, clockSkewSeconds: 5 };
    expect(verify(await present(cred, LITE, w.holder.priv, { iat: NOW_S - 15 }), opts).valid).toBe(true);
    expect(rejection(verify(await present(cred, LITE, w.holder.priv, { iat: NOW_S - 16 }), opts)).code).toBe('KB_JWT_STALE');
  });

  it('the default clock skew (60 s) applies to nbf: nbf = now + 60 passes, now + 61 is CREDENTIAL_NOT_YET_VALID; skew 0 refuses now + 1', async () => {
    const at60 = await present(await w.mintIdentity({ plain: { nbf: NOW_S + 60 } }), LITE, w.holder.priv);
    const at61 = await present(await w.mintIdentity({ plain: { nbf: NOW_S + 61 } }), LITE, w.holder.priv);
    const at1 = await present(await w.mintIdentity({ plain: { nbf: NOW_S + 1 } }), LITE, w.holder.priv);
    expect(verify(at60).valid).toBe(true);
    expect(rejection(verify(at61)).code).toBe('CREDENTIAL_NOT_YET_VALID');
    expect(verify(at1).valid).toBe(true);
    expect(rejection(verify(at1, { clockSkewSeconds: 0 })).code).toBe('CREDENTIAL_NOT_YET_VALID');
  });

  it('the default clock skew applies to exp: exp = now - 59 passes, now - 60 is CREDENTIAL_EXPIRED; skew 0 refuses exp = now', async () => {
    const e59 = await present(await w.mintIdentity({ exp: NOW_S - 59 }), LITE, w.holder.priv);
    const e60 = await present(await w.mintIdentity({ exp: NOW_S - 60 }), LITE, w.holder.priv);
    expect(verify(e59).valid).toBe(true);
    expect(rejection(verify(e60))).toStrictEqual({
      code: 'CREDENTIAL_EXPIRED',
      message: `the credential expired at ${new Date((NOW_S - 60) * 1000).toISOString()}`,
    });
    const e0 = await present(await w.mintIdentity({ exp: NOW_S }), LITE, w.holder.priv);
    expect(verify(e0).valid).toBe(true);
    expect(rejection(verify(e0, { clockSkewSeconds: 0 })).code).toBe('CREDENTIAL_EXPIRED');
  });

  it('a status list is used up to 7 days after its fetch (default maxStatusAge), STATUS_LIST_STALE one second later, naming the age and the bound', async () => {
    const at = (ago: number) =>
      new TrustStore({ ...w.bundle, statusLists: [{ ...w.bundle.statusLists[0]!, fetchedAt: new Date((NOW_S - ago) * 1000).toISOString() }] });
    const p = await present(cred, LITE, w.holder.priv);
    expect(verify(p, { trust: at(604800) })).toMatchObject({ valid: true, status: { value: 0, listAge: 604800, pastTtl: true } });
    const stale = rejection(verify(p, { trust: at(604801) }));
    expect(stale).toStrictEqual({ code: 'STATUS_LIST_STALE', message: `status list ${STATUS_URI} was fetched 604801 s ago (max 604800 s)` });
    // maxStatusAgeSeconds of the options, both sides
    expect(verify(p, { trust: at(1000), maxStatusAgeSeconds: 1000 }).valid).toBe(true);
    expect(rejection(verify(p, { trust: at(1001), maxStatusAgeSeconds: 1000 })).code).toBe('STATUS_LIST_STALE');
  });
});

describe('verify.ts: options of the pipeline', () => {
  it('formats: a typ outside the accepted formats is TYP_INVALID, naming them; the issuer is reported', async () => {
    const r = verify(await present(cred, LITE, w.holder.priv), { formats: ['vc+sd-jwt'] });
    expect(rejection(r)).toStrictEqual({ code: 'TYP_INVALID', message: 'typ dc+sd-jwt is not one of vc+sd-jwt' });
    expect(r).toMatchObject({ issuer: w.issuer.did, format: null, vct: null });
    expect(verify(await present(cred, LITE, w.holder.priv), { formats: ['dc+sd-jwt'] }).valid).toBe(true);
  });

  it('algorithms: an issuer alg outside the list is ALG_NOT_ALLOWED; the list binds the KB-JWT too', async () => {
    const r = verify(await present(cred, LITE, w.holder.priv), { algorithms: ['ES256'] });
    expect(rejection(r)).toStrictEqual({ code: 'ALG_NOT_ALLOWED', message: 'issuer JWT alg EdDSA is not allowed' });
    expect(rejection(verify(await present(cred, LITE, w.holder.priv), { algorithms: ['EdDSA'] })).code).toBe('KB_JWT_INVALID');
    expect(verify(await present(cred, LITE, w.holder.priv), { algorithms: ['EdDSA', 'ES256'] }).valid).toBe(true);
  });

  it('maxPresentationBytes: exactly the size passes, one byte less is INPUT_TOO_LARGE', async () => {
    const p = await present(cred, LITE, w.holder.priv);
    expect(verify(p, { maxPresentationBytes: p.length }).valid).toBe(true);
    expect(rejection(verify(p, { maxPresentationBytes: p.length - 1 }))).toStrictEqual({
      code: 'INPUT_TOO_LARGE',
      message: `the presentation exceeds ${p.length - 1} bytes`,
    });
  });

  it('the QR form (NC1:) is decoded, surrounding whitespace trimmed, and bounded by maxPresentationBytes while inflating', async () => {
    const p = await present(cred, LITE, w.holder.priv, { nonce: 'qr-rules' });
    const qr = encodeQrTransport(p);
    expect(verify(`  ${qr}\n`)).toMatchObject({ valid: true, keyBinding: { nonce: 'qr-rules' } });
    // the decoder itself refuses to rebuild past the bound (not the SD-JWT size check after it)
    expect(rejection(verify(qr, { maxPresentationBytes: 1000 }))).toStrictEqual({
      code: 'MALFORMED',
      message: 'QR payload is malformed: rebuilt text exceeds the limit',
    });
    expect(verify(encodeQrTransport(await present(cred, LITE, w.holder.priv, { nonce: 'qr-rules-2' })), { maxPresentationBytes: 3000 }).valid).toBe(true);
  });

  it('requireKeyBinding false: a presentation without KB-JWT is valid, keyBinding null and notChecked ["keyBinding"]', async () => {
    const r = verify(sdJwtOf(cred.jwt, cred.all), { requireKeyBinding: false });
    expect(r).toMatchObject({ valid: true, keyBinding: null, holderKey: w.holder.pub, notChecked: ['keyBinding'] });
    expect(rejection(verify(sdJwtOf(cred.jwt, cred.all))).code).toBe('KB_JWT_MISSING');
  });

  it('a credential without cnf verifies without key binding: holderKey null', async () => {
    const c = await mint(w.issuer, { holder: null, sd: { given_name: 'A' }, plain: { status: { status_list: { idx: 1, uri: STATUS_URI } } } });
    expect(verify(sdJwtOf(c.jwt, c.all), { requireKeyBinding: false })).toMatchObject({ valid: true, holderKey: null, keyBinding: null });
  });

  it('checkStatus false: the lists are not read (a revoked entry passes), status is null and notChecked says so', async () => {
    const revoked = await present(await w.mintIdentity({ idx: 5 }), LITE, w.holder.priv);
    expect(rejection(verify(revoked)).code).toBe('STATUS_REVOKED');
    const r = verify(revoked, { checkStatus: false });
    expect(r).toMatchObject({ valid: true, notChecked: ['status'] });
    expect(r.status).toStrictEqual({ value: null, listAge: null });
    const both = verify(sdJwtOf(cred.jwt, cred.all), { checkStatus: false, requireKeyBinding: false });
    expect(both.notChecked).toStrictEqual(['keyBinding', 'status']);
    // everything checked: no notChecked at all
    const full = verify(await present(cred, LITE, w.holder.priv));
    expect(full.valid).toBe(true);
    expect('notChecked' in full).toBe(false);
    expect(full.status).toStrictEqual({ value: 0, listAge: 600 });
  });

  it('a valid result carries the KB-JWT aud, nonce and iat', async () => {
    const r = verify(await present(cred, LITE, w.holder.priv, { nonce: 'kb-fields', iat: NOW_S - 7 }));
    expect(r.keyBinding).toStrictEqual({ aud: AUD, nonce: 'kb-fields', iat: NOW_S - 7 });
    expect(r).toMatchObject({ valid: true, issuer: w.issuer.did, vct: RESIDENT_IDENTITY_VCT, format: 'dc+sd-jwt', profile: null });
  });

  it('an invalid verification time is MALFORMED', async () => {
    const r = verify(await present(cred, LITE, w.holder.priv), { now: Number.NaN });
    expect(rejection(r)).toStrictEqual({ code: 'MALFORMED', message: 'the verification time is not a valid date' });
    // a number is milliseconds since the epoch, as a Date
    expect(verify(await present(cred, LITE, w.holder.priv), { now: NOW.getTime() }).valid).toBe(true);
  });
});

describe('verify.ts: profiles', () => {
  it('an unknown built-in profile is MALFORMED, naming it', async () => {
    const r = verify(await present(cred, LITE, w.holder.priv), { profile: 'gold' as never });
    expect(rejection(r)).toStrictEqual({ code: 'MALFORMED', message: 'unknown profile gold' });
    expect(r.profile).toBe('gold');
  });

  it('a built-in profile and a type profile together are MALFORMED', async () => {
    const r = verify(await present(cred, LITE, w.holder.priv), { profile: 'lite', typeProfile: 'door' });
    expect(rejection(r)).toStrictEqual({ code: 'MALFORMED', message: 'give a built-in profile or a type profile, not both' });
  });

  it('upgraded without key binding is PROFILE_NOT_SATISFIED; lite without key binding is fine', async () => {
    const all = Object.keys(cred.disclosures);
    const plain = sdJwtOf(
      cred.jwt,
      all.map((n) => cred.disclosures[n]!),
    );
    const r = verify(plain, { profile: 'upgraded', requireKeyBinding: false, nonce: 'x' });
    expect(rejection(r)).toStrictEqual({ code: 'PROFILE_NOT_SATISFIED', message: 'the upgraded profile needs key binding' });
    expect(verify(plain, { profile: 'lite', requireKeyBinding: false })).toMatchObject({ valid: true, profile: 'lite' });
    expect(verify(await present(cred, all, w.holder.priv, { nonce: 'x' }), { profile: 'upgraded', requireKeyBinding: true, nonce: 'x' }).valid).toBe(true);
  });

  it('upgraded with neither a nonce store nor an expected nonce is PROFILE_NOT_SATISFIED (a holder-chosen nonce is no proof)', async () => {
    const p = await present(cred, Object.keys(cred.disclosures), w.holder.priv, { nonce: 'mine' });
    expect(rejection(verify(p, { profile: 'upgraded' }))).toStrictEqual({
      code: 'PROFILE_NOT_SATISFIED',
      message: 'the upgraded profile needs a nonce this verifier issued',
    });
    expect(verify(p, { profile: 'upgraded', nonce: 'mine' })).toMatchObject({ valid: true, profile: 'upgraded' });
  });

  describe('a type profile of the trust bundle (typeProfile)', () => {
    let store: TrustStore;
    beforeAll(() => {
      const query = { credentials: [{ id: 'id', format: 'dc+sd-jwt', meta: { vct_values: [RESIDENT_IDENTITY_VCT] }, claims: [{ path: ['given_name'] }] }] };
      store = new TrustStore({ ...w.bundle, issuers: w.bundle.issuers.map((i) => ({ ...i, profiles: { [RESIDENT_IDENTITY_VCT]: { door: query } } })) });
    });

    it('is checked: satisfied it is the result profile; a missing claim or an unknown name is PROFILE_NOT_SATISFIED with that name', async () => {
      expect(verify(await present(cred, ['given_name'], w.holder.priv), { trust: store, typeProfile: 'door' })).toMatchObject({ valid: true, profile: 'door' });
      const missing = verify(await present(cred, ['family_name'], w.holder.priv), { trust: store, typeProfile: 'door' });
      expect(rejection(missing).code).toBe('PROFILE_NOT_SATISFIED');
      expect(missing.message).toContain(`profile door of ${RESIDENT_IDENTITY_VCT}`);
      expect(missing).toMatchObject({ profile: 'door', issuer: w.issuer.did, vct: RESIDENT_IDENTITY_VCT, format: 'dc+sd-jwt' });
      const unknown = verify(await present(cred, ['given_name'], w.holder.priv), { trust: store, typeProfile: 'gate' });
      expect(rejection(unknown).code).toBe('PROFILE_NOT_SATISFIED');
      expect(unknown.message).toContain('defines no profile gate in the trust bundle (it defines door)');
    });

    it('a stateful rejection (replay) reports the type profile too', async () => {
      const replayCache = new ReplayCache();
      const p = await present(cred, ['given_name'], w.holder.priv, { nonce: 'tp-replay' });
      expect(verify(p, { trust: store, typeProfile: 'door', replayCache }).valid).toBe(true);
      expect(verify(p, { trust: store, typeProfile: 'door', replayCache })).toMatchObject({ valid: false, code: 'KB_JWT_REPLAYED', profile: 'door' });
      const asyncCache = new ReplayCache();
      expect((await verifyPresentationAsync(p, { ...abase({ trust: store, typeProfile: 'door' }), replayCache: asyncCache })).valid).toBe(true);
      expect(await verifyPresentationAsync(p, { ...abase({ trust: store, typeProfile: 'door' }), replayCache: asyncCache })).toMatchObject({
        valid: false,
        code: 'KB_JWT_REPLAYED',
        profile: 'door',
      });
    });
  });
});

describe('verify.ts: issuer, type and the rejected result', () => {
  it("an SD-JWT VC's issuer is its iss, whatever an `issuer` claim says", async () => {
    const c = await w.mintIdentity({ plain: { vct: BADGE, issuer: 'did:example:someone-else' } });
    expect(verify(await present(c, LITE, w.holder.priv), { trust: badgeStore() })).toMatchObject({ valid: true, issuer: w.issuer.did, vct: BADGE });
  });

  it('an SD-JWT VC without iss is refused, also when its `issuer` claim names a trusted issuer (only W3C credentials fall back to it)', async () => {
    const c = await w.mintIdentity({ plain: { vct: BADGE, iss: undefined, issuer: w.issuer.did } });
    const r = verify(await present(c, LITE, w.holder.priv), { trust: badgeStore() });
    expect(rejection(r)).toStrictEqual({ code: 'ISSUER_UNTRUSTED', message: 'the credential has no iss' });
    expect(r).toMatchObject({ issuer: null });
  });

  it('a W3C credential without iss is the `issuer` (a string or an object with id)', async () => {
    const noIss = { iss: undefined };
    const store = withLists(await bitstringList(REV_LIST, 'revocation'));
    const status = entry('revocation', 7, REV_LIST);
    const asString = await w3cPresentation({ status, plain: noIss });
    expect(verify(asString, { trust: store })).toMatchObject({ valid: true, issuer: w.issuer.did, format: 'vc+sd-jwt' });
    const asObject = await w3cPresentation({ status, plain: { ...noIss, issuer: { id: w.issuer.did, name: 'Issuer' } } });
    expect(verify(asObject, { trust: store })).toMatchObject({ valid: true, issuer: w.issuer.did });
  });

  it('a W3C credential with iss is verified as iss: an `issuer` that differs is ISSUER_UNTRUSTED (issuer does not equal iss)', async () => {
    const store = withLists(await bitstringList(REV_LIST, 'revocation'));
    const p = await w3cPresentation({ status: entry('revocation', 7, REV_LIST), plain: { issuer: 'did:example:someone-else' } });
    expect(rejection(verify(p, { trust: store }))).toStrictEqual({ code: 'ISSUER_UNTRUSTED', message: 'issuer does not equal iss' });
  });

  it('a rejection after the signature reports issuer, vct and format, and nothing else of the credential', async () => {
    const c = await w.mintIdentity({ plain: { vct: 'urn:other:vct' } });
    const r = verify(await present(c, LITE, w.holder.priv), { profile: 'lite' });
    expect(r).toStrictEqual({
      valid: false,
      code: 'ISSUER_UNTRUSTED',
      message: expect.stringContaining('urn:other:vct'),
      issuer: w.issuer.did,
      vct: 'urn:other:vct',
      format: 'dc+sd-jwt',
      claims: {},
      holderKey: null,
      status: { value: null, listAge: null },
      profile: 'lite',
      keyBinding: null,
    });
  });

  it('a rejected W3C credential reports its type as the vct (read before the status check)', async () => {
    const store = withLists(await bitstringList(REV_LIST, 'revocation', { set: [42] }));
    const r = verify(await w3cPresentation({ status: entry('revocation', 42, REV_LIST) }), { trust: store });
    expect(rejection(r)).toStrictEqual({ code: 'STATUS_REVOKED', message: `the credential is revoked (list ${REV_LIST})` });
    expect(r).toMatchObject({ issuer: w.issuer.did, vct: RESIDENT_IDENTITY_VCT, format: 'vc+sd-jwt' });
  });

  it('validUntil is a W3C rule: an SD-JWT VC with a past validUntil claim is not expired by it', async () => {
    const c = await w.mintIdentity({ plain: { vct: BADGE, validUntil: new Date((NOW_S - DAY) * 1000).toISOString() } });
    expect(verify(await present(c, LITE, w.holder.priv), { trust: badgeStore() }).valid).toBe(true);
    const store = withLists(await bitstringList(REV_LIST, 'revocation'));
    const expired = await w3cPresentation({ status: entry('revocation', 7, REV_LIST), plain: { validUntil: new Date((NOW_S - DAY) * 1000).toISOString() } });
    expect(rejection(verify(expired, { trust: store })).code).toBe('CREDENTIAL_EXPIRED');
  });

  it('a type without type metadata in the bundle is not schema-checked', async () => {
    const store = badgeStore();
    expect(store.typeMetadata(BADGE)).toBeUndefined();
    const c = await w.mintIdentity({ plain: { vct: BADGE, extra: 1 } });
    expect(verify(await present(c, ['given_name'], w.holder.priv), { trust: store })).toMatchObject({ valid: true, vct: BADGE });
  });

  it("a W3C subject's schema is checked without the holder id: an id passes, a bad claim is SCHEMA_INVALID", async () => {
    const store = withLists(await bitstringList(REV_LIST, 'revocation'));
    const status = entry('revocation', 7, REV_LIST);
    const withId = await w3cPresentation({ status, subject: { id: w.holder.did, given_name: 'Ada', family_name: 'Lovelace', age_over_18: true } });
    expect(verify(withId, { trust: store })).toMatchObject({ valid: true, claims: { credentialSubject: { id: w.holder.did } } });
    const bad = await w3cPresentation({ status, subject: { given_name: 'Ada', family_name: 'Lovelace', age_over_18: 'yes' } });
    expect(rejection(verify(bad, { trust: store })).code).toBe('SCHEMA_INVALID');
  });
});

describe('verify.ts: stateful checks (nonce, replay), last and only for an accepted presentation', () => {
  const upgraded = () => Object.keys(cred.disclosures);

  it('the proof is remembered under replayKey(holder thumbprint, nonce, iat) until iat + kbMaxAge + skew', async () => {
    const replayCache = new ReplayCache();
    const iat = NOW_S - 5;
    const p = await present(cred, LITE, w.holder.priv, { nonce: 'remember-me', iat });
    expect(verify(p, { replayCache }).valid).toBe(true);
    const key = replayKey(jwkThumbprint(w.holder.pub), 'remember-me', iat);
    expect(replayCache.size).toBe(1);
    expect(replayCache.has(key, iat + 300 + 60)).toBe(true);
    expect(replayCache.has(key, iat + 300 + 60 + 1)).toBe(false);
    // with other bounds
    const short = new ReplayCache();
    expect(verify(p, { replayCache: short, kbMaxAgeSeconds: 10, clockSkewSeconds: 5 }).valid).toBe(true);
    expect(short.has(key, iat + 15)).toBe(true);
    expect(short.has(key, iat + 16)).toBe(false);
  });

  it('the same nonce at another iat is another proof; a replay is KB_JWT_REPLAYED with the issuer, vct and format reported', async () => {
    const replayCache = new ReplayCache();
    const a = await present(cred, LITE, w.holder.priv, { nonce: 'same', iat: NOW_S - 5 });
    const b = await present(cred, LITE, w.holder.priv, { nonce: 'same', iat: NOW_S - 6 });
    expect(verify(a, { replayCache }).valid).toBe(true);
    expect(verify(b, { replayCache }).valid).toBe(true);
    const r = verify(a, { replayCache, profile: 'lite' });
    expect(rejection(r)).toStrictEqual({ code: 'KB_JWT_REPLAYED', message: 'this key-binding proof was already used' });
    expect(r).toMatchObject({ issuer: w.issuer.did, vct: RESIDENT_IDENTITY_VCT, format: 'dc+sd-jwt', profile: 'lite', claims: {}, keyBinding: null });
  });

  it('a rejected presentation consumes no nonce and is not remembered', async () => {
    const nonceStore = new NonceStore();
    const replayCache = new ReplayCache();
    const { nonce } = nonceStore.issue();
    // lite claims only: the upgraded profile refuses it before any store is asked
    const p = await present(cred, LITE, w.holder.priv, { nonce });
    expect(rejection(verify(p, { profile: 'upgraded', nonceStore, replayCache })).code).toBe('PROFILE_NOT_SATISFIED');
    expect(replayCache.size).toBe(0);
    expect(verify(p, { replayCache }).valid).toBe(true);
    expect(nonceStore.consume(nonce)).toBe(true);
  });

  it('a refused nonce leaves the proof unremembered (the nonce is checked first)', async () => {
    const nonceStore = new NonceStore();
    const replayCache = new ReplayCache();
    const p = await present(cred, upgraded(), w.holder.priv, { nonce: 'not-issued' });
    expect(rejection(verify(p, { profile: 'upgraded', nonceStore, replayCache }))).toStrictEqual({
      code: 'PROFILE_NOT_SATISFIED',
      message: 'the upgraded profile needs a nonce this verifier issued',
    });
    expect(replayCache.size).toBe(0);
  });

  it('verifyPresentationAsync: an issued nonce is taken once, an unknown one refused, a replay refused, a rejection returned as is', async () => {
    const nonceStore = new NonceStore();
    const replayCache = new ReplayCache();
    const { nonce } = nonceStore.issue();
    const p = await present(cred, upgraded(), w.holder.priv, { nonce });
    const opts = { ...abase({ profile: 'upgraded' }), nonceStore, replayCache };
    expect(await verifyPresentationAsync(p, opts)).toMatchObject({ valid: true, profile: 'upgraded', keyBinding: { nonce } });
    const again = await verifyPresentationAsync(p, opts);
    expect(rejection(again)).toStrictEqual({ code: 'PROFILE_NOT_SATISFIED', message: 'the upgraded profile needs a nonce this verifier issued' });
    expect(again).toMatchObject({ profile: 'upgraded', issuer: w.issuer.did, vct: RESIDENT_IDENTITY_VCT, format: 'dc+sd-jwt' });
    // a replay without the profile (no nonce asked): the proof was remembered on acceptance
    const replayed = await verifyPresentationAsync(p, { ...abase(), replayCache });
    expect(rejection(replayed)).toStrictEqual({ code: 'KB_JWT_REPLAYED', message: 'this key-binding proof was already used' });
    expect(replayed).toMatchObject({ profile: null, issuer: w.issuer.did });
    // no store and no expected nonce: refused; an expected nonce without a store: accepted
    expect((await verifyPresentationAsync(p, abase({ profile: 'upgraded' }))).code).toBe('PROFILE_NOT_SATISFIED');
    expect((await verifyPresentationAsync(p, abase({ profile: 'upgraded', nonce }))).valid).toBe(true);
    // a stateless rejection comes back as it is
    const untrusted = await verifyPresentationAsync(p, abase({ trust: untrusting() }));
    expect(rejection(untrusted).code).toBe('ISSUER_UNTRUSTED');
  });

  it('verifyPresentationAsync: a rejected presentation consumes no nonce; a refused nonce is not remembered', async () => {
    const nonceStore = new NonceStore();
    const replayCache = new ReplayCache();
    const { nonce } = nonceStore.issue();
    const lite = await present(cred, LITE, w.holder.priv, { nonce });
    expect((await verifyPresentationAsync(lite, { ...abase({ profile: 'upgraded' }), nonceStore, replayCache })).code).toBe('PROFILE_NOT_SATISFIED');
    expect(nonceStore.consume(nonce)).toBe(true);
    const p = await present(cred, upgraded(), w.holder.priv, { nonce: 'never-issued' });
    expect((await verifyPresentationAsync(p, { ...abase({ profile: 'upgraded' }), nonceStore, replayCache })).code).toBe('PROFILE_NOT_SATISFIED');
    expect(replayCache.size).toBe(0);
  });
});

describe('verify.ts: createVerifier', () => {
  it('keeps its stores (memory by default, or the ones given), reports maxStatusAge, and swaps its trust store', async () => {
    const v = createVerifier({ trust: w.store, aud: AUD });
    expect(v.nonces).toBeInstanceOf(NonceStore);
    expect(v.replay).toBeInstanceOf(ReplayCache);
    expect(v.nonces).toBe(v.nonces);
    expect(v.maxStatusAgeSeconds).toBe(604800);
    expect(v.trust).toBe(w.store);
    const nonceStore = new NonceStore();
    const replayCache = new ReplayCache();
    const given = createVerifier({ trust: w.store, nonceStore, replayCache, maxStatusAgeSeconds: 3600 });
    expect(given.nonces).toBe(nonceStore);
    expect(given.replay).toBe(replayCache);
    expect(given.maxStatusAgeSeconds).toBe(3600);

    const p = await present(cred, LITE, w.holder.priv, { nonce: 'swap' });
    const empty = untrusting();
    v.setTrust(empty);
    expect(v.trust).toBe(empty);
    expect((await v.verify(p, { now: NOW })).code).toBe('ISSUER_UNTRUSTED');
    v.setTrust(w.store);
    expect((await v.verify(p, { now: NOW })).valid).toBe(true);
    expect((await v.verify(p, { now: NOW })).code).toBe('KB_JWT_REPLAYED');
  });

  it("a request's aud overrides the verifier's default; without one the default applies", async () => {
    const v = createVerifier({ trust: w.store, aud: 'https://default.example' });
    const p = await present(cred, LITE, w.holder.priv, { nonce: 'aud-1' });
    expect((await v.verify(p, { now: NOW })).code).toBe('KB_JWT_AUD_MISMATCH');
    expect((await v.verify(p, { now: NOW, aud: AUD })).valid).toBe(true);
  });

  it('verify() with no request uses the current time', async () => {
    const nowS = Math.floor(Date.now() / 1000);
    const list = await statusEntry(w.issuer, w.list, { fetchedAt: new Date(), iat: nowS - 60 });
    const store = new TrustStore({ ...w.bundle, statusLists: [list] });
    const v = createVerifier({ trust: store, aud: AUD });
    const p = await present(cred, LITE, w.holder.priv, { iat: nowS - 1, nonce: 'real-time' });
    expect(await v.verify(p)).toMatchObject({ valid: true, keyBinding: { iat: nowS - 1 } });
  });
});

describe('verify.ts: the verification time given to the issuer key lookup (an x5c chain is checked at it)', () => {
  const ISS = 'https://issuer.example.org';
  let store: TrustStore;
  let presentation: string;

  beforeAll(async () => {
    const leafKey = party('p256');
    const root = await createCertificateAuthority({ name: 'Verify Rules Root', notBefore: new Date(NOW.getTime() - DAY * 1000) });
    store = new TrustStore(addX509Roots(emptyTrustBundle(NOW), root.certificate.toString(), [RESIDENT_IDENTITY_VCT], NOW).bundle);
    const leaf = await createCertificate({
      issuer: root,
      publicKey: createPublicKey(leafKey.priv),
      subject: 'verify rules issuer',
      dnsNames: ['issuer.example.org'],
      days: 30,
      notBefore: new Date(NOW.getTime() - DAY * 1000),
    });
    const c = await mint(leafKey, { holder: w.holder.pub, kid: null, sd: { given_name: 'Ada' }, payloadExtra: { iss: ISS } });
    // re-signed with the chain in the header
    const [h, pl] = c.jwt.split('.');
    const header = { ...JSON.parse(Buffer.from(h!, 'base64url').toString()), x5c: x5cOf([leaf]) };
    const { alg: _alg, ...rest } = header;
    const jwt = await signCompact(rest, JSON.parse(Buffer.from(pl!, 'base64url').toString()), keyObjectSigner(leafKey.priv));
    presentation = await present({ ...c, jwt }, ['given_name'], w.holder.priv);
  });

  it('a Date and the same instant in ms both verify; NaN is MALFORMED', () => {
    const opts = { trust: store, requireStatus: false };
    expect(verify(presentation, { ...opts, now: NOW })).toMatchObject({ valid: true, issuer: ISS });
    expect(verify(presentation, { ...opts, now: NOW.getTime() })).toMatchObject({ valid: true, issuer: ISS });
    expect(rejection(verify(presentation, { ...opts, now: Number.NaN }))).toStrictEqual({
      code: 'MALFORMED',
      message: 'the verification time is not a valid date',
    });
    // 40 days later the leaf (30 days) has expired
    expect(rejection(verify(presentation, { ...opts, now: NOW.getTime() + 40 * DAY * 1000, checkStatus: false })).code).toBe('X509_CERT_EXPIRED');
  });
});

describe('check-status.ts: IETF token status list', () => {
  const token = (status: unknown) => w.mintIdentity({ plain: { status } });

  it('revoked, suspended and unknown values name the list', async () => {
    const list = new StatusList(16, 2);
    list.set(1, 1);
    list.set(2, 2);
    list.set(3, 3);
    const store = new TrustStore({ ...w.bundle, statusLists: [await statusEntry(w.issuer, list)] });
    const msg = async (idx: number) => rejection(verify(await present(await w.mintIdentity({ idx }), LITE, w.holder.priv), { trust: store }));
    expect(await msg(1)).toStrictEqual({ code: 'STATUS_REVOKED', message: `the credential is revoked (list ${STATUS_URI})` });
    expect(await msg(2)).toStrictEqual({ code: 'STATUS_SUSPENDED', message: `the credential is suspended (list ${STATUS_URI})` });
    expect(await msg(3)).toStrictEqual({ code: 'STATUS_UNKNOWN', message: `status value 3 is not one this verifier understands (list ${STATUS_URI})` });
    expect(await msg(16)).toStrictEqual({ code: 'STATUS_UNKNOWN', message: 'status index 16 is outside the list (size 16)' });
  });

  it('a list not in the bundle is STATUS_UNKNOWN with the sync command; one refused at load is STATUS_LIST_MISMATCH with the reason', async () => {
    const missing = 'https://issuer.example/status/lists/404';
    const r = verify(await present(await w.mintIdentity({ statusUri: missing }), LITE, w.holder.priv));
    expect(rejection(r)).toStrictEqual({
      code: 'STATUS_UNKNOWN',
      message: `no status list ${missing} in the trust bundle: refresh the bundle while online with netcred verifier sync --issuer URL --bundle FILE`,
    });
    // the list of another URL filed under STATUS_URI
    const other = await statusEntry(w.issuer, w.list, { uri: 'https://issuer.example/status/lists/2' });
    const store = new TrustStore({ ...w.bundle, statusLists: [{ ...other, uri: STATUS_URI }] });
    const [refused] = store.refusedStatusLists();
    expect(refused?.uri).toBe(STATUS_URI);
    expect(rejection(verify(await present(cred, LITE, w.holder.priv), { trust: store }))).toStrictEqual({
      code: 'STATUS_LIST_MISMATCH',
      message: refused!.reason,
    });
  });

  it('an expired list token is STATUS_LIST_STALE naming its expiry', async () => {
    const store = new TrustStore({ ...w.bundle, statusLists: [await statusEntry(w.issuer, w.list, { exp: NOW_S - 1 })] });
    const r = rejection(verify(await present(cred, LITE, w.holder.priv), { trust: store }));
    expect(r.code).toBe('STATUS_LIST_STALE');
    expect(r.message).toContain(`expired at ${new Date((NOW_S - 1) * 1000).toISOString()}`);
    // not yet expired: fine
    const live = new TrustStore({ ...w.bundle, statusLists: [await statusEntry(w.issuer, w.list, { exp: NOW_S + 1 })] });
    expect(verify(await present(cred, LITE, w.holder.priv), { trust: live }).valid).toBe(true);
  });

  it('past its ttl only when older than it: age = ttl is not pastTtl, ttl + 1 is; a fetch in the future is age 0', async () => {
    const at = (ago: number) =>
      new TrustStore({ ...w.bundle, statusLists: [{ ...w.bundle.statusLists[0]!, fetchedAt: new Date((NOW_S - ago) * 1000).toISOString() }] });
    const p = await present(cred, LITE, w.holder.priv);
    expect(verify(p, { trust: at(3600) }).status).toStrictEqual({ value: 0, listAge: 3600 });
    expect(verify(p, { trust: at(3601) }).status).toStrictEqual({ value: 0, listAge: 3601, pastTtl: true });
    expect(verify(p, { trust: at(-600) }).status).toStrictEqual({ value: 0, listAge: 0 });
  });

  it('a malformed status reference is MALFORMED, naming the rule (never read from the list)', async () => {
    const cases: [unknown, string][] = [
      [{ status_list: { idx: -1, uri: STATUS_URI } }, 'status.status_list.idx must be a non-negative integer'],
      [{ status_list: { idx: 1.5, uri: STATUS_URI } }, 'status.status_list.idx must be a non-negative integer'],
      [{ status_list: { idx: '1', uri: STATUS_URI } }, 'status.status_list.idx must be a non-negative integer'],
      [{ status_list: 'x' }, 'status.status_list must be an object'],
      [null, 'status claim must be an object'],
    ];
    for (const [status, message] of cases) {
      const r = verify(await present(await token(status), LITE, w.holder.priv));
      expect(rejection(r), JSON.stringify(status)).toStrictEqual({ code: 'MALFORMED', message });
    }
    const badUri = rejection(verify(await present(await token({ status_list: { idx: 1, uri: 5 } }), LITE, w.holder.priv)));
    expect(badUri.code).toBe('MALFORMED');
    expect(badUri.message).toContain('status.status_list.uri');
  });

  it('a token reference to a bitstring list is STATUS_UNKNOWN', async () => {
    const store = new TrustStore({ ...w.bundle, statusLists: [await bitstringList(STATUS_URI, 'revocation')] });
    expect(rejection(verify(await present(cred, LITE, w.holder.priv), { trust: store }))).toStrictEqual({
      code: 'STATUS_UNKNOWN',
      message: `${STATUS_URI} is not a token status list`,
    });
  });

  it('no status reference: STATUS_UNKNOWN saying the verifier requires one', async () => {
    const c = await mint(w.issuer, { holder: w.holder.pub, sd: { given_name: 'A' } });
    expect(rejection(verify(await present(c, ['given_name'], w.holder.priv)))).toStrictEqual({
      code: 'STATUS_UNKNOWN',
      message: 'the credential has no status reference and this verifier requires one',
    });
    // requireStatus false: accepted, with no status
    const r = verify(await present(c, ['given_name'], w.holder.priv), { requireStatus: false });
    expect(r).toMatchObject({ valid: true, status: { value: null, listAge: null } });
    expect('notChecked' in r).toBe(false);
  });
});

describe('check-status.ts: W3C Bitstring status lists', () => {
  it('a suspension entry whose bit is set is STATUS_SUSPENDED; clear, valid', async () => {
    const store = withLists(await bitstringList(SUS_LIST, 'suspension', { set: [9] }));
    const r = verify(await w3cPresentation({ status: entry('suspension', 9, SUS_LIST) }), { trust: store });
    expect(rejection(r)).toStrictEqual({ code: 'STATUS_SUSPENDED', message: `the credential is suspended (list ${SUS_LIST})` });
    expect(verify(await w3cPresentation({ status: entry('suspension', 8, SUS_LIST) }), { trust: store }).valid).toBe(true);
  });

  it('every entry is checked: the oldest list is the listAge; a refresh or message entry carries no verdict', async () => {
    const store = withLists(
      await bitstringList(REV_LIST, 'revocation', { fetchedAgo: 600 }),
      await bitstringList(SUS_LIST, 'suspension', { fetchedAgo: 1200, set: [3] }),
    );
    const status = [entry('revocation', 3, REV_LIST), entry('suspension', 4, SUS_LIST)];
    expect(verify(await w3cPresentation({ status }), { trust: store }).status).toStrictEqual({ value: 0, listAge: 1200 });
    const reversed = [entry('suspension', 4, SUS_LIST), entry('revocation', 3, REV_LIST)];
    expect(verify(await w3cPresentation({ status: reversed }), { trust: store }).status).toStrictEqual({ value: 0, listAge: 1200 });
    // the second entry decides: suspended at index 3
    const second = [entry('revocation', 3, REV_LIST), entry('suspension', 3, SUS_LIST)];
    expect(rejection(verify(await w3cPresentation({ status: second }), { trust: store })).code).toBe('STATUS_SUSPENDED');
    // a refresh entry naming a list the bundle does not hold is skipped
    const withRefresh = [entry('refresh', 1, 'https://issuer.example/status/w3c/refresh', { statusSize: 2 }), entry('revocation', 3, REV_LIST)];
    expect(verify(await w3cPresentation({ status: withRefresh }), { trust: store })).toMatchObject({ valid: true, status: { value: 0, listAge: 600 } });
    const messageOnly = [entry('message', 1, 'https://issuer.example/status/w3c/message', { statusSize: 2 })];
    expect(verify(await w3cPresentation({ status: messageOnly }), { trust: store })).toMatchObject({ valid: true, status: { value: 0, listAge: 0 } });
  });

  it('pastTtl (ttl in ms) when any list consulted is past it; a list with no ttl never is', async () => {
    const store = withLists(
      await bitstringList(REV_LIST, 'revocation', { fetchedAgo: 600, ttlMs: 300_000 }),
      await bitstringList(SUS_LIST, 'suspension', { fetchedAgo: 600 }),
    );
    const both = [entry('revocation', 3, REV_LIST), entry('suspension', 4, SUS_LIST)];
    expect(verify(await w3cPresentation({ status: both }), { trust: store }).status).toStrictEqual({ value: 0, listAge: 600, pastTtl: true });
    expect(verify(await w3cPresentation({ status: [entry('suspension', 4, SUS_LIST)] }), { trust: store }).status).toStrictEqual({ value: 0, listAge: 600 });
  });

  it('statusSize other than 1, a token list, a list of another purpose: STATUS_UNKNOWN naming the rule', async () => {
    const multi = 'https://issuer.example/status/w3c/suspension-and-message';
    const store = withLists(
      await bitstringList(REV_LIST, 'revocation'),
      await bitstringList(SUS_LIST, undefined),
      await bitstringList(multi, ['suspension', 'message']),
    );
    const run = async (status: unknown) => rejection(verify(await w3cPresentation({ status }), { trust: store }));
    expect(await run(entry('revocation', 3, REV_LIST, { statusSize: 2 }))).toStrictEqual({ code: 'STATUS_UNKNOWN', message: 'statusSize 2 is not supported' });
    expect(await run(entry('revocation', 3, STATUS_URI))).toStrictEqual({ code: 'STATUS_UNKNOWN', message: `${STATUS_URI} is not a bitstring status list` });
    expect(await run(entry('suspension', 3, REV_LIST))).toStrictEqual({ code: 'STATUS_UNKNOWN', message: `${REV_LIST} is a revocation list, not suspension` });
    expect(await run(entry('revocation', 3, SUS_LIST))).toStrictEqual({ code: 'STATUS_UNKNOWN', message: `${SUS_LIST} is a purposeless list, not revocation` });
    expect(await run(entry('revocation', 3, multi))).toStrictEqual({
      code: 'STATUS_UNKNOWN',
      message: `${multi} is a suspension/message list, not revocation`,
    });
  });

  it('an unsupported status type is STATUS_UNKNOWN; a malformed entry is MALFORMED', async () => {
    const store = withLists(await bitstringList(REV_LIST, 'revocation'));
    const run = async (status: unknown) => rejection(verify(await w3cPresentation({ status }), { trust: store }));
    expect(await run({ type: 'StatusList2021Entry', statusPurpose: 'revocation', statusListIndex: '1', statusListCredential: REV_LIST })).toStrictEqual({
      code: 'STATUS_UNKNOWN',
      message: 'credentialStatus[0] has unsupported type "StatusList2021Entry"',
    });
    expect(await run(entry('revocation', 3, REV_LIST, { statusListIndex: 'x' }))).toStrictEqual({
      code: 'MALFORMED',
      message: 'credentialStatus[0].statusListIndex must be a decimal string',
    });
  });

  it('an index outside the list is STATUS_UNKNOWN', async () => {
    const store = withLists(await bitstringList(REV_LIST, 'revocation'));
    expect(rejection(verify(await w3cPresentation({ status: entry('revocation', 131072, REV_LIST) }), { trust: store })).code).toBe('STATUS_UNKNOWN');
    expect(verify(await w3cPresentation({ status: entry('revocation', 131071, REV_LIST) }), { trust: store }).valid).toBe(true);
  });
});

describe('nonce-store.ts', () => {
  function clock(start = 1_700_000_000_000) {
    let t = start;
    return { now: () => t, set: (ms: number) => void (t = start + ms) };
  }
  const refusal = (fn: () => unknown) => {
    try {
      fn();
    } catch (err) {
      return err as { code: string; message: string; retryAfterSeconds?: number };
    }
    throw new Error('accepted');
  };

  it('defaults: 300 s ttl', () => {
    const store = new NonceStore();
    expect(store.ttlSeconds).toBe(300);
    expect(store.issue().expiresIn).toBe(300);
  });

  it('ttl and cap must be positive integers: 1 is the least', () => {
    expect(refusal(() => new NonceStore(0))).toMatchObject({ code: 'INVALID_INPUT', message: 'the nonce ttl must be a positive integer (seconds)' });
    expect(refusal(() => new NonceStore(1.5))).toMatchObject({ code: 'INVALID_INPUT', message: 'the nonce ttl must be a positive integer (seconds)' });
    expect(refusal(() => new NonceStore(300, 0))).toMatchObject({ code: 'INVALID_INPUT', message: 'the nonce cap must be a positive integer' });
    expect(refusal(() => new NonceStore(300, 2.5))).toMatchObject({ code: 'INVALID_INPUT', message: 'the nonce cap must be a positive integer' });
    const one = new NonceStore(1, 1);
    expect(one.issue().expiresIn).toBe(1);
    expect(refusal(() => one.issue())).toMatchObject({ code: 'NONCE_STORE_FULL' });
  });

  it('a nonce is accepted until its expiry (exclusive) and once; an unknown one is no consumption', () => {
    const c = clock();
    const store = new NonceStore(10, 10, c.now);
    const a = store.issue().nonce;
    const b = store.issue().nonce;
    c.set(9_999);
    expect(store.consume(a)).toBe(true);
    expect(store.consume(a)).toBe(false);
    c.set(10_000);
    expect(store.consume(b)).toBe(false);
    expect(store.consume('never')).toBe(false);
    expect(store.stats.consumed).toBe(2);
  });

  it('full: NONCE_STORE_FULL with the cap and the seconds (rounded up) until the oldest expires; at its expiry it is reclaimed', () => {
    const c = clock();
    const store = new NonceStore(300, 1, c.now);
    store.issue();
    c.set(199_500);
    const err = refusal(() => store.issue());
    expect(err).toBeInstanceOf(NonceStoreFullError);
    expect(err).toMatchObject({ code: 'NONCE_STORE_FULL', message: 'too many outstanding nonces (1); try again in 101 s', retryAfterSeconds: 101 });
    c.set(299_999);
    expect(refusal(() => store.issue()).retryAfterSeconds).toBe(1);
    c.set(300_000);
    const fresh = store.issue().nonce;
    expect(store.size).toBe(1);
    expect(store.stats.expired).toBe(1);
    expect(store.consume(fresh)).toBe(true);
  });
});

describe('replay-cache.ts', () => {
  const T = 1_700_000_000;

  it('replayKey: SHA-256 of thumbprint, nonce and iat joined by NUL, base64url; each part matters', () => {
    expect(replayKey('thumb', 'nonce', 123)).toBe(createHash('sha256').update('thumb\u0000nonce\u0000123').digest('base64url'));
    const keys = new Set([replayKey('t', 'n', 1), replayKey('u', 'n', 1), replayKey('t', 'm', 1), replayKey('t', 'n', 2)]);
    expect(keys.size).toBe(4);
  });

  it('a proof is a replay until its `until` second (inclusive), accepted again after', () => {
    const cache = new ReplayCache();
    expect(cache.remember('k', T + 10, T)).toBe(true);
    expect(cache.remember('k', T + 20, T + 10)).toBe(false);
    expect(cache.has('k', T + 10)).toBe(true);
    expect(cache.has('k', T + 11)).toBe(false);
    expect(cache.has('other', T)).toBe(false);
    expect(cache.remember('k', T + 30, T + 11)).toBe(true);
    expect(cache.has('k', T + 30)).toBe(true);
  });

  it('an entry that expires exactly now stays; one that expired is reclaimed from the head', () => {
    const cache = new ReplayCache();
    cache.remember('e', T + 100, T);
    cache.remember('f', T + 200, T + 100);
    expect(cache.size).toBe(2);
    expect(cache.has('e', T + 100)).toBe(true);
    cache.remember('g', T + 300, T + 101);
    expect(cache.size).toBe(2);
    expect(cache.has('e', T + 100)).toBe(false);
  });

  it('a proof accepted again goes to the end, in expiry order, so the expired ones before it are reclaimed', () => {
    const cache = new ReplayCache();
    cache.remember('L', T + 50, T);
    cache.remember('A', T + 10, T);
    cache.remember('M', T + 60, T);
    cache.remember('A', T + 100, T + 11); // A expired: accepted again, now the last to expire
    cache.remember('X', T + 200, T + 65); // L and M expired: both reclaimed from the head
    expect(cache.size).toBe(2);
    expect(cache.has('A', T + 65)).toBe(true);
    expect(cache.has('M', T + 60)).toBe(false);
  });

  it('the scan for out-of-order expired proofs runs at exactly the 1024th insert', () => {
    const cache = new ReplayCache();
    cache.remember('long', T + 10_000, T);
    for (let i = 1; i < 1023; i++) cache.remember(`k${i}`, T + 100, T);
    expect(cache.stats.scans).toBe(0);
    cache.remember('k1023', T + 100, T);
    expect(cache.stats.scans).toBe(1);
  });

  it('full: the oldest proof is dropped for a new one (maxEntries)', () => {
    const cache = new ReplayCache({ maxEntries: 3 });
    for (const k of ['a', 'b', 'c']) cache.remember(k, T + 100, T);
    expect(cache.stats.evicted).toBe(0);
    cache.remember('d', T + 100, T);
    expect(cache.size).toBe(3);
    expect(cache.stats.evicted).toBe(1);
    expect(cache.has('a', T)).toBe(false);
    expect(cache.has('b', T)).toBe(true);
  });

  it('the file: written 0600 with live proofs (one expiring now included), read back ignoring non-numbers, a corrupt one ignored', () => {
    const dir = path.join(tmp.dir, 'replay-file');
    mkdirSync(dir);
    const file = path.join(dir, 'replay.json');
    const cache = new ReplayCache({ file });
    cache.remember('live', T + 300, T);
    cache.remember('now', T + 100, T); // behind a live one: only the scan sees it
    cache.remember('gone', T + 50, T);
    cache.remember('next', T + 400, T + 100);
    expect(Object.keys(JSON.parse(readFileSync(file, 'utf8')) as object).sort()).toEqual(['live', 'next', 'now']);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readdirSync(dir)).toEqual(['replay.json']);

    writeFileSync(file, JSON.stringify({ num: T + 300, str: 'x' }));
    const read = new ReplayCache({ file });
    expect(read.size).toBe(1);
    expect(read.remember('num', T + 300, T)).toBe(false);

    writeFileSync(file, '{not json');
    const corrupt = new ReplayCache({ file });
    expect(corrupt.size).toBe(0);
    expect(corrupt.remember('k', T + 10, T)).toBe(true);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ k: T + 10 });
  });
});

const redis = await requireRedis('test/verifier/verify-rules.test.ts');

describe.runIf(redis.ok)('verify.ts with the Redis stores (verifyPresentationAsync)', () => {
  const prefix = uniquePrefix('verify-rules');
  let state: RedisState;
  let raw: Redis;
  beforeAll(async () => {
    state = await connectRedisState({ url: REDIS_URL, prefix, secret: 'verify-rules-cache-secret-0123456789', log: () => undefined });
    raw = new Redis(REDIS_URL, { lazyConnect: true });
    await raw.connect();
  });
  afterAll(async () => {
    await state?.close();
    const keys = await raw.keys(`${prefix}*`);
    if (keys.length) await raw.del(...keys);
    raw.disconnect();
  });

  it('a Redis nonce is taken once; the proof is remembered for iat + kbMaxAge + skew - now seconds, then KB_JWT_REPLAYED', async () => {
    const { nonce } = await state.nonces.issue();
    const p = await present(cred, Object.keys(cred.disclosures), w.holder.priv, { nonce, iat: NOW_S - 5 });
    const opts = { ...abase({ profile: 'upgraded' }), nonceStore: state.nonces, replayCache: state.replay };
    expect(await verifyPresentationAsync(p, opts)).toMatchObject({ valid: true, profile: 'upgraded' });
    expect(await raw.exists(`${prefix}nonce:${nonce}`)).toBe(0);
    const kb = await raw.keys(`${prefix}kb:*`);
    expect(kb).toHaveLength(1);
    const ttl = await raw.ttl(kb[0]!);
    expect(ttl).toBeGreaterThan(350);
    expect(ttl).toBeLessThanOrEqual(355);
    expect((await verifyPresentationAsync(p, opts)).code).toBe('PROFILE_NOT_SATISFIED');
    const replayed = await verifyPresentationAsync(p, { ...abase(), replayCache: state.replay });
    expect(rejection(replayed)).toStrictEqual({ code: 'KB_JWT_REPLAYED', message: 'this key-binding proof was already used' });
    // a fresh proof of the same credential is accepted
    const fresh = await present(cred, LITE, w.holder.priv, { nonce: 'redis-fresh', iat: NOW_S - 5 });
    expect((await verifyPresentationAsync(fresh, { ...abase(), replayCache: state.replay })).valid).toBe(true);
  });
});
