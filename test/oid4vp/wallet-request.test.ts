import { describe, expect, it } from 'vitest';
import { createDidResolver, signCompact } from '../../core/index.js';
// Internals on purpose: the wallet's request checks are tested one by one, below resolveRequest.
import { decodeRequestObject } from '../../holder/oid4vp/request-object.js';
import { validateRequest } from '../../holder/oid4vp/validate-request.js';
import { PROFILES } from '../../schemas/index.js';
import { newDidKey } from './helpers.js';

const RESPONSE_URI = 'https://kiosk.example/oid4vp/responses';
const CLIENT = `redirect_uri:${RESPONSE_URI}`;
const NOW = 1_800_000_000;
const base = {
  response_type: 'vp_token',
  response_mode: 'direct_post',
  client_id: CLIENT,
  response_uri: RESPONSE_URI,
  nonce: 'n-0123456789abcdef',
  state: 's-1',
  dcql_query: PROFILES.lite,
};
const unsigned = (payload: object) =>
  `${Buffer.from('{"alg":"none","typ":"oauth-authz-req+jwt"}').toString('base64url')}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}.`;
const resolver = createDidResolver();

async function check(payload: Record<string, unknown>, clientId = CLIENT) {
  return validateRequest(await decodeRequestObject(unsigned(payload), clientId, resolver), clientId, NOW);
}

describe('wallet: what makes a request acceptable (OpenID4VP 1.0 checks before anything is shown)', () => {
  it('a well-formed redirect_uri request is accepted, as an unsecured JWT or as JSON', async () => {
    expect(await check(base)).toMatchObject({
      clientIdPrefix: 'redirect_uri',
      responseUri: RESPONSE_URI,
      nonce: base.nonce,
      state: 's-1',
      dcql: PROFILES.lite,
    });
    const fromJson = validateRequest(await decodeRequestObject(JSON.stringify(base), CLIENT, resolver), CLIENT, NOW);
    expect(fromJson.nonce).toBe(base.nonce);
  });

  it('refuses what it does not speak, with OID4VP_UNSUPPORTED', async () => {
    for (const change of [
      { response_mode: 'direct_post.jwt' },
      { response_mode: 'fragment' },
      { response_type: 'vp_token id_token' },
      { presentation_definition: {} },
      { transaction_data: ['x'] },
    ]) {
      await expect(check({ ...base, ...change }), JSON.stringify(change)).rejects.toMatchObject({ code: 'OID4VP_UNSUPPORTED' });
    }
    await expect(check({ ...base, client_id: 'x509_san_dns:kiosk.example' }, 'x509_san_dns:kiosk.example')).rejects.toMatchObject({
      code: 'OID4VP_REQUEST_INVALID',
    });
  });

  it('refuses a missing nonce or query, an expired request, a redirect_uri with direct_post, an http response_uri', async () => {
    const { nonce, ...noNonce } = base;
    void nonce;
    const { dcql_query, ...noQuery } = base;
    void dcql_query;
    const cases: Record<string, unknown>[] = [
      noNonce,
      noQuery,
      { ...base, nonce: '' },
      { ...base, nonce: 'a\nb' },
      { ...base, exp: NOW - 1 },
      { ...base, redirect_uri: RESPONSE_URI },
      { ...base, dcql_query: 'not json' },
    ];
    for (const c of cases) await expect(check(c), JSON.stringify(c)).rejects.toMatchObject({ code: 'OID4VP_REQUEST_INVALID' });
    const http = { ...base, client_id: 'redirect_uri:http://kiosk.example/cb', response_uri: 'http://kiosk.example/cb' };
    await expect(check(http, http.client_id)).rejects.toMatchObject({ code: 'OID4VP_REQUEST_INVALID' });
  });

  it('a signed request must come from the DID in its client_id, with the request object typ', async () => {
    const key = newDidKey();
    const clientId = `decentralized_identifier:${key.did}`;
    const payload = { ...base, client_id: clientId };
    const good = await signCompact({ typ: 'oauth-authz-req+jwt' }, payload, key.signer);
    expect(validateRequest(await decodeRequestObject(good, clientId, resolver), clientId, NOW)).toMatchObject({
      clientIdPrefix: 'decentralized_identifier',
      verifier: key.did,
    });
    const wrongTyp = await signCompact({ typ: 'JWT' }, payload, key.signer);
    await expect(decodeRequestObject(wrongTyp, clientId, resolver)).rejects.toMatchObject({ code: 'OID4VP_REQUEST_INVALID' });
    const other = newDidKey();
    const byOther = await signCompact({ typ: 'oauth-authz-req+jwt' }, payload, other.signer);
    await expect(decodeRequestObject(byOther, clientId, resolver)).rejects.toMatchObject({ code: 'OID4VP_CLIENT_INVALID' });
    // A redirect_uri client may not sign (section 5.9.3), and an encrypted request is not supported.
    await expect(decodeRequestObject(good, CLIENT, resolver)).rejects.toMatchObject({ code: 'OID4VP_CLIENT_INVALID' });
    await expect(decodeRequestObject('a.b.c.d.e', clientId, resolver)).rejects.toMatchObject({ code: 'OID4VP_UNSUPPORTED' });
  });
});
