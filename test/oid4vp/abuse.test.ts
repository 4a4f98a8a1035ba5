import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPresentation, resolveRequest, respondToRequest } from '../../holder/index.js';
import { PROFILES } from '../../schemas/index.js';
import { createRequest, postResponse, startVerifierApp, trustFor, verdictOf, walletWithCredential, type TestVerifierApp, type TestWallet } from './fixture.js';
import { startTestIssuer, type TestIssuer } from '../helpers/issuer.js';

describe('OpenID4VP abuse: each refused with the specified error, nothing accepted', () => {
  let issuer: TestIssuer;
  let holder: TestWallet;
  let verifier: TestVerifierApp;
  let clockOffset = 0;

  beforeAll(async () => {
    issuer = await startTestIssuer();
    holder = await walletWithCredential(issuer);
    verifier = await startVerifierApp(await trustFor(issuer), { now: () => Date.now() + clockOffset });
  });
  afterAll(async () => {
    await verifier?.close();
    await holder?.close();
    await issuer?.close();
  });

  /** What our wallet would post for a request, built without posting it (so the test can tamper). */
  async function prepare(created: Record<string, string>, override: { dcql?: typeof PROFILES.lite; nonce?: string; aud?: string } = {}) {
    const req = await resolveRequest(created.uri!);
    const p = await createPresentation(holder.wallet, {
      dcql: override.dcql ?? req.dcql,
      aud: override.aud ?? req.clientId,
      nonce: override.nonce ?? req.nonce,
    });
    return { req, vpToken: JSON.stringify(p.vpToken) };
  }

  it('a replayed vp_token (the same KB-JWT on another state) is refused as KB_JWT_REPLAYED', async () => {
    const first = await createRequest(verifier.url, { profile: 'lite' });
    const answered = await respondToRequest(holder.wallet, first.uri!);
    expect(await verdictOf(first)).toMatchObject({ status: 'valid' });

    const second = await createRequest(verifier.url, { profile: 'lite' });
    const res = await postResponse(second.response_uri!, { vp_token: JSON.stringify(answered.vpToken), state: second.state! });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ error: 'invalid_request', code: 'KB_JWT_REPLAYED' });
    expect(await verdictOf(second)).toMatchObject({ status: 'invalid', code: 'KB_JWT_REPLAYED' });
  });

  it('a second response for an answered state is refused, and the first verdict stands', async () => {
    const created = await createRequest(verifier.url, { profile: 'lite' });
    const { vpToken } = await prepare(created);
    const [a, b] = await Promise.all([
      postResponse(created.response_uri!, { vp_token: vpToken, state: created.state! }),
      postResponse(created.response_uri!, { vp_token: vpToken, state: created.state! }),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 400]);
    const again = await postResponse(created.response_uri!, { vp_token: vpToken, state: created.state! });
    expect(again).toMatchObject({ status: 400, body: { error: 'invalid_request', error_description: expect.stringMatching(/already/) } });
    expect(await verdictOf(created)).toMatchObject({ status: 'valid' });
  });

  it('a wrong or unknown state is refused and settles nothing', async () => {
    const created = await createRequest(verifier.url, { profile: 'lite' });
    const { vpToken } = await prepare(created);
    const wrong = await postResponse(created.response_uri!, { vp_token: vpToken, state: `${created.state}x` });
    expect(wrong).toMatchObject({ status: 400, body: { error: 'invalid_request', error_description: expect.stringMatching(/unknown state/) } });
    const missing = await postResponse(created.response_uri!, { vp_token: vpToken });
    expect(missing).toMatchObject({ status: 400, body: { error: 'invalid_request' } });
    expect(await verdictOf(created)).toMatchObject({ status: 'pending' });
    // The genuine answer still goes through afterwards.
    expect((await postResponse(created.response_uri!, { vp_token: vpToken, state: created.state! })).status).toBe(200);
  });

  it('an expired request is refused: no request object, no response accepted', async () => {
    const created = await createRequest(verifier.url, { profile: 'lite' });
    const { vpToken } = await prepare(created);
    clockOffset = 301_000; // past the 300 s lifetime
    try {
      const res = await postResponse(created.response_uri!, { vp_token: vpToken, state: created.state! });
      expect(res).toMatchObject({ status: 400, body: { error: 'invalid_request', error_description: expect.stringMatching(/expired/) } });
      expect((await fetch(created.request_uri!)).status).toBe(410);
      expect(await verdictOf(created)).toMatchObject({ status: 'expired' });
    } finally {
      clockOffset = 0;
    }
  });

  it('a response that discloses nothing extra but less than the profile is PROFILE_NOT_SATISFIED', async () => {
    const created = await createRequest(verifier.url, { profile: 'upgraded' });
    const { vpToken } = await prepare(created, { dcql: PROFILES.lite });
    const res = await postResponse(created.response_uri!, { vp_token: vpToken, state: created.state! });
    expect(res).toMatchObject({ status: 400, body: { error: 'invalid_request', code: 'PROFILE_NOT_SATISFIED' } });
    expect(await verdictOf(created)).toMatchObject({ status: 'invalid', code: 'PROFILE_NOT_SATISFIED' });
  });

  it('a KB-JWT with another nonce or audience is refused (KB_JWT_NONCE_MISMATCH, KB_JWT_AUD_MISMATCH)', async () => {
    const a = await createRequest(verifier.url, { profile: 'lite' });
    const wrongNonce = await prepare(a, { nonce: 'not-the-request-nonce-0123456789' });
    expect(await postResponse(a.response_uri!, { vp_token: wrongNonce.vpToken, state: a.state! })).toMatchObject({
      status: 400,
      body: { code: 'KB_JWT_NONCE_MISMATCH' },
    });
    expect(await verdictOf(a)).toMatchObject({ status: 'invalid', code: 'KB_JWT_NONCE_MISMATCH' });

    const b = await createRequest(verifier.url, { profile: 'lite' });
    const wrongAud = await prepare(b, { aud: 'redirect_uri:https://other-verifier.example/oid4vp/responses' });
    expect(await postResponse(b.response_uri!, { vp_token: wrongAud.vpToken, state: b.state! })).toMatchObject({
      status: 400,
      body: { code: 'KB_JWT_AUD_MISMATCH' },
    });
  });

  it('malformed vp_tokens are refused as MALFORMED and consume the state', async () => {
    const cases: string[] = ['not json', '[]', '{"identity":"a~b~"}', '{"identity":[]}', '{"other":["x"]}', '{}'];
    for (const vp of cases) {
      const created = await createRequest(verifier.url, { profile: 'lite' });
      const res = await postResponse(created.response_uri!, { vp_token: vp, state: created.state! });
      expect(res, vp).toMatchObject({ status: 400, body: { error: 'invalid_request', code: 'MALFORMED' } });
      expect((await postResponse(created.response_uri!, { vp_token: vp, state: created.state! })).body.error_description).toMatch(/already/);
    }
    // Two presentations for a query without `multiple`.
    const created = await createRequest(verifier.url, { profile: 'lite' });
    const { vpToken } = await prepare(created);
    const one = (JSON.parse(vpToken) as Record<string, string[]>).identity![0]!;
    expect(await postResponse(created.response_uri!, { vp_token: JSON.stringify({ identity: [one, one] }), state: created.state! })).toMatchObject({
      body: { code: 'MALFORMED' },
    });
  });

  it('a JSON (not form-encoded) or oversized response is refused', async () => {
    const created = await createRequest(verifier.url, { profile: 'lite' });
    const json = await fetch(created.response_uri!, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ state: created.state, vp_token: '{}' }),
    });
    expect(json.status).toBe(400);
    expect(await json.json()).toMatchObject({ error: 'invalid_request' });
    const big = await postResponse(created.response_uri!, { vp_token: 'x'.repeat(300 * 1024), state: created.state! });
    expect(big).toMatchObject({ status: 413, body: { error: 'invalid_request' } });
    expect(await verdictOf(created)).toMatchObject({ status: 'pending' });
  });
});
