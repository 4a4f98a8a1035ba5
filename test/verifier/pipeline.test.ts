import { describe, expect, it, beforeAll } from 'vitest';
import { didWebFromUrl, singleKeyDocument, StatusList } from '../../core/index.js';
import { RESIDENT_IDENTITY_VCT } from '../../schemas/index.js';
import { addDidIssuer, createVerifier, NonceStore, ReplayCache, TrustStore, verifyPresentation, type VerifierOptions } from '../../verifier/index.js';
import { AUD, mint, NOW, NOW_S, party, present, sdJwtOf, statusEntry, STATUS_URI, world, type World } from './helpers/fixture.js';

const LITE = ['given_name', 'family_name', 'age_over_18'];
let w: World;
beforeAll(async () => {
  w = await world();
});

const base = (extra: Partial<VerifierOptions> = {}): VerifierOptions & { now: Date } => ({ trust: w.store, aud: AUD, now: NOW, ...extra });

describe('offline pipeline', () => {
  it('accepts a lite presentation and returns exactly the disclosed claims', async () => {
    const cred = await w.mintIdentity();
    const r = verifyPresentation(await present(cred, LITE, w.holder.priv), { ...base(), profile: 'lite' });
    expect(r).toMatchObject({ valid: true, issuer: w.issuer.did, vct: RESIDENT_IDENTITY_VCT, format: 'dc+sd-jwt', profile: 'lite', holderKey: w.holder.pub });
    expect(r.claims).toMatchObject({ given_name: '秀英', family_name: '蒋', age_over_18: true });
    expect(r.claims.birthdate).toBeUndefined();
    expect(r.status).toStrictEqual({ value: 0, listAge: 600 });
    expect(r.keyBinding?.aud).toBe(AUD);
  });

  it('rejects a revoked credential (STATUS_REVOKED) and a suspended one (STATUS_SUSPENDED)', async () => {
    const revoked = await w.mintIdentity({ idx: 5 });
    expect(verifyPresentation(await present(revoked, LITE, w.holder.priv), base()).code).toBe('STATUS_REVOKED');
    const suspended = await w.mintIdentity({ idx: 6 });
    expect(verifyPresentation(await present(suspended, LITE, w.holder.priv), base()).code).toBe('STATUS_SUSPENDED');
  });

  it('rejects an index outside the list or a list not in the bundle (STATUS_UNKNOWN)', async () => {
    const out = await w.mintIdentity({ idx: 5000 });
    expect(verifyPresentation(await present(out, LITE, w.holder.priv), base()).code).toBe('STATUS_UNKNOWN');
    const other = await w.mintIdentity({ statusUri: 'https://issuer.example/status/lists/404' });
    expect(verifyPresentation(await present(other, LITE, w.holder.priv), base()).code).toBe('STATUS_UNKNOWN');
  });

  it('rejects a credential without status by default, accepts it when status is not required', async () => {
    const cred = await mint(w.issuer, { holder: w.holder.pub, sd: { given_name: 'A', family_name: 'B', age_over_18: true } });
    const p = await present(cred, LITE, w.holder.priv);
    expect(verifyPresentation(p, base()).code).toBe('STATUS_UNKNOWN');
    expect(verifyPresentation(p, base({ requireStatus: false })).status).toStrictEqual({ value: null, listAge: null });
  });

  it('uses a list past its ttl until maxStatusAge, then STATUS_LIST_STALE', async () => {
    const cred = await w.mintIdentity();
    const p = await present(cred, LITE, w.holder.priv, { iat: NOW_S + 7200 - 5 });
    const later = new Date(NOW.getTime() + 7200_000); // list fetched 2h10m before: past its 1h ttl
    const ok = verifyPresentation(p, base({ now: later } as never));
    expect(ok).toMatchObject({ valid: true, status: { value: 0, listAge: 7800, pastTtl: true } });
    const stale = verifyPresentation(p, base({ now: later, maxStatusAgeSeconds: 3600 } as never));
    expect(stale.code).toBe('STATUS_LIST_STALE');
  });

  it('rejects with STATUS_LIST_STALE when the list token itself expired', async () => {
    const store = new TrustStore({ ...w.bundle, statusLists: [await statusEntry(w.issuer, w.list, { exp: NOW_S - 1 })] });
    const cred = await w.mintIdentity();
    expect(verifyPresentation(await present(cred, LITE, w.holder.priv), base({ trust: store })).code).toBe('STATUS_LIST_STALE');
  });

  it('rejects an expired credential before looking at its status (CREDENTIAL_EXPIRED)', async () => {
    const cred = await w.mintIdentity({ idx: 5, exp: NOW_S - 3600 });
    expect(verifyPresentation(await present(cred, LITE, w.holder.priv), base()).code).toBe('CREDENTIAL_EXPIRED');
  });

  it('rejects a credential not yet valid (CREDENTIAL_NOT_YET_VALID), within the clock skew it passes', async () => {
    const future = await w.mintIdentity({ plain: { nbf: NOW_S + 3600 } });
    expect(verifyPresentation(await present(future, LITE, w.holder.priv), base()).code).toBe('CREDENTIAL_NOT_YET_VALID');
    const skewed = await w.mintIdentity({ plain: { nbf: NOW_S + 30 } });
    expect(verifyPresentation(await present(skewed, LITE, w.holder.priv), base()).valid).toBe(true);
  });

  it('rejects an issuer not in the bundle (ISSUER_UNTRUSTED)', async () => {
    const stranger = party('ed25519');
    const cred = await mint(stranger, { holder: w.holder.pub, sd: { given_name: 'A' }, plain: { status: { status_list: { idx: 1, uri: STATUS_URI } } } });
    expect(verifyPresentation(await present(cred, ['given_name'], w.holder.priv), base()).code).toBe('ISSUER_UNTRUSTED');
  });

  it('rejects a vct the issuer is not trusted for (ISSUER_UNTRUSTED)', async () => {
    const cred = await w.mintIdentity({ plain: { vct: 'urn:other:vct' } });
    expect(verifyPresentation(await present(cred, LITE, w.holder.priv), base()).code).toBe('ISSUER_UNTRUSTED');
  });

  it('rejects a kid of another DID or an unknown key (KID_MISMATCH)', async () => {
    const other = party('ed25519');
    const cred = await mint(w.issuer, { holder: w.holder.pub, kid: other.kid, sd: { given_name: 'A' } });
    expect(verifyPresentation(await present(cred, ['given_name'], w.holder.priv), base()).code).toBe('KID_MISMATCH');
    const cred2 = await mint(w.issuer, { holder: w.holder.pub, kid: `${w.issuer.did}#nope`, sd: { given_name: 'A' } });
    expect(verifyPresentation(await present(cred2, ['given_name'], w.holder.priv), base()).code).toBe('KID_MISMATCH');
  });

  it('rejects an unknown typ (TYP_INVALID)', async () => {
    const cred = await mint(w.issuer, { holder: w.holder.pub, typ: 'JWT', sd: { given_name: 'A' } });
    expect(verifyPresentation(await present(cred, ['given_name'], w.holder.priv), base()).code).toBe('TYP_INVALID');
  });

  it('rejects a presentation without a KB-JWT by default (KB_JWT_MISSING)', async () => {
    const cred = await w.mintIdentity();
    expect(verifyPresentation(sdJwtOf(cred.jwt, cred.all), base()).code).toBe('KB_JWT_MISSING');
  });

  it('rejects a KB-JWT for another verifier (KB_JWT_AUD_MISMATCH)', async () => {
    const cred = await w.mintIdentity();
    expect(verifyPresentation(await present(cred, LITE, w.holder.priv, { aud: 'https://other.example' }), base()).code).toBe('KB_JWT_AUD_MISMATCH');
  });

  it('rejects a disclosed claim that breaks the schema (SCHEMA_INVALID)', async () => {
    const cred = await w.mintIdentity({ claims: { sex: 5 } });
    expect(verifyPresentation(await present(cred, [...LITE, 'sex'], w.holder.priv), base()).code).toBe('SCHEMA_INVALID');
  });

  it('rejects a claim the type metadata says must be selectively disclosable but is in plain text (SCHEMA_INVALID)', async () => {
    const cred = await mint(w.issuer, {
      holder: w.holder.pub,
      plain: { given_name: 'A', status: { status_list: { idx: 1, uri: STATUS_URI } } },
      sd: { family_name: 'B' },
    });
    expect(verifyPresentation(await present(cred, ['family_name'], w.holder.priv), base()).code).toBe('SCHEMA_INVALID');
  });

  it('an undisclosed claim is not a missing mandatory one', async () => {
    const cred = await w.mintIdentity();
    expect(verifyPresentation(await present(cred, ['given_name'], w.holder.priv), base()).valid).toBe(true);
  });

  it('rejects a lite presentation that hides a lite claim (PROFILE_NOT_SATISFIED)', async () => {
    const cred = await w.mintIdentity();
    expect(verifyPresentation(await present(cred, ['given_name', 'family_name'], w.holder.priv), { ...base(), profile: 'lite' }).code).toBe(
      'PROFILE_NOT_SATISFIED',
    );
  });

  it('upgraded needs every upgraded claim and a nonce this verifier issued, once', async () => {
    const cred = await w.mintIdentity();
    const all = Object.keys(cred.disclosures);
    const nonces = new NonceStore();
    const { nonce } = nonces.issue();
    const good = await present(cred, all, w.holder.priv, { nonce });
    expect(verifyPresentation(good, { ...base({ nonceStore: nonces }), profile: 'upgraded' })).toMatchObject({ valid: true, profile: 'upgraded' });
    // the nonce is single use
    expect(verifyPresentation(good, { ...base({ nonceStore: nonces }), profile: 'upgraded' }).code).toBe('PROFILE_NOT_SATISFIED');
    const chosen = await present(cred, all, w.holder.priv, { nonce: 'holder-chosen' });
    expect(verifyPresentation(chosen, { ...base({ nonceStore: nonces }), profile: 'upgraded' }).code).toBe('PROFILE_NOT_SATISFIED');
    // an explicit expected nonce (CLI --nonce) is the verifier's own
    expect(verifyPresentation(chosen, { ...base(), profile: 'upgraded', nonce: 'holder-chosen' }).valid).toBe(true);
    expect(verifyPresentation(chosen, { ...base(), profile: 'upgraded', nonce: 'other' }).code).toBe('KB_JWT_NONCE_MISMATCH');
    const lite = await present(cred, LITE, w.holder.priv, { nonce: nonces.issue().nonce });
    expect(verifyPresentation(lite, { ...base({ nonceStore: nonces }), profile: 'upgraded' }).code).toBe('PROFILE_NOT_SATISFIED');
  });

  it('rejects the same KB-JWT twice (KB_JWT_REPLAYED), a new proof passes', async () => {
    const cred = await w.mintIdentity();
    const replay = new ReplayCache();
    const p = await present(cred, LITE, w.holder.priv, { nonce: 'qr-1' });
    expect(verifyPresentation(p, base({ replayCache: replay })).valid).toBe(true);
    expect(verifyPresentation(p, base({ replayCache: replay })).code).toBe('KB_JWT_REPLAYED');
    expect(verifyPresentation(await present(cred, LITE, w.holder.priv, { nonce: 'qr-2' }), base({ replayCache: replay })).valid).toBe(true);
  });

  it('createVerifier keeps one replay cache and nonce store', async () => {
    const v = createVerifier({ trust: w.store, aud: AUD });
    const cred = await w.mintIdentity();
    const p = await present(cred, LITE, w.holder.priv);
    expect((await v.verify(p, { now: NOW })).valid).toBe(true);
    expect((await v.verify(p, { now: NOW })).code).toBe('KB_JWT_REPLAYED');
  });

  it('verifies a did:web issuer from its pinned document in the bundle', async () => {
    const web = party('p256');
    const did = didWebFromUrl('https://issuer.example:8443/tenants/a');
    const kid = `${did}#key-1`;
    const webIssuer = { ...web, did, kid };
    const doc = singleKeyDocument(did, 'key-1', web.pub);
    const list = new StatusList(16, 1);
    const bundle = {
      ...w.bundle,
      issuers: [...w.bundle.issuers, { id: did, vct: [RESIDENT_IDENTITY_VCT], didDocument: doc, addedAt: NOW.toISOString() }],
      statusLists: [...w.bundle.statusLists, await statusEntry(webIssuer, list, { uri: 'https://issuer.example:8443/status/lists/9' })],
    };
    const store = new TrustStore(bundle);
    const cred = await mint(webIssuer, {
      holder: w.holder.pub,
      sd: { given_name: 'A' },
      plain: { status: { status_list: { idx: 3, uri: 'https://issuer.example:8443/status/lists/9' } } },
    });
    expect(verifyPresentation(await present(cred, ['given_name'], w.holder.priv), base({ trust: store }))).toMatchObject({ valid: true, issuer: did });
    // the same key under another did:web is not trusted
    const impostor = await mint(
      { ...webIssuer, did: 'did:web:evil.example', kid: 'did:web:evil.example#key-1' },
      { holder: w.holder.pub, sd: { given_name: 'A' } },
    );
    expect(verifyPresentation(await present(impostor, ['given_name'], w.holder.priv), base({ trust: store })).code).toBe('ISSUER_UNTRUSTED');
    // a list of another issuer cannot vouch for this one's credentials
    const cross = await w.mintIdentity({ statusUri: 'https://issuer.example:8443/status/lists/9', idx: 3 });
    expect(verifyPresentation(await present(cross, LITE, w.holder.priv), base({ trust: store })).code).toBe('STATUS_LIST_MISMATCH');
  });

  it("a did:key issuer's credential naming a list signed by another trusted did:key issuer is STATUS_LIST_MISMATCH", async () => {
    const other = party('ed25519');
    const uri = 'https://other-issuer.example/status/lists/1';
    const trusted = addDidIssuer(w.bundle, other.did, [RESIDENT_IDENTITY_VCT], NOW);
    const store = new TrustStore({ ...trusted, statusLists: [...trusted.statusLists, await statusEntry(other, new StatusList(16, 2), { uri })] });
    expect(store.refusedStatusLists()).toEqual([]);
    // The list answers for its own issuer's credentials...
    const own = await mint(other, { holder: w.holder.pub, sd: { given_name: 'A' }, plain: { status: { status_list: { idx: 3, uri } } } });
    expect(verifyPresentation(await present(own, ['given_name'], w.holder.priv), base({ trust: store }))).toMatchObject({
      valid: true,
      issuer: other.did,
      status: { value: 0 },
    });
    // ...and for no other issuer's, though both issuers are trusted and the entry reads valid.
    const cross = await w.mintIdentity({ statusUri: uri, idx: 3 });
    expect(verifyPresentation(await present(cross, LITE, w.holder.priv), base({ trust: store }))).toMatchObject({ valid: false, code: 'STATUS_LIST_MISMATCH' });
  });

  it('trusts an HTTPS issuer by its JWKS (JWT VC Issuer Metadata style), keys picked by kid', async () => {
    const key = party('p256');
    const iss = 'https://issuer.example.org';
    const https = { ...key, did: iss, kid: 'key-2026' };
    const list = new StatusList(16, 1);
    const store = new TrustStore({
      ...w.bundle,
      issuers: [...w.bundle.issuers, { id: iss, vct: [RESIDENT_IDENTITY_VCT], jwks: { keys: [{ ...key.pub, kid: 'key-2026' }] }, addedAt: NOW.toISOString() }],
      statusLists: [...w.bundle.statusLists, await statusEntry(https, list, { uri: `${iss}/status/1` })],
    });
    const cred = await mint(https, { holder: w.holder.pub, sd: { given_name: 'A' }, plain: { status: { status_list: { idx: 0, uri: `${iss}/status/1` } } } });
    expect(verifyPresentation(await present(cred, ['given_name'], w.holder.priv), base({ trust: store }))).toMatchObject({ valid: true, issuer: iss });
    const wrongKid = await mint({ ...https, kid: 'key-2025' }, { holder: w.holder.pub, sd: { given_name: 'A' } });
    expect(verifyPresentation(await present(wrongKid, ['given_name'], w.holder.priv), base({ trust: store })).code).toBe('KID_MISMATCH');
  });

  it('a replay cache persisted to a file survives a restart (kiosk CLI)', async () => {
    const { tempDir } = await import('../helpers/tmp.js');
    const tmp = tempDir('netcred-replay-');
    try {
      const file = `${tmp.dir}/replay.json`;
      const cred = await w.mintIdentity();
      const p = await present(cred, LITE, w.holder.priv, { nonce: 'persist-1' });
      expect(verifyPresentation(p, base({ replayCache: new ReplayCache({ file }) })).valid).toBe(true);
      expect(verifyPresentation(p, base({ replayCache: new ReplayCache({ file }) })).code).toBe('KB_JWT_REPLAYED');
    } finally {
      tmp.cleanup();
    }
  });

  it('refuses to load a bundle whose status list is not signed by its issuer', async () => {
    const forged = await statusEntry(party('ed25519'), w.list);
    expect(() => new TrustStore({ ...w.bundle, statusLists: [{ ...forged, issuer: w.issuer.did }] })).toThrow(
      expect.objectContaining({ code: 'TRUST_BUNDLE_INVALID' }),
    );
  });

  it('never throws, whatever the input', () => {
    for (const input of ['', '~', '~~~', 'a.b.c~d~', '{"protected":1}', '"x"', null, 42, {}] as unknown[]) {
      const r = verifyPresentation(input as string, base());
      expect(r.valid).toBe(false);
      expect(typeof r.code).toBe('string');
    }
  });
});
