import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeSdJwt, NetcredError, type DcqlQuery } from '../../core/index.js';
import { acceptOffer, createPresentation, importCredential, listCredentials } from '../../holder/index.js';
import { issueCredential, listCredentialTypes, registerCredentialType, revokeCredential } from '../../issuer/index.js';
import { addDidIssuer, emptyTrustBundle, syncIssuer, TrustStore, verifyPresentation } from '../../verifier/index.js';
import { newTestWallet, type TestWallet } from '../holder/helpers/wallet.js';
import { enroll, enrollmentBody } from '../oid4vci/helpers.js';
import { startTestIssuer, type TestIssuer } from '../helpers/issuer.js';
import { tempDir } from '../helpers/tmp.js';

/**
 * Issue 15, any credential type: the library card of docs/examples/library-card (three claims,
 * one profile) registered with a real issuer, issued, stored by a wallet, presented with its
 * profile and verified offline from a bundle synced over HTTP; refusals name the field.
 */
const EXAMPLE = join(import.meta.dirname, '../../docs/examples/library-card');
const VCT = 'https://library.example/vct/library-card/1';
const claims = JSON.parse(readFileSync(join(EXAMPLE, 'claims.json'), 'utf8')) as Record<string, unknown>;
const borrow = JSON.parse(readFileSync(join(EXAMPLE, 'profiles/borrow.dcql.json'), 'utf8')) as DcqlQuery;

async function refusal(p: Promise<unknown>): Promise<NetcredError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(NetcredError);
  return err as NetcredError;
}

describe('a registered credential type (library card)', () => {
  let issuer: TestIssuer;
  let t: TestWallet;
  beforeAll(async () => {
    issuer = await startTestIssuer();
    t = await newTestWallet();
  });
  afterAll(async () => {
    await t?.cleanup();
    await issuer?.close();
  });

  it('is registered from its directory and listed beside the built-in resident identity', async () => {
    const added = await registerCredentialType(issuer.ctx, EXAMPLE);
    expect(added).toMatchObject({ vct: VCT, name: 'Library card', builtIn: false, subjectClaim: 'card_number', profiles: ['borrow'] });
    const types = await listCredentialTypes(issuer.ctx);
    expect(types[0]).toMatchObject({ builtIn: true, name: expect.stringMatching(/resident identity/i) });
    expect(types.find((x) => x.vct === VCT)).toMatchObject({ builtIn: false });
    // Registered once: a second add is refused unless it replaces.
    const again = await refusal(registerCredentialType(issuer.ctx, EXAMPLE));
    expect(again.code).toBe('INVALID_INPUT');
    expect(again.details).toEqual([{ path: 'vct', message: 'is already registered' }]);
    await registerCredentialType(issuer.ctx, EXAMPLE, { replace: true });
  });

  it("the issuer's discovery lists it and serves its type metadata with the schema inside", async () => {
    const discovery = (await (await fetch(`${issuer.url}/.well-known/netcred-issuer`)).json()) as {
      credential_types: { vct: string; type_metadata_uri: string }[];
    };
    const listed = discovery.credential_types.find((c) => c.vct === VCT)!;
    expect(listed.type_metadata_uri).toBe(`${issuer.url}/type-metadata/${encodeURIComponent(VCT)}`);
    const metadata = (await (await fetch(listed.type_metadata_uri)).json()) as Record<string, unknown>;
    expect(metadata).toMatchObject({ vct: VCT, name: 'Library card', schema: { additionalProperties: false } });
    expect((await fetch(`${issuer.url}/type-metadata/${encodeURIComponent('https://library.example/vct/nope')}`)).status).toBe(404);
  });

  it('the library takes the texts of a type directory too, and refuses what is not text by field', async () => {
    const err = await refusal(registerCredentialType(issuer.ctx, { type: 42, schema: '{}', metadata: null } as never));
    expect(err.code).toBe('TYPE_DEFINITION_INVALID');
    expect(err.details?.map((d) => d.path)).toEqual(expect.arrayContaining(['type.json', 'type-metadata.json']));
  });

  it('is issued with its claims selectively disclosable per its type metadata', async () => {
    const c = await issueCredential(issuer.ctx, { holderDid: t.key.did, claims, vct: VCT });
    expect(c.vct).toBe(VCT);
    const sd = decodeSdJwt(c.credential);
    expect(sd.payload).toMatchObject({ vct: VCT, jti: c.id, iss: issuer.ctx.issuerId });
    expect(sd.disclosures.map((d) => d.name).sort()).toEqual(['card_number', 'member_name', 'sub', 'valid_until']);
    for (const k of Object.keys(claims)) expect(sd.payload[k]).toBeUndefined();
  });

  it('an unregistered claim, a wrong value, an unknown type and vc+sd-jwt are refused with the field named; nothing issued', async () => {
    const extra = await refusal(issueCredential(issuer.ctx, { holderDid: t.key.did, claims: { ...claims, favourite_colour: 'blue' }, vct: VCT }));
    expect(extra.code).toBe('INVALID_INPUT');
    expect(extra.details).toEqual([{ path: 'favourite_colour', message: 'is not a known claim' }]);
    const bad = await refusal(issueCredential(issuer.ctx, { holderDid: t.key.did, claims: { ...claims, card_number: 'nope' }, vct: VCT }));
    expect(bad.details?.map((d) => d.path)).toEqual(['card_number']);
    const unknown = await refusal(issueCredential(issuer.ctx, { holderDid: t.key.did, claims, vct: 'https://library.example/vct/other' }));
    expect(unknown.details).toEqual([{ path: 'vct', message: 'is not a registered credential type' }]);
    const w3c = await refusal(issueCredential(issuer.ctx, { holderDid: t.key.did, claims, vct: VCT, format: 'vc+sd-jwt' }));
    expect(w3c.details?.map((d) => d.path)).toEqual(['format']);
    // The resident identity stays the default: the library card's claims are not identity claims.
    const identity = await refusal(issueCredential(issuer.ctx, { holderDid: t.key.did, claims }));
    expect(identity.details?.some((d) => d.path === 'member_name' && d.message === 'is not a known claim')).toBe(true);
  });

  it('is stored by the wallet, presented with its profile and verified offline against the schema from the synced bundle', async () => {
    const c = await issueCredential(issuer.ctx, { holderDid: t.key.did, claims, vct: VCT });
    await importCredential(t.wallet, c.credential);
    const { bundle } = await syncIssuer(emptyTrustBundle(), issuer.url);
    expect(bundle.issuers[0]!.vct).toContain(VCT);
    const entry = bundle.typeMetadata.find((m) => m.vct === VCT)!;
    expect(entry.schema).toMatchObject({ additionalProperties: false });
    const trust = new TrustStore(bundle);
    const p = await createPresentation(t.wallet, { dcql: borrow, aud: 'https://desk.library.example', nonce: 'n-0123456789' });
    expect(p.disclosed.map((d) => d.path.join('.')).sort()).toEqual(['card_number', 'valid_until']);
    const verdict = verifyPresentation(p.presentation, { trust, aud: 'https://desk.library.example', nonce: 'n-0123456789' });
    expect(verdict.valid, `${verdict.code} ${verdict.message}`).toBe(true);
    expect(verdict.vct).toBe(VCT);
    expect(verdict.claims).toMatchObject({ card_number: 'LB123456', valid_until: '2030-12-31' });
    expect(verdict.claims.member_name).toBeUndefined();
  });

  it('the verifier checks the disclosed claims against the schema from the bundle; trust add --vct trusts the type without it', async () => {
    const c = await issueCredential(issuer.ctx, { holderDid: t.key.did, claims, vct: VCT });
    await importCredential(t.wallet, c.credential);
    const { bundle } = await syncIssuer(emptyTrustBundle(), issuer.url);
    const p = await createPresentation(t.wallet, { dcql: borrow, aud: 'https://desk.library.example', nonce: 'n-schema-0001' });
    // A stricter schema in the bundle (what an issuer's sync would bring): the disclosed card number no longer matches.
    const entry = bundle.typeMetadata.find((m) => m.vct === VCT)!;
    const stricter = structuredClone(bundle);
    const schema = stricter.typeMetadata.find((m) => m.vct === VCT)!.schema as { properties: Record<string, Record<string, unknown>> };
    schema.properties.card_number!.pattern = '^XX';
    const refused = verifyPresentation(p.presentation, { trust: new TrustStore(stricter), aud: 'https://desk.library.example', nonce: 'n-schema-0001' });
    expect(refused).toMatchObject({ valid: false, code: 'SCHEMA_INVALID' });
    expect(entry.schema).not.toBe(schema);
    expect(issuer.ctx.issuerId).toMatch(/^did:(key|jwk):/);
    {
      // Its status lists from the sync; the type without metadata.
      const offline = addDidIssuer(emptyTrustBundle(), issuer.ctx.issuerId, [VCT]);
      expect(offline.typeMetadata).toEqual([]);
      const again = await createPresentation(t.wallet, { dcql: borrow, aud: 'https://desk.library.example', nonce: 'n-schema-0002' });
      const v = verifyPresentation(again.presentation, {
        trust: new TrustStore({ ...offline, statusLists: bundle.statusLists }),
        aud: 'https://desk.library.example',
        nonce: 'n-schema-0002',
      });
      expect(v.valid, `${v.code} ${v.message}`).toBe(true);
    }
  });

  it('is offered over OpenID4VCI: a configuration per registered type (id: its vct), an enrollment for it, and the wallet receives it', async () => {
    const metadata = (await (await fetch(`${issuer.url}/.well-known/openid-credential-issuer`)).json()) as {
      credential_configurations_supported: Record<string, Record<string, unknown>>;
    };
    expect(metadata.credential_configurations_supported[VCT]).toMatchObject({
      format: 'dc+sd-jwt',
      vct: VCT,
      credential_metadata: { display: [{ name: 'Library card', locale: 'en' }] },
    });
    expect(metadata.credential_configurations_supported.resident_identity_sd_jwt).toBeDefined();
    const refused = await enroll(issuer.url, enrollmentBody({ ...claims, favourite_colour: 'blue' }, { vct: VCT }));
    expect(refused.status).toBe(400);
    expect(((await refused.json()) as { error_description: string }).error_description).toContain('claims.favourite_colour');
    const res = await enroll(issuer.url, enrollmentBody({ ...claims, card_number: 'LB777777' }, { vct: VCT, qr: false }));
    expect(res.status).toBe(201);
    const offer = (await res.json()) as { offer: string };
    const w = await newTestWallet();
    try {
      const result = await acceptOffer(w.wallet, offer.offer);
      expect(result.credentialConfigurationId).toBe(VCT);
      const [stored] = await listCredentials(w.wallet);
      expect(stored).toMatchObject({ vct: VCT });
    } finally {
      await w.cleanup();
    }
  });

  it('is revoked like any credential: after a sync the verifier says STATUS_REVOKED', async () => {
    const w = await newTestWallet();
    try {
      const c = await issueCredential(issuer.ctx, { holderDid: w.key.did, claims: { ...claims, card_number: 'LB654321' }, vct: VCT });
      await importCredential(w.wallet, c.credential);
      await revokeCredential(issuer.ctx, c.id, 'fraud', 'credential-types-test');
      const { bundle } = await syncIssuer(emptyTrustBundle(), issuer.url);
      const p = await createPresentation(w.wallet, { dcql: borrow, aud: 'https://desk.library.example', nonce: 'n-revoked-001' });
      const verdict = verifyPresentation(p.presentation, { trust: new TrustStore(bundle), aud: 'https://desk.library.example', nonce: 'n-revoked-001' });
      expect(verdict).toMatchObject({ valid: false, code: 'STATUS_REVOKED', vct: VCT });
    } finally {
      await w.cleanup();
    }
  });

  it('a malformed type directory is refused with each field named, and nothing is registered', async () => {
    const tmp = tempDir('netcred-type-');
    try {
      const dir = join(tmp.dir, 'card');
      cpSync(EXAMPLE, dir, { recursive: true });
      writeFileSync(join(dir, 'type.json'), JSON.stringify({ vct: 'not a uri', name: 'Broken', colour: 'red' }));
      const meta = JSON.parse(readFileSync(join(dir, 'type-metadata.json'), 'utf8'));
      meta.claims[0].sd = 'sometimes';
      writeFileSync(join(dir, 'type-metadata.json'), JSON.stringify(meta));
      const schema = JSON.parse(readFileSync(join(dir, 'claims.schema.json'), 'utf8'));
      schema.additionalProperties = true;
      writeFileSync(join(dir, 'claims.schema.json'), JSON.stringify(schema));
      const err = await refusal(registerCredentialType(issuer.ctx, dir));
      expect(err.code).toBe('TYPE_DEFINITION_INVALID');
      const paths = err.details!.map((d) => d.path);
      expect(paths).toEqual(
        expect.arrayContaining(['type.json#/colour', 'type.json#/vct', 'claims.schema.json#/additionalProperties', 'type-metadata.json#/claims/0/sd']),
      );
      // ajv strict mode: an unknown keyword in the schema.
      cpSync(EXAMPLE, dir, { recursive: true });
      writeFileSync(
        join(dir, 'claims.schema.json'),
        JSON.stringify({ ...schema, additionalProperties: false, properties: { ...schema.properties, note: { type: 'string', maxLenght: 3 } } }),
      );
      const strict = await refusal(registerCredentialType(issuer.ctx, dir));
      expect(strict.details).toEqual([{ path: 'claims.schema.json', message: expect.stringMatching(/strict mode.*maxLenght/) }]);
      // A missing file, a profile asking for another type.
      cpSync(EXAMPLE, dir, { recursive: true });
      writeFileSync(
        join(dir, 'profiles/borrow.dcql.json'),
        JSON.stringify({ credentials: [{ ...borrow.credentials[0], meta: { vct_values: ['urn:other'] } }] }),
      );
      const profile = await refusal(registerCredentialType(issuer.ctx, dir));
      expect(profile.details).toEqual([{ path: 'profiles/borrow.dcql.json#/credentials/0/meta/vct_values', message: `must be ["${VCT}"]` }]);
      const missing = await refusal(registerCredentialType(issuer.ctx, join(tmp.dir, 'nowhere')));
      expect(missing.code).toBe('TYPE_DEFINITION_INVALID');
      expect((await listCredentialTypes(issuer.ctx)).filter((x) => !x.builtIn).map((x) => x.vct)).toEqual([VCT]);
    } finally {
      tmp.cleanup();
    }
  });
});
