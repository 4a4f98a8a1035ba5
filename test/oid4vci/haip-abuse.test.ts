import { createHash, randomBytes, sign } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openIssuer, serveIssuer } from '../../issuer/index.js';
import { startTestIssuer, TEST_ISSUER_ADMIN_TOKEN, TEST_ISSUER_SECRET, type TestIssuer } from '../helpers/issuer.js';
import { decide, enrollForCode, openAuthorizationPage, reloadAuthorizationPage, type CodeOffer } from './haip-helpers.js';
import { countRows, enroll, enrollmentBody } from './helpers.js';
import { peerKey, type PeerKey } from './peer-wallet.js';

/**
 * The refusals of the HAIP flow, each with the protocol's error, sent as raw HTTP with JWTs made
 * here with node:crypto: nothing of netcred's client side takes part.
 */

const REDIRECT = 'https://wallet.example/cb';
const CLIENT = 'raw-wallet';
const CONFIG = 'resident_identity_sd_jwt';
const b64u = (v: unknown) => Buffer.from(typeof v === 'string' ? v : JSON.stringify(v)).toString('base64url');
const now = () => Math.floor(Date.now() / 1000);

function jwt(key: PeerKey, header: Record<string, unknown>, payload: Record<string, unknown>): string {
  const input = `${b64u({ alg: key.alg, ...header })}.${b64u(payload)}`;
  const sig =
    key.alg === 'ES256'
      ? sign('sha256', Buffer.from(input), { key: key.privateKey, dsaEncoding: 'ieee-p1363' })
      : sign(null, Buffer.from(input), key.privateKey);
  return `${input}.${sig.toString('base64url')}`;
}

function pkce(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

type Json = Record<string, unknown>;

class RawWallet {
  nonce?: string;
  readonly dpop = peerKey('ES256');
  constructor(readonly issuer: TestIssuer) {}

  proof(path: string, claims: Json = {}, key = this.dpop, header: Json = {}): string {
    return jwt(
      key,
      { typ: 'dpop+jwt', jwk: key.publicJwk, ...header },
      { htm: 'POST', htu: `${this.issuer.url}${path}`, iat: now(), jti: randomBytes(16).toString('base64url'), nonce: this.nonce, ...claims },
    );
  }

  async post(path: string, form: Record<string, string>, headers: Record<string, string> = {}): Promise<{ status: number; body: Json; headers: Headers }> {
    const res = await fetch(`${this.issuer.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
      body: new URLSearchParams(form).toString(),
    });
    const nonce = res.headers.get('dpop-nonce');
    if (nonce) this.nonce = nonce;
    return { status: res.status, body: (await res.json()) as Json, headers: res.headers };
  }

  /** PAR with a DPoP proof; the first time, learns the nonce from the use_dpop_nonce answer. */
  async par(form: Record<string, string>, headers: Record<string, string> = {}): Promise<{ status: number; body: Json; headers: Headers }> {
    if (!this.nonce) {
      const first = await this.post('/oid4vci/par', form, { DPoP: this.proof('/oid4vci/par'), ...headers });
      expect([first.status, first.body.error]).toEqual([400, 'use_dpop_nonce']);
    }
    return this.post('/oid4vci/par', form, { DPoP: this.proof('/oid4vci/par'), ...headers });
  }

  /** PAR -> browser -> approval -> code. */
  async code(
    offer: CodeOffer,
    extra: Record<string, string> = {},
    headers: Record<string, string> = {},
  ): Promise<{ code: string; verifier: string; requestUri: string }> {
    const p = pkce();
    const pushed = await this.par(
      {
        response_type: 'code',
        client_id: CLIENT,
        redirect_uri: REDIRECT,
        code_challenge: p.challenge,
        code_challenge_method: 'S256',
        state: 'st',
        issuer_state: offer.issuerState,
        scope: CONFIG,
        ...extra,
      },
      headers,
    );
    expect(pushed.status, JSON.stringify(pushed.body)).toBe(201);
    const requestUri = pushed.body.request_uri as string;
    const page = await openAuthorizationPage(`${this.issuer.url}/oid4vci/authorize?client_id=${CLIENT}&request_uri=${encodeURIComponent(requestUri)}`);
    expect((await decide(this.issuer, page.id, 'approve')).status).toBe(200);
    const back = await reloadAuthorizationPage(page);
    expect(back.status).toBe(303);
    const location = new URL(back.headers.get('location')!);
    expect(location.searchParams.get('state')).toBe('st');
    expect(location.searchParams.get('iss')).toBe(this.issuer.url);
    return { code: location.searchParams.get('code')!, verifier: p.verifier, requestUri };
  }

  token(code: string, verifier: string, proof?: string, extra: Record<string, string> = {}, headers: Record<string, string> = {}) {
    const form = { grant_type: 'authorization_code', code, code_verifier: verifier, redirect_uri: REDIRECT, client_id: CLIENT, ...extra };
    return this.post('/oid4vci/token', form, { DPoP: proof ?? this.proof('/oid4vci/token'), ...headers });
  }

  async credential(_token: string, headers: Record<string, string>): Promise<{ status: number; body: Json; headers: Headers }> {
    const c = await fetch(`${this.issuer.url}/oid4vci/nonce`, { method: 'POST' });
    const { c_nonce } = (await c.json()) as { c_nonce: string };
    const holder = peerKey('ES256');
    const keyProof = jwt(holder, { typ: 'openid4vci-proof+jwt', jwk: holder.publicJwk }, { aud: this.issuer.url, iat: now(), nonce: c_nonce });
    const res = await fetch(`${this.issuer.url}/oid4vci/credential`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ credential_configuration_id: CONFIG, proofs: { jwt: [keyProof] } }),
    });
    const nonce = res.headers.get('dpop-nonce');
    if (nonce) this.nonce = nonce;
    return { status: res.status, body: (await res.json()) as Json, headers: res.headers };
  }

  ath(token: string): string {
    return createHash('sha256').update(token).digest('base64url');
  }
}

describe('HAIP refusals: DPoP, PKCE, codes, request_uri, approval', () => {
  let issuer: TestIssuer;
  beforeAll(async () => {
    issuer = await startTestIssuer({ alg: 'ES256', oauth: { haip: true } });
  });
  afterAll(async () => {
    await issuer?.close();
  });

  it('a DPoP proof without the server nonce: use_dpop_nonce with a fresh DPoP-Nonce (400 at PAR and token, 401 WWW-Authenticate DPoP at the credential endpoint)', async () => {
    const w = new RawWallet(issuer);
    const res = await w.post('/oid4vci/par', { response_type: 'code' }, { DPoP: w.proof('/oid4vci/par') });
    expect([res.status, res.body.error]).toEqual([400, 'use_dpop_nonce']);
    expect(res.headers.get('dpop-nonce')).toMatch(/^[A-Za-z0-9_-]{48}$/);
    const { code, verifier } = await w.code(await enrollForCode(issuer));
    const noNonce = await w.token(code, verifier, w.proof('/oid4vci/token', { nonce: undefined }));
    expect([noNonce.status, noNonce.body.error, noNonce.body.code]).toEqual([400, 'use_dpop_nonce', 'OID4VCI_USE_DPOP_NONCE']);
    const stale = await w.token(code, verifier, w.proof('/oid4vci/token', { nonce: 'not-a-nonce-of-this-server' }));
    expect(stale.body.error).toBe('use_dpop_nonce');
    const ok = await w.token(code, verifier);
    expect([ok.status, ok.body.token_type]).toEqual([200, 'DPoP']);
    const token = ok.body.access_token as string;
    const cred = await w.credential(token, { authorization: `DPoP ${token}`, DPoP: w.proof('/oid4vci/credential', { nonce: undefined, ath: w.ath(token) }) });
    expect([cred.status, cred.body.error]).toEqual([401, 'use_dpop_nonce']);
    expect(cred.headers.get('www-authenticate')).toMatch(/^DPoP error="use_dpop_nonce"/);
    expect(cred.headers.get('dpop-nonce')).toBeTruthy();
    const issued = await w.credential(token, { authorization: `DPoP ${token}`, DPoP: w.proof('/oid4vci/credential', { ath: w.ath(token) }) });
    expect(issued.status, JSON.stringify(issued.body)).toBe(200);
  });

  it('a wrong DPoP proof is invalid_dpop_proof: bad signature, wrong htm, wrong htu, stale iat; the code survives for a good one', async () => {
    const w = new RawWallet(issuer);
    const { code, verifier } = await w.code(await enrollForCode(issuer));
    const other = peerKey('ES256');
    const cases: [string, string][] = [
      ['bad signature', w.proof('/oid4vci/token', {}, w.dpop, { jwk: other.publicJwk })],
      ['htm', w.proof('/oid4vci/token', { htm: 'GET' })],
      ['htu', w.proof('/oid4vci/credential')],
      ['stale iat', w.proof('/oid4vci/token', { iat: now() - 600 })],
      ['typ', w.proof('/oid4vci/token', {}, w.dpop, { typ: 'JWT' })],
    ];
    for (const [what, proof] of cases) {
      const res = await w.token(code, verifier, proof);
      expect([what, res.status, res.body.error]).toEqual([what, 400, 'invalid_dpop_proof']);
    }
    // the code is bound to the PAR's DPoP key: another key's (valid) proof is refused too
    const res = await w.token(code, verifier, w.proof('/oid4vci/token', {}, other));
    expect([res.status, res.body.error]).toEqual([400, 'invalid_dpop_proof']);
    expect((await w.token(code, verifier)).status).toBe(200);
  });

  it('a replayed DPoP jti is refused, also by a second issuer process on the same data dir', async () => {
    const w = new RawWallet(issuer);
    const offer = await enrollForCode(issuer);
    const p = pkce();
    const form = {
      response_type: 'code',
      client_id: CLIENT,
      redirect_uri: REDIRECT,
      code_challenge: p.challenge,
      code_challenge_method: 'S256',
      issuer_state: offer.issuerState,
    };
    await w.par(form); // learns the nonce
    const proof = w.proof('/oid4vci/par');
    expect((await w.post('/oid4vci/par', form, { DPoP: proof })).status).toBe(201);
    const replay = await w.post('/oid4vci/par', form, { DPoP: proof });
    expect([replay.status, replay.body.error]).toEqual([400, 'invalid_dpop_proof']);
    expect(replay.body.error_description).toMatch(/jti/);

    // A second issuer process (its own SQLite connection) on the same data dir: its public URL is the same.
    const second = await openIssuer({ dataDir: issuer.dataDir, secret: TEST_ISSUER_SECRET });
    const server = await serveIssuer(second, { host: '127.0.0.1', port: 0 });
    try {
      const fresh = w.proof('/oid4vci/par');
      const send = (url: string) =>
        fetch(`${url}/oid4vci/par`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded', DPoP: fresh },
          body: new URLSearchParams(form).toString(),
        });
      expect((await send(server.url)).status).toBe(201);
      const again = await send(issuer.url);
      expect([again.status, ((await again.json()) as Json).error]).toEqual([400, 'invalid_dpop_proof']);
    } finally {
      await server.close();
      await second.close();
    }
  });

  it('a wrong PKCE verifier: invalid_grant (the code survives); a missing one: invalid_request', async () => {
    const w = new RawWallet(issuer);
    const { code, verifier } = await w.code(await enrollForCode(issuer));
    const wrong = await w.token(code, pkce().verifier);
    expect([wrong.status, wrong.body.error]).toEqual([400, 'invalid_grant']);
    expect(wrong.body.error_description).toMatch(/PKCE/);
    const missing = await w.post(
      '/oid4vci/token',
      { grant_type: 'authorization_code', code, redirect_uri: REDIRECT, client_id: CLIENT },
      { DPoP: w.proof('/oid4vci/token') },
    );
    expect([missing.status, missing.body.error]).toEqual([400, 'invalid_request']);
    const other = await w.token(code, verifier, undefined, { redirect_uri: 'https://wallet.example/other' });
    expect(other.body.error).toBe('invalid_grant');
    expect((await w.token(code, verifier)).status).toBe(200);
  });

  it('a reused authorization code: invalid_grant, and the token issued from it is revoked (RFC 6749 4.1.2)', async () => {
    const w = new RawWallet(issuer);
    const { code, verifier } = await w.code(await enrollForCode(issuer));
    const first = await w.token(code, verifier);
    expect(first.status).toBe(200);
    const token = first.body.access_token as string;
    const again = await w.token(code, verifier);
    expect([again.status, again.body.error]).toEqual([400, 'invalid_grant']);
    expect(again.body.error_description).toMatch(/already used.*revoked/);
    const before = await countRows(issuer.ctx, 'issuance_record');
    const cred = await w.credential(token, { authorization: `DPoP ${token}`, DPoP: w.proof('/oid4vci/credential', { ath: w.ath(token) }) });
    expect([cred.status, cred.body.error]).toEqual([401, 'invalid_token']);
    expect(await countRows(issuer.ctx, 'issuance_record')).toBe(before);
  });

  it('a reused PAR request_uri is refused; so is an unknown one, or one pushed by another client', async () => {
    const w = new RawWallet(issuer);
    const { requestUri } = await w.code(await enrollForCode(issuer));
    const reuse = await fetch(`${issuer.url}/oid4vci/authorize?client_id=${CLIENT}&request_uri=${encodeURIComponent(requestUri)}`, { redirect: 'manual' });
    expect([reuse.status, ((await reuse.json()) as Json).error]).toEqual([400, 'invalid_request']);
    const p = pkce();
    const pushed = await w.par({
      response_type: 'code',
      client_id: CLIENT,
      redirect_uri: REDIRECT,
      code_challenge: p.challenge,
      code_challenge_method: 'S256',
    });
    const other = await fetch(`${issuer.url}/oid4vci/authorize?client_id=someone-else&request_uri=${encodeURIComponent(pushed.body.request_uri as string)}`, {
      redirect: 'manual',
    });
    expect(other.status).toBe(400);
    const unknown = await fetch(`${issuer.url}/oid4vci/authorize?client_id=${CLIENT}&request_uri=urn:ietf:params:oauth:request_uri:nope`, {
      redirect: 'manual',
    });
    expect(unknown.status).toBe(400);
    // the page answers only the browser that opened the request
    const page = await openAuthorizationPage(
      `${issuer.url}/oid4vci/authorize?client_id=${CLIENT}&request_uri=${encodeURIComponent(pushed.body.request_uri as string)}`,
    );
    const stranger = await fetch(page.next, { redirect: 'manual' });
    expect(stranger.status).toBe(400);
  });

  it('HAIP: a request not pushed, without PKCE S256, or a token request without DPoP is refused', async () => {
    const p = pkce();
    const direct = await fetch(
      `${issuer.url}/oid4vci/authorize?${new URLSearchParams({ response_type: 'code', client_id: CLIENT, redirect_uri: REDIRECT, code_challenge: p.challenge, code_challenge_method: 'S256' })}`,
      { redirect: 'manual' },
    );
    expect([direct.status, ((await direct.json()) as Json).error_description]).toEqual([400, expect.stringMatching(/PAR/)]);
    const w = new RawWallet(issuer);
    const plain = await w.par({ response_type: 'code', client_id: CLIENT, redirect_uri: REDIRECT, code_challenge: p.verifier, code_challenge_method: 'plain' });
    expect([plain.status, plain.body.error]).toEqual([400, 'invalid_request']);
    const none = await w.post('/oid4vci/par', { response_type: 'code', client_id: CLIENT, redirect_uri: REDIRECT }, { DPoP: w.proof('/oid4vci/par') });
    expect(none.body.error_description).toMatch(/PKCE/);
    const noDpop = await w.post('/oid4vci/token', { grant_type: 'urn:ietf:params:oauth:grant-type:pre-authorized_code', 'pre-authorized_code': 'x' });
    expect([noDpop.status, noDpop.body.error]).toEqual([400, 'invalid_dpop_proof']);
  });

  it('a DPoP-bound token: refused as Bearer, without ath, or with a proof by another key', async () => {
    const w = new RawWallet(issuer);
    const { code, verifier } = await w.code(await enrollForCode(issuer));
    const token = (await w.token(code, verifier)).body.access_token as string;
    const bearer = await w.credential(token, { authorization: `Bearer ${token}` });
    expect([bearer.status, bearer.body.error]).toEqual([401, 'invalid_token']);
    const noAth = await w.credential(token, { authorization: `DPoP ${token}`, DPoP: w.proof('/oid4vci/credential') });
    expect([noAth.status, noAth.body.error]).toEqual([401, 'invalid_dpop_proof']);
    expect(noAth.headers.get('www-authenticate')).toMatch(/^DPoP error="invalid_dpop_proof"/);
    const otherKey = await w.credential(token, {
      authorization: `DPoP ${token}`,
      DPoP: w.proof('/oid4vci/credential', { ath: w.ath(token) }, peerKey('ES256')),
    });
    expect([otherKey.status, otherKey.body.error]).toEqual([401, 'invalid_dpop_proof']);
    const ok = await w.credential(token, { authorization: `DPoP ${token}`, DPoP: w.proof('/oid4vci/credential', { ath: w.ath(token) }) });
    expect(ok.status).toBe(200);
  });

  it('the approval: admin only, for an opened request, once, for the enrollment of its issuer_state', async () => {
    const w = new RawWallet(issuer);
    const offer = await enrollForCode(issuer);
    const other = await enrollForCode(issuer);
    const p = pkce();
    const pushed = await w.par({
      response_type: 'code',
      client_id: CLIENT,
      redirect_uri: REDIRECT,
      code_challenge: p.challenge,
      code_challenge_method: 'S256',
      issuer_state: offer.issuerState,
    });
    const view = async (id: string) => fetch(`${issuer.url}/admin/authorizations/${id}`, { headers: { authorization: `Bearer ${TEST_ISSUER_ADMIN_TOKEN}` } });
    expect((await decide(issuer, 'ZZZZ-ZZZZ', 'approve')).status).toBe(404);
    const page = await openAuthorizationPage(
      `${issuer.url}/oid4vci/authorize?client_id=${CLIENT}&request_uri=${encodeURIComponent(pushed.body.request_uri as string)}`,
    );
    expect(((await (await view(page.id)).json()) as Json).status).toBe('opened');
    const noAdmin = await fetch(`${issuer.url}/admin/authorizations/${page.id}/approve`, { method: 'POST' });
    expect(noAdmin.status).toBe(401);
    const wrong = await decide(issuer, page.id, 'approve', { enrollment: other.offerId });
    expect([wrong.status, ((await wrong.json()) as Json).code]).toEqual([409, 'ENROLLMENT_NOT_APPROVABLE']);
    const ok = await decide(issuer, page.id, 'approve');
    expect(((await ok.json()) as Json).enrollment).toBe(offer.offerId);
    const twice = await decide(issuer, page.id, 'approve');
    expect([twice.status, ((await twice.json()) as Json).code]).toEqual([409, 'AUTHORIZATION_NOT_PENDING']);

    // a request without issuer_state names its enrollment; an enrollment already spent cannot be approved again
    const p2 = pkce();
    const pushed2 = await w.par({
      response_type: 'code',
      client_id: CLIENT,
      redirect_uri: REDIRECT,
      code_challenge: p2.challenge,
      code_challenge_method: 'S256',
    });
    const page2 = await openAuthorizationPage(
      `${issuer.url}/oid4vci/authorize?client_id=${CLIENT}&request_uri=${encodeURIComponent(pushed2.body.request_uri as string)}`,
    );
    expect((await decide(issuer, page2.id, 'approve')).status).toBe(400);
    expect(((await (await decide(issuer, page2.id, 'approve', { enrollment: offer.offerId })).json()) as Json).code).toBe('ENROLLMENT_NOT_APPROVABLE');
    expect((await decide(issuer, page2.id, 'approve', { enrollment: other.offerId })).status).toBe(200);
  });
});

describe('wallet attestation required: refusals (invalid_client, 401)', () => {
  let issuer: TestIssuer;
  const provider = peerKey('ES256');
  beforeAll(async () => {
    issuer = await startTestIssuer({
      alg: 'ES256',
      oauth: {
        haip: true,
        walletAttestation: 'required',
        walletProviderKeys: [{ kty: 'EC', crv: 'P-256', x: provider.publicJwk.x!, y: provider.publicJwk.y! }],
      },
    });
  });
  afterAll(async () => {
    await issuer?.close();
  });

  function attestation(over: { att?: Json; pop?: Json; signer?: PeerKey; popKey?: PeerKey } = {}): Record<string, string> {
    const instance = peerKey('ES256');
    const att = jwt(
      over.signer ?? provider,
      { typ: 'oauth-client-attestation+jwt' },
      { iss: 'https://wallet-provider.example', sub: CLIENT, exp: now() + 3600, cnf: { jwk: instance.publicJwk }, ...over.att },
    );
    const pop = jwt(
      over.popKey ?? instance,
      { typ: 'oauth-client-attestation-pop+jwt' },
      { aud: issuer.url, jti: randomBytes(16).toString('base64url'), iat: now(), ...over.pop },
    );
    return { 'OAuth-Client-Attestation': att, 'OAuth-Client-Attestation-PoP': pop };
  }

  it('completes with a good attestation at PAR and token; refuses each bad one', async () => {
    const w = new RawWallet(issuer);
    const p = pkce();
    const form = { response_type: 'code', client_id: CLIENT, redirect_uri: REDIRECT, code_challenge: p.challenge, code_challenge_method: 'S256' };
    const missing = await w.par(form);
    expect([missing.status, missing.body.error, missing.body.code]).toEqual([401, 'invalid_client', 'OID4VCI_INVALID_CLIENT']);
    const bad: [string, Record<string, string>][] = [
      ['untrusted provider', attestation({ signer: peerKey('ES256') })],
      ['expired', attestation({ att: { exp: now() - 300 } })],
      ['PoP by another key', attestation({ popKey: peerKey('ES256') })],
      ['PoP for another server', attestation({ pop: { aud: 'https://other.example' } })],
      ['stale PoP', attestation({ pop: { iat: now() - 900 } })],
      ['another client', attestation({ att: { sub: 'not-the-client-id' } })],
    ];
    for (const [what, headers] of bad) {
      const res = await w.post('/oid4vci/par', form, { DPoP: w.proof('/oid4vci/par'), ...headers });
      expect([what, res.status, res.body.error]).toEqual([what, 401, 'invalid_client']);
    }
    const good = attestation();
    expect((await w.post('/oid4vci/par', form, { DPoP: w.proof('/oid4vci/par'), ...good })).status).toBe(201);
    const replay = await w.post('/oid4vci/par', form, { DPoP: w.proof('/oid4vci/par'), ...good });
    expect([replay.status, replay.body.error]).toEqual([401, 'invalid_client']);
    expect(replay.body.error_description).toMatch(/jti/);

    const { code, verifier } = await w.code(await enrollForCode(issuer), {}, attestation());
    const noAttestation = await w.token(code, verifier);
    expect([noAttestation.status, noAttestation.body.error]).toEqual([401, 'invalid_client']);
    const ok = await w.token(code, verifier, undefined, {}, attestation());
    expect([ok.status, ok.body.token_type]).toEqual([200, 'DPoP']);
  });

  it('the pre-authorized code needs the attestation too', async () => {
    const res = await enroll(issuer.url, enrollmentBody((await import('./haip-helpers.js')).nextClaims()));
    const { offer } = (await res.json()) as { offer: string };
    const code = (JSON.parse(new URL(offer).searchParams.get('credential_offer')!) as { grants: Record<string, Record<string, string>> }).grants[
      'urn:ietf:params:oauth:grant-type:pre-authorized_code'
    ]!['pre-authorized_code']!;
    const w = new RawWallet(issuer);
    await w.post(
      '/oid4vci/token',
      { grant_type: 'urn:ietf:params:oauth:grant-type:pre-authorized_code', 'pre-authorized_code': code },
      { DPoP: w.proof('/oid4vci/token') },
    );
    const without = await w.post(
      '/oid4vci/token',
      { grant_type: 'urn:ietf:params:oauth:grant-type:pre-authorized_code', 'pre-authorized_code': code },
      { DPoP: w.proof('/oid4vci/token') },
    );
    expect([without.status, without.body.error]).toEqual([401, 'invalid_client']);
    const ok = await w.post(
      '/oid4vci/token',
      { grant_type: 'urn:ietf:params:oauth:grant-type:pre-authorized_code', 'pre-authorized_code': code },
      { DPoP: w.proof('/oid4vci/token'), ...attestation() },
    );
    expect([ok.status, ok.body.token_type]).toEqual([200, 'DPoP']);
  });
});
