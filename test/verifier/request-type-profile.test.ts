// requestTypeProfile: a registered type's profile name as an OpenID4VP request's query, decided
// before any credential is at hand. Several issuers defining the same query under the name is one
// query (every one of them may answer); different queries are PROFILE_AMBIGUOUS, naming them.
import { describe, expect, it } from 'vitest';
import type { DcqlQuery } from '../../core/dcql/index.js';
import { addDidIssuer, emptyTrustBundle, requestTypeProfile, TrustStore } from '../../verifier/index.js';
import { NOW, party, type Party } from './helpers/fixture.js';

const VCT = 'https://library.example/vct/library-card/1';
const query = (...claims: string[]): DcqlQuery => ({
  credentials: [{ id: 'card', format: 'dc+sd-jwt', meta: { vct_values: [VCT] }, claims: claims.map((c) => ({ path: [c] })) }],
});

function trustOf(entries: { issuer: Party; profiles?: Record<string, DcqlQuery> }[]): TrustStore {
  let b = emptyTrustBundle(NOW);
  for (const e of entries) b = addDidIssuer(b, e.issuer.did, [VCT], NOW);
  return new TrustStore({ ...b, issuers: b.issuers.map((i, n) => (entries[n]!.profiles ? { ...i, profiles: { [VCT]: entries[n]!.profiles! } } : i)) });
}

const refusal = (fn: () => unknown) => {
  try {
    fn();
  } catch (err) {
    return err as { code: string; message: string };
  }
  throw new Error('accepted');
};

describe('requestTypeProfile (the query of an OpenID4VP request for a profile name)', () => {
  const [a, b, c] = [party('ed25519'), party('ed25519'), party('ed25519')];

  it('one issuer defines it: its query, and only that issuer may answer (not one whose type defines no profile)', () => {
    const r = requestTypeProfile(trustOf([{ issuer: a, profiles: { borrow: query('card_number') } }, { issuer: c }]), 'borrow');
    expect(r).toEqual({ name: 'borrow', dcql: query('card_number'), issuers: [a.did] });
  });

  it('several issuers define the identical query (keys in any order): that query, each of them may answer', () => {
    const reordered = JSON.parse(
      '{"credentials":[{"claims":[{"path":["card_number"]}],"meta":{"vct_values":["https://library.example/vct/library-card/1"]},"format":"dc+sd-jwt","id":"card"}]}',
    ) as DcqlQuery;
    const r = requestTypeProfile(
      trustOf([
        { issuer: a, profiles: { borrow: query('card_number') } },
        { issuer: b, profiles: { borrow: reordered } },
      ]),
      'borrow',
    );
    expect(r.dcql).toEqual(query('card_number'));
    expect(r.issuers).toEqual([a.did, b.did].sort());
  });

  it('different queries under the name: PROFILE_AMBIGUOUS naming each issuer and saying to pass the DCQL', () => {
    const trust = trustOf([
      { issuer: a, profiles: { borrow: query('card_number') } },
      { issuer: b, profiles: { borrow: query('card_number', 'valid_until') } },
    ]);
    const e = refusal(() => requestTypeProfile(trust, 'borrow'));
    expect(e.code).toBe('PROFILE_AMBIGUOUS');
    expect(e.message).toContain(a.did);
    expect(e.message).toContain(b.did);
    expect(e.message).toContain('--dcql FILE');
  });

  it('a name no issuer defines: PROFILE_UNKNOWN listing the names known', () => {
    const e = refusal(() => requestTypeProfile(trustOf([{ issuer: a, profiles: { borrow: query('card_number') } }]), 'lend'));
    expect(e.code).toBe('PROFILE_UNKNOWN');
    expect(e.message).toContain('(borrow)');
  });
});
