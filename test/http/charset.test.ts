import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OID4VCI_PATHS } from '../../issuer/index.js';
import { createVerifier, createVerifierApp, emptyTrustBundle, listenApp, oid4vpRoutesFor, TrustStore, type RunningServer } from '../../verifier/index.js';
import { startTestIssuer, TEST_ISSUER_ADMIN_TOKEN, type TestIssuer } from '../helpers/issuer.js';

/** A body the server cannot read is 415 in the protocol's error format, with a stable code, on both apps. */
const ADMIN = 'verifier-admin-token-0123456789abcdef';
let verifier: RunningServer;
let issuer: TestIssuer;

beforeAll(async () => {
  const v = createVerifier({ trust: new TrustStore(emptyTrustBundle()) });
  let url = '';
  const oid4vp = oid4vpRoutesFor(v, { baseUrl: () => url, adminToken: ADMIN });
  verifier = await listenApp(createVerifierApp({ verifier: v, routers: [oid4vp.router] }));
  url = verifier.url;
  issuer = await startTestIssuer();
});
afterAll(async () => {
  await verifier?.close();
  await issuer?.close();
});

async function post(url: string, headers: Record<string, string>, body = '{"presentation":"x"}') {
  const res = await fetch(url, { method: 'POST', headers, body });
  return { status: res.status, type: res.headers.get('content-type'), body: (await res.json()) as Record<string, unknown> };
}

const bogus = (code = 'CHARSET_UNSUPPORTED', error = 'invalid_request') => ({
  status: 415,
  type: expect.stringMatching(/^application\/json/),
  body: { error, error_description: expect.stringMatching(/unsupported (charset "X-BOGUS"|content encoding "bogus")/), code },
});

describe('unsupported charset or content encoding', () => {
  it('verifier POST /verify: JSON or text with charset=x-bogus is 415 CHARSET_UNSUPPORTED (was a 500)', async () => {
    expect(await post(`${verifier.url}/verify`, { 'content-type': 'application/json; charset=x-bogus' })).toMatchObject(bogus());
    expect(await post(`${verifier.url}/verify`, { 'content-type': 'text/plain; charset=x-bogus' }, 'x')).toMatchObject(bogus());
    expect(await post(`${verifier.url}/verify`, { 'content-type': 'application/json', 'content-encoding': 'bogus' })).toMatchObject(
      bogus('CONTENT_ENCODING_UNSUPPORTED'),
    );
    // A charset it can read still works.
    expect(await post(`${verifier.url}/verify`, { 'content-type': 'application/json; charset=utf-8' })).toMatchObject({
      status: 200,
      body: { valid: false, code: 'MALFORMED' },
    });
  });

  it('verifier OpenID4VP routes: the same 415 with the code', async () => {
    expect(
      await post(`${verifier.url}/oid4vp/requests`, { 'content-type': 'application/json; charset=x-bogus', authorization: `Bearer ${ADMIN}` }, '{}'),
    ).toMatchObject(bogus());
    expect(await post(`${verifier.url}/oid4vp/responses`, { 'content-type': 'application/x-www-form-urlencoded; charset=x-bogus' }, 'state=x')).toMatchObject(
      bogus(),
    );
  });

  it('issuer: the same 415 on the app routes, the enrollment API and the OpenID4VCI credential endpoint', async () => {
    const admin = { authorization: `Bearer ${TEST_ISSUER_ADMIN_TOKEN}` };
    expect(await post(`${issuer.url}/admin/credentials/x/revoke`, { ...admin, 'content-type': 'application/json; charset=x-bogus' }, '{}')).toMatchObject(
      bogus(),
    );
    expect(await post(`${issuer.url}${OID4VCI_PATHS.enrollments}`, { ...admin, 'content-type': 'application/json; charset=x-bogus' }, '{}')).toMatchObject(
      bogus(),
    );
    expect(
      await post(`${issuer.url}${OID4VCI_PATHS.credential}`, { authorization: 'Bearer x', 'content-type': 'application/json; charset=x-bogus' }, '{}'),
    ).toMatchObject(bogus('CHARSET_UNSUPPORTED', 'invalid_credential_request'));
    expect(
      await post(`${issuer.url}${OID4VCI_PATHS.enrollments}`, { ...admin, 'content-type': 'application/json', 'content-encoding': 'bogus' }, '{}'),
    ).toMatchObject(bogus('CONTENT_ENCODING_UNSUPPORTED'));
  });
});
