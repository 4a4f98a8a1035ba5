// A registered type's profile by name (verifyPresentation's typeProfile): the query comes from
// the trust bundle by the credential's issuer AND vct, so two issuers defining the same name
// differently each hold their own credentials to their own query; bad profiles never load.
import { describe, expect, it } from 'vitest';
import { parseTypeProfiles, type DcqlQuery } from '../../core/dcql/index.js';
import { addDidIssuer, emptyTrustBundle, TrustStore, verifyPresentation, type TrustBundle } from '../../verifier/index.js';
import { AUD, mint, NOW, party, present, type Party } from './helpers/fixture.js';

const VCT = 'https://library.example/vct/library-card/1';
const query = (...claims: string[]): DcqlQuery => ({
  credentials: [{ id: 'card', format: 'dc+sd-jwt', meta: { vct_values: [VCT] }, claims: claims.map((c) => ({ path: [c] })) }],
});
const CLAIMS = { member_name: 'Ada', card_number: 'LB1', valid_until: '2030-12-31' };

function bundleOf(entries: { issuer: Party; profiles?: Record<string, DcqlQuery> }[]): TrustBundle {
  let b = emptyTrustBundle(NOW);
  for (const e of entries) b = addDidIssuer(b, e.issuer.did, [VCT], NOW);
  return { ...b, issuers: b.issuers.map((i, n) => (entries[n]!.profiles ? { ...i, profiles: { [VCT]: entries[n]!.profiles! } } : i)) };
}

describe('verify with a registered type profile (typeProfile)', () => {
  const holder = party('p256');
  const lenient = party('ed25519'); // its borrow asks for card_number
  const strict = party('ed25519'); // its borrow asks for card_number and valid_until
  const silent = party('ed25519'); // its type defines no profile
  const trust = new TrustStore(
    bundleOf([
      { issuer: lenient, profiles: { borrow: query('card_number') } },
      { issuer: strict, profiles: { borrow: query('card_number', 'valid_until') } },
      { issuer: silent },
    ]),
  );
  const card = (issuer: Party) => mint(issuer, { holder: holder.pub, sd: CLAIMS, plain: { vct: VCT } });
  const verify = async (issuer: Party, disclose: string[]) =>
    verifyPresentation(await present(await card(issuer), disclose, holder.priv), { trust, now: NOW, aud: AUD, requireStatus: false, typeProfile: 'borrow' });

  it("each credential is held to its own issuer's query of that name", async () => {
    expect(await verify(lenient, ['card_number'])).toMatchObject({ valid: true, profile: 'borrow' });
    const refused = await verify(strict, ['card_number']);
    expect(refused).toMatchObject({ valid: false, code: 'PROFILE_NOT_SATISFIED', profile: 'borrow' });
    expect(refused.message).toContain('valid_until');
    expect(await verify(strict, ['card_number', 'valid_until'])).toMatchObject({ valid: true, profile: 'borrow' });
  });

  it('a type that defines no profile of that name is PROFILE_NOT_SATISFIED, saying so', async () => {
    const r = await verify(silent, ['card_number', 'valid_until']);
    expect(r).toMatchObject({ valid: false, code: 'PROFILE_NOT_SATISFIED' });
    expect(r.message).toContain('defines no profile borrow');
  });

  it('a bundle holding a profile that is not a DCQL query of its type does not load', () => {
    const bad = bundleOf([{ issuer: lenient, profiles: { borrow: { credentials: [{ id: 'x', format: 'mso_mdoc', meta: { doctype_value: 'x' } }] } } }]);
    expect(() => new TrustStore(bad)).toThrow(expect.objectContaining({ code: 'TRUST_BUNDLE_INVALID', message: expect.stringContaining('profile borrow') }));
  });
});

describe('parseTypeProfiles (core/dcql): what issuer, verifier and wallet accept alike', () => {
  const where = 'issuer did:example, type library card';
  const refused = (value: unknown) => {
    try {
      parseTypeProfiles(value, VCT, where);
    } catch (err) {
      return err as { code: string; message: string };
    }
    throw new Error('accepted');
  };

  it('accepts named DCQL queries of the type', () => {
    expect(parseTypeProfiles({ borrow: query('card_number') }, VCT, where)).toEqual({ borrow: query('card_number') });
  });

  it('refuses, naming the profile: another vct, a built-in name, a bad name, not DCQL, too many', () => {
    const other = { credentials: [{ id: 'c', format: 'dc+sd-jwt', meta: { vct_values: ['urn:other'] } }] };
    expect(refused({ borrow: other })).toMatchObject({
      code: 'PROFILE_INVALID',
      message: expect.stringContaining('profile borrow credentials[0].meta.vct_values'),
    });
    expect(refused({ lite: query('card_number') }).message).toContain('profile lite is the name of a built-in profile');
    expect(refused({ 'Bad Name': query('card_number') }).message).toContain('is not a profile name');
    expect(refused({ borrow: { credentials: [] } }).message).toContain('profile borrow is not a valid DCQL query');
    expect(refused(Object.fromEntries(Array.from({ length: 17 }, (_, i) => [`p${i}`, query('card_number')]))).message).toContain('17 profiles');
    expect(refused([query('card_number')]).message).toContain('must be an object');
  });
});
