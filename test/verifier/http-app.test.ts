import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import express from 'express';
import { createVerifier, createVerifierApp, listenApp, type RunningServer, type Verifier } from '../../verifier/index.js';
import { AUD, NOW_S, present, world, type World } from './helpers/fixture.js';

let w: World;
let server: RunningServer;
let verifier: Verifier;
const LITE = ['given_name', 'family_name', 'age_over_18'];
// The app uses the real clock: proofs are made "now" and the credential is valid around now.
const fresh = () => Math.floor(Date.now() / 1000) - 1;

beforeAll(async () => {
  w = await world();
  // The fixture's status list was fetched at NOW - 600 s; the real clock is within maxStatusAge of it.
  verifier = createVerifier({ trust: w.store, aud: AUD, maxStatusAgeSeconds: Math.abs(Math.floor(Date.now() / 1000) - NOW_S) + 86400 * 365 });
  const extra = express.Router();
  extra.get('/extra', (_req, res) => void res.json({ mounted: true }));
  server = await listenApp(createVerifierApp({ verifier, routers: [extra] }));
});
afterAll(async () => server?.close());

const post = async (path: string, body: string, type = 'application/json') => {
  const res = await fetch(`${server.url}${path}`, { method: 'POST', headers: { 'content-type': type }, body });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
};

describe('verifier HTTP app', () => {
  it('POST /verify with JSON answers the result; a rejection is a 200 with valid:false', async () => {
    const cred = await w.mintIdentity({ exp: fresh() + 86400, plain: { iat: fresh() - 60 } });
    const p = await present(cred, LITE, w.holder.priv, { iat: fresh() });
    const ok = await post('/verify', JSON.stringify({ presentation: p, profile: 'lite' }));
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ valid: true, profile: 'lite', issuer: w.issuer.did });
    const again = await post('/verify', JSON.stringify({ presentation: p }));
    expect(again).toMatchObject({ status: 200, body: { valid: false, code: 'KB_JWT_REPLAYED' } });
  });

  it('accepts the presentation as text/plain', async () => {
    const cred = await w.mintIdentity({ exp: fresh() + 86400, idx: 5, plain: { iat: fresh() - 60 } });
    const res = await post('/verify', await present(cred, LITE, w.holder.priv, { iat: fresh() }), 'text/plain');
    expect(res.body).toMatchObject({ valid: false, code: 'STATUS_REVOKED' });
  });

  it('upgraded uses a nonce from POST /nonce, once', async () => {
    const { body } = await post('/nonce', '{}');
    expect(typeof body.nonce).toBe('string');
    const cred = await w.mintIdentity({ exp: fresh() + 86400, plain: { iat: fresh() - 60 } });
    const p = await present(cred, Object.keys(cred.disclosures), w.holder.priv, { iat: fresh(), nonce: body.nonce as string });
    expect((await post('/verify', JSON.stringify({ presentation: p, profile: 'upgraded' }))).body).toMatchObject({ valid: true, profile: 'upgraded' });
    const p2 = await present(cred, Object.keys(cred.disclosures), w.holder.priv, { iat: fresh() + 1, nonce: body.nonce as string });
    expect((await post('/verify', JSON.stringify({ presentation: p2, profile: 'upgraded' }))).body).toMatchObject({
      valid: false,
      code: 'PROFILE_NOT_SATISFIED',
    });
  });

  it('answers bad requests with OAuth-style errors', async () => {
    expect(await post('/verify', '{not json')).toMatchObject({ status: 400, body: { error: 'invalid_request' } });
    expect(await post('/verify', JSON.stringify({ presentation: 42 }))).toMatchObject({ status: 400, body: { error: 'invalid_request' } });
    expect(await post('/verify', JSON.stringify({ presentation: 'x~', profile: 'gold' }))).toMatchObject({ status: 400 });
    expect(await post('/verify', JSON.stringify({ presentation: 'x'.repeat(200_000) }))).toMatchObject({ status: 413, body: { error: 'invalid_request' } });
    expect((await fetch(`${server.url}/nope`)).status).toBe(404);
  });

  it('GET /health reports the bundle; extra routers are mounted', async () => {
    expect(await (await fetch(`${server.url}/health`)).json()).toMatchObject({ status: 'ok', issuers: 1, status_lists: 1 });
    expect(await (await fetch(`${server.url}/extra`)).json()).toStrictEqual({ mounted: true });
  });
});
