import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { profileClaimPaths, type ProfileName } from '../../schemas/index.js';
import { respondToRequest } from '../../holder/index.js';
import { newDidKey } from './helpers.js';
import {
  createRequest,
  startVerifierApp,
  trustFor,
  verdictOf,
  VERIFIER_ADMIN,
  walletWithCredential,
  type TestVerifierApp,
  type TestWallet,
} from './fixture.js';
import { startTestIssuer, type TestIssuer } from '../helpers/issuer.js';

/** Claim names the verifier saw as selectively disclosed: every claim except the always-visible JWT ones. */
const VISIBLE = new Set(['iss', 'iat', 'nbf', 'exp', 'cnf', 'vct', 'status', 'vct#integrity', 'sub', 'jti']);
const disclosedNames = (claims: Record<string, unknown>) =>
  Object.keys(claims)
    .filter((k) => !VISIBLE.has(k))
    .sort();
const profileNames = (p: ProfileName) =>
  profileClaimPaths(p)
    .map((path) => String(path[0]))
    .sort();

describe('OpenID4VP: our wallet with our issuer (OpenID4VCI) and our verifier, all over HTTP', () => {
  let issuer: TestIssuer;
  let holder: TestWallet;
  let verifier: TestVerifierApp;
  let signedVerifier: TestVerifierApp;

  beforeAll(async () => {
    issuer = await startTestIssuer();
    holder = await walletWithCredential(issuer, { oid4vci: true });
    const trust = await trustFor(issuer);
    verifier = await startVerifierApp(trust);
    signedVerifier = await startVerifierApp(trust, { didKey: newDidKey() });
  });
  afterAll(async () => {
    await verifier?.close();
    await signedVerifier?.close();
    await holder?.close();
    await issuer?.close();
  });

  for (const profile of ['lite', 'upgraded'] as const) {
    it(`${profile}: the verdict is valid and the disclosed claims are exactly the profile's`, async () => {
      const created = await createRequest(verifier.url, { profile });
      let shown: string[] = [];
      const result = await respondToRequest(holder.wallet, created.uri!, {
        confirm: ({ request, plan }) => {
          expect(request.clientId).toBe(created.client_id);
          shown = plan.flatMap((p) => p.disclosed.map((d) => String(d.path[0])));
          return true;
        },
      });
      expect([...new Set(shown)].sort()).toEqual(profileNames(profile));
      expect(Object.keys(result.vpToken)).toEqual(['identity']);
      const verdict = await verdictOf(created);
      expect(verdict).toMatchObject({ status: 'valid', state: created.state, profile });
      const creds = verdict.credentials as { credentialQueryId: string; issuer: string; claims: Record<string, unknown> }[];
      expect(creds).toHaveLength(1);
      expect(creds[0]!.issuer).toBe(issuer.ctx.issuerDid);
      expect(disclosedNames(creds[0]!.claims)).toEqual(profileNames(profile));
      // The kiosk may also look the verdict up by state.
      const byState = await fetch(`${verifier.url}/oid4vp/states/${created.state}/verdict`, { headers: { authorization: `Bearer ${VERIFIER_ADMIN}` } });
      expect(await byState.json()).toEqual(verdict);
    });
  }

  it('a decentralized_identifier (signed request) verifier works the same way', async () => {
    const created = await createRequest(signedVerifier.url, { profile: 'lite' });
    expect(created.client_id!.startsWith('decentralized_identifier:did:key:')).toBe(true);
    const result = await respondToRequest(holder.wallet, created.uri!);
    expect(result.request.clientIdPrefix).toBe('decentralized_identifier');
    expect(await verdictOf(created)).toMatchObject({ status: 'valid' });
  });

  it('the same request by value (uri_by_value, redirect_uri only) is answered and verified', async () => {
    const created = await createRequest(verifier.url, { profile: 'lite' });
    const result = await respondToRequest(holder.wallet, created.uri_by_value!);
    expect(result.request.state).toBe(created.state);
    expect(await verdictOf(created)).toMatchObject({ status: 'valid' });
  });

  it('declining at the confirmation posts access_denied and nothing is disclosed', async () => {
    const created = await createRequest(verifier.url, { profile: 'upgraded' });
    await expect(respondToRequest(holder.wallet, created.uri!, { confirm: () => false })).rejects.toMatchObject({ code: 'CONFIRMATION_DECLINED' });
    const verdict = await verdictOf(created);
    expect(verdict).toMatchObject({ status: 'invalid', code: 'WALLET_DECLINED' });
    expect(verdict.credentials).toBeUndefined();
  });

  it('a locked wallet answers nothing', async () => {
    const created = await createRequest(verifier.url, { profile: 'lite' });
    holder.wallet.lock();
    try {
      await expect(respondToRequest(holder.wallet, created.uri!)).rejects.toMatchObject({ code: 'WALLET_LOCKED' });
    } finally {
      await holder.wallet.unlock('482915');
    }
    expect(await verdictOf(created)).toMatchObject({ status: 'pending' });
  });
});
