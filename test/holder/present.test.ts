import { createHash, verify as nodeVerify, type JsonWebKey } from 'node:crypto';
import { verifySDJWT } from '@meeco/sd-jwt';
import { SDJwtVcInstance } from '@sd-jwt/sd-jwt-vc';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { importPublicJwk, sdJwtHasher, type PublicJwk } from '../../core/index.js';
import { createPresentation, importCredential } from '../../holder/index.js';
import { PROFILES, RESIDENT_IDENTITY_VCT, type DcqlQuery } from '../../schemas/index.js';
import { disclosedNames, rejectsCode } from './helpers/assert.js';
import { createPeerIssuer, identityClaims, issueIdentity, type PeerIssuer } from './helpers/issue.js';
import { newTestWallet, type TestWallet } from './helpers/wallet.js';

const ADDRESS_MEMBERS = ['formatted', 'region', 'locality', 'street_address', 'postal_code'];

/** JWS signature check written against node:crypto directly (not our core/jose). */
function jwsVerify(signingInput: string, sigB64u: string, jwk: PublicJwk | JsonWebKey): boolean {
  const key = importPublicJwk(jwk);
  const sig = Buffer.from(sigB64u, 'base64url');
  return key.asymmetricKeyType === 'ed25519'
    ? nodeVerify(null, Buffer.from(signingInput), key, sig)
    : nodeVerify('sha256', Buffer.from(signingInput), { key, dsaEncoding: 'ieee-p1363' }, sig);
}

function sdJwtVcVerifier(issuer: PeerIssuer): SDJwtVcInstance {
  return new SDJwtVcInstance({
    hasher: sdJwtHasher,
    verifier: (data, sig) => jwsVerify(data, sig, issuer.publicJwk),
    kbVerifier: (data, sig, payload) => jwsVerify(data, sig, (payload.cnf as { jwk: JsonWebKey }).jwk),
  });
}

let t: TestWallet;
let issuer: PeerIssuer;
const claims = identityClaims();

beforeEach(async () => {
  t = await newTestWallet();
  issuer = createPeerIssuer();
  await importCredential(t.wallet, await issueIdentity(issuer, t.key.publicJwk, { claims, decoys: 2 }));
});
afterEach(async () => t.cleanup());

describe('createPresentation', () => {
  it('lite discloses exactly the lite claims and verifies with @sd-jwt/sd-jwt-vc (KB required, nonce and aud checked)', async () => {
    const r = await createPresentation(t.wallet, { profile: 'lite', aud: 'netcred:kiosk', nonce: 'nonce-lite-1' });
    expect(disclosedNames(r.presentation).sort()).toEqual(['age_over_18', 'family_name', 'given_name']);
    expect(r.credentialQueryId).toBe('identity');
    expect(r.disclosed).toEqual([
      { path: ['given_name'], value: claims.given_name },
      { path: ['family_name'], value: claims.family_name },
      { path: ['age_over_18'], value: true },
    ]);
    const verified = await sdJwtVcVerifier(issuer).verify(r.presentation, { keyBindingNonce: 'nonce-lite-1' });
    expect(verified.kb?.payload.aud).toBe('netcred:kiosk');
    expect(verified.kb?.header.typ).toBe('kb+jwt');
    expect(verified.payload).toMatchObject({ vct: RESIDENT_IDENTITY_VCT, given_name: claims.given_name, family_name: claims.family_name, age_over_18: true });
    expect(verified.payload).not.toHaveProperty('birthdate');
    expect(verified.payload).not.toHaveProperty('id_number');
    await expect(sdJwtVcVerifier(issuer).verify(r.presentation, { keyBindingNonce: 'another-nonce' })).rejects.toThrow();
  });

  it('upgraded discloses exactly its claims (the whole address object) and verifies with @meeco/sd-jwt', async () => {
    const r = await createPresentation(t.wallet, { profile: 'upgraded', aud: 'https://bank.example', nonce: 'n-upgraded' });
    const expected = [...PROFILES.upgraded.credentials[0]!.claims!.map((c) => String(c.path[0])), ...ADDRESS_MEMBERS];
    expect(disclosedNames(r.presentation).sort()).toEqual(expected.sort());

    let kbChecked = false;
    const result = await verifySDJWT(
      r.presentation,
      async (jwt: string) => {
        const [h, p, s] = jwt.split('.');
        return jwsVerify(`${h}.${p}`, s!, issuer.publicJwk);
      },
      async () => (data: string) => createHash('sha256').update(data).digest('base64url'),
      {
        kb: {
          verifier: async (kbJwt: string, holderJwk) => {
            const [h, p, s] = kbJwt.split('.');
            const header = JSON.parse(Buffer.from(h!, 'base64url').toString()) as { typ: string; alg: string };
            const payload = JSON.parse(Buffer.from(p!, 'base64url').toString()) as Record<string, unknown>;
            // @meeco/sd-jwt does not check sd_hash: compute it over <jwt>~<D1>~...~<Dn>~ ourselves.
            const sdHashInput = r.presentation.slice(0, r.presentation.lastIndexOf('~') + 1);
            const sdHash = createHash('sha256').update(sdHashInput, 'ascii').digest('base64url');
            kbChecked =
              header.typ === 'kb+jwt' &&
              header.alg === 'ES256' &&
              payload.sd_hash === sdHash &&
              payload.aud === 'https://bank.example' &&
              payload.nonce === 'n-upgraded' &&
              typeof payload.iat === 'number' &&
              jwsVerify(`${h}.${p}`, s!, holderJwk as JsonWebKey);
            return kbChecked;
          },
        },
      },
    );
    expect(kbChecked).toBe(true);
    expect(result).toMatchObject({ given_name: claims.given_name, id_number: claims.id_number, address: claims.address, sex: claims.sex });
  });

  it('a nested claim path discloses only that claim and its parent', async () => {
    const dcql: DcqlQuery = {
      credentials: [{ id: 'where', format: 'dc+sd-jwt', meta: { vct_values: [RESIDENT_IDENTITY_VCT] }, claims: [{ path: ['address', 'locality'] }] }],
    };
    const r = await createPresentation(t.wallet, { dcql, aud: 'v', nonce: 'n' });
    expect(disclosedNames(r.presentation).sort()).toEqual(['address', 'locality']);
    expect(r.disclosed).toEqual([{ path: ['address', 'locality'], value: claims.address.locality }]);
    const verified = await sdJwtVcVerifier(issuer).verify(r.presentation, { keyBindingNonce: 'n' });
    expect(verified.payload.address).toEqual({ locality: claims.address.locality });
  });

  it('honours values, and the first satisfiable claim set', async () => {
    const q = (values: unknown[]): DcqlQuery => ({
      credentials: [{ id: 'c', format: 'dc+sd-jwt', claims: [{ path: ['nationality'], values: values as string[] }] }],
    });
    expect(disclosedNames((await createPresentation(t.wallet, { dcql: q(['XX', claims.nationality]), aud: 'a', nonce: 'n' })).presentation)).toEqual([
      'nationality',
    ]);
    await rejectsCode(createPresentation(t.wallet, { dcql: q(['XX']), aud: 'a', nonce: 'n' }), 'DCQL_NOT_SATISFIED');

    const sets: DcqlQuery = {
      credentials: [
        {
          id: 'c',
          format: 'dc+sd-jwt',
          claims: [
            { id: 'passport', path: ['passport_number'] },
            { id: 'adult', path: ['age_over_18'], values: [true] },
            { id: 'born', path: ['birthdate'] },
          ],
          claim_sets: [['passport'], ['adult'], ['born']],
        },
      ],
    };
    const r = await createPresentation(t.wallet, { dcql: sets, aud: 'a', nonce: 'n' });
    expect(disclosedNames(r.presentation)).toEqual(['age_over_18']);
  });

  it('an unsatisfiable query gets DCQL_NOT_SATISFIED before anything is shown or signed', async () => {
    const asked: unknown[] = [];
    const confirm = (plan: unknown) => {
      asked.push(plan);
      return true;
    };
    const missingClaim: DcqlQuery = { credentials: [{ id: 'c', format: 'dc+sd-jwt', claims: [{ path: ['given_name'] }, { path: ['passport_number'] }] }] };
    const otherType: DcqlQuery = { credentials: [{ id: 'c', format: 'dc+sd-jwt', meta: { vct_values: ['urn:other'] }, claims: [{ path: ['given_name'] }] }] };
    const otherFormat: DcqlQuery = { credentials: [{ id: 'c', format: 'mso_mdoc', claims: [{ path: ['given_name'] }] }] };
    for (const dcql of [missingClaim, otherType, otherFormat]) {
      await rejectsCode(createPresentation(t.wallet, { dcql, aud: 'a', nonce: 'n', confirm }), 'DCQL_NOT_SATISFIED');
    }
    expect(asked).toEqual([]);
    await rejectsCode(createPresentation(t.wallet, { dcql: { credentials: [] } as DcqlQuery, aud: 'a', nonce: 'n' }), 'DCQL_INVALID');
  });

  it('shows the plan before signing and produces nothing when declined', async () => {
    let shown: { disclosed: unknown[] }[] = [];
    await rejectsCode(
      createPresentation(t.wallet, {
        profile: 'lite',
        aud: 'a',
        nonce: 'n',
        confirm: (plan) => {
          shown = plan;
          return false;
        },
      }),
      'CONFIRMATION_DECLINED',
    );
    expect(shown).toHaveLength(1);
    expect(shown[0]!.disclosed).toHaveLength(3);
  });

  it('picks the credential that needs the fewest disclosures', async () => {
    // A second credential where given_name and family_name are not selectively disclosable.
    const plainNames = await issuer.sdjwt.issue(
      {
        iss: issuer.did,
        vct: RESIDENT_IDENTITY_VCT,
        cnf: { jwk: t.key.publicJwk },
        given_name: 'Plain',
        family_name: 'Names',
        age_over_18: true,
        iat: Math.floor(Date.now() / 1000),
      } as never,
      { _sd: ['age_over_18'] } as never,
      { header: { kid: issuer.kid, typ: 'dc+sd-jwt' } },
    );
    const stored = await importCredential(t.wallet, plainNames);
    const r = await createPresentation(t.wallet, { profile: 'lite', aud: 'a', nonce: 'n' });
    expect(r.credentialId).toBe(stored.id);
    expect(disclosedNames(r.presentation)).toEqual(['age_over_18']);
  });

  it('array paths: null selects every element, an index one element, values filter elements', async () => {
    const cred = await issuer.sdjwt.issue(
      {
        iss: issuer.did,
        vct: 'urn:test:citizenships',
        cnf: { jwk: t.key.publicJwk },
        iat: Math.floor(Date.now() / 1000),
        nationalities: ['CN', 'FI', 'SE'],
        name: 'A',
      } as never,
      { _sd: ['nationalities', 'name'], nationalities: { _sd: [0, 1, 2] } } as never,
      { header: { kid: issuer.kid, typ: 'dc+sd-jwt' } },
    );
    await importCredential(t.wallet, cred);
    const ask = async (path: (string | number | null)[], values?: string[]) => {
      const dcql = {
        credentials: [{ id: 'c', format: 'dc+sd-jwt', meta: { vct_values: ['urn:test:citizenships'] }, claims: [{ path, ...(values ? { values } : {}) }] }],
      } as DcqlQuery;
      const r = await createPresentation(t.wallet, { dcql, aud: 'a', nonce: 'n' });
      const verified = await sdJwtVcVerifier(issuer).verify(r.presentation, { keyBindingNonce: 'n' });
      return { names: disclosedNames(r.presentation).sort(), nationalities: verified.payload.nationalities, disclosed: r.disclosed };
    };
    expect(await ask(['nationalities', null])).toMatchObject({ names: ['[]', '[]', '[]', 'nationalities'], nationalities: ['CN', 'FI', 'SE'] });
    expect(await ask(['nationalities', 1])).toMatchObject({
      names: ['[]', 'nationalities'],
      nationalities: ['FI'],
      disclosed: [{ path: ['nationalities', 1], value: 'FI' }],
    });
    expect(await ask(['nationalities', null], ['SE'])).toMatchObject({ names: ['[]', 'nationalities'], nationalities: ['SE'] });
    await rejectsCode(ask(['nationalities', 5]), 'DCQL_NOT_SATISFIED');
    await rejectsCode(ask(['nationalities', null], ['US']), 'DCQL_NOT_SATISFIED');
  });
});
