// wallet present --profile NAME for a registered type (learnedProfileQuery): which query and
// which credential, decided by the credential's issuer and vct, never by chance; another issuer's
// credential of the same vct never answers a profile it did not define.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DcqlQuery } from '../../core/dcql/index.js';
import { createPresentation, importCredential, learnedProfileNames, learnedProfileQuery, type StoredCredentialInfo } from '../../holder/index.js';
import { saveTypeProfiles } from '../../holder/profiles/store.js';
import { rejectsCode } from './helpers/assert.js';
import { createPeerIssuer, issueIdentity, type PeerIssuer } from './helpers/issue.js';
import { newTestWallet, type TestWallet } from './helpers/wallet.js';

const VCT = 'https://library.example/vct/library-card/1';
const CLAIMS = { member_name: 'Ada', card_number: 'LB1', valid_until: '2030-12-31' };
const query = (...claims: string[]): DcqlQuery => ({
  credentials: [{ id: 'card', format: 'dc+sd-jwt', meta: { vct_values: [VCT] }, claims: claims.map((c) => ({ path: [c] })) }],
});

let t: TestWallet;
const issuers: Record<'lenient' | 'strict' | 'stranger', PeerIssuer> = {
  lenient: createPeerIssuer(),
  strict: createPeerIssuer(),
  stranger: createPeerIssuer(),
};
const cards: Partial<Record<keyof typeof issuers, StoredCredentialInfo>> = {};

beforeAll(async () => {
  t = await newTestWallet();
  // Issued (and imported) in this order: the stranger's card is the newest.
  const now = Math.floor(Date.now() / 1000);
  for (const [name, age] of [
    ['lenient', 3600],
    ['strict', 1800],
    ['stranger', 60],
  ] as const) {
    const sdJwt = await issueIdentity(issuers[name], t.key.publicJwk, { vct: VCT, claims: CLAIMS, iat: now - age });
    cards[name] = await importCredential(t.wallet, sdJwt);
    // Import times (milliseconds) that differ: "newest" is then one card, whatever the ids.
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  await saveTypeProfiles(t.wallet, issuers.lenient.did, VCT, { borrow: query('card_number') });
});
afterAll(async () => t?.cleanup());

describe('learnedProfileQuery', () => {
  it("one issuer defines the name: its query, and its credential even when another issuer's card of the same vct is newer", async () => {
    expect(await learnedProfileQuery(t.wallet, 'borrow')).toEqual({ query: query('card_number'), credentialId: cards.lenient!.id });
    const p = await createPresentation(t.wallet, { dcql: query('card_number'), credentialId: cards.lenient!.id, aud: 'netcred:kiosk', nonce: 'n-1' });
    expect(p.disclosed.map((d) => d.path)).toEqual([['card_number']]);
  });

  it("two issuers define it differently: the newest usable card of the two decides, deterministically; --credential picks its own issuer's query", async () => {
    await saveTypeProfiles(t.wallet, issuers.strict.did, VCT, { borrow: query('card_number', 'valid_until') });
    for (let i = 0; i < 3; i++)
      expect(await learnedProfileQuery(t.wallet, 'borrow')).toEqual({ query: query('card_number', 'valid_until'), credentialId: cards.strict!.id });
    expect(await learnedProfileQuery(t.wallet, 'borrow', cards.lenient!.id)).toEqual({ query: query('card_number'), credentialId: cards.lenient!.id });
    await rejectsCode(learnedProfileQuery(t.wallet, 'borrow', cards.stranger!.id), 'CREDENTIAL_DOES_NOT_SATISFY');
  });

  it('a name no learned type defines is PROFILE_UNKNOWN, listing the names known', async () => {
    expect(await learnedProfileNames(t.wallet)).toEqual(['borrow']);
    await expect(learnedProfileQuery(t.wallet, 'lend')).rejects.toMatchObject({ code: 'PROFILE_UNKNOWN', message: expect.stringContaining('(borrow)') });
  });
});
