import { generateKeyPairSync, sign as nodeSign, type KeyObject } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { createDidResolver, didKeyFromJwk, publicJwkOf, x509Hash } from '../../core/index.js';
// Internals on purpose: each wallet-side request rule is checked directly, one test per rule (no HTTP).
import { MAX_URI_LENGTH, parseOpenid4vpUri } from '../../holder/oid4vp/parse-uri.js';
import { decodeRequestObject, type DecodedRequestObject } from '../../holder/oid4vp/request-object.js';
import { validateRequest } from '../../holder/oid4vp/validate-request.js';
import { PROFILES } from '../../schemas/index.js';
import { signRequestObject, verifierPki, type VerifierPki } from './x509-fixture.js';
import { thrown } from '../helpers/thrown.js';

const RESPONSE_URI = 'https://kiosk.example/oid4vp/responses';
const CLIENT = `redirect_uri:${RESPONSE_URI}`;
const NOW = 1_800_000_000;
const base: Record<string, unknown> = {
  response_type: 'vp_token',
  response_mode: 'direct_post',
  client_id: CLIENT,
  response_uri: RESPONSE_URI,
  nonce: 'n-0123456789abcdef',
  state: 's-1',
  dcql_query: PROFILES.lite,
};
const b64u = (v: object | Buffer): string => (Buffer.isBuffer(v) ? v : Buffer.from(JSON.stringify(v))).toString('base64url');
const unsignedJwt = (payload: object, header: object = { alg: 'none', typ: 'oauth-authz-req+jwt' }, sig = '') => `${b64u(header)}.${b64u(payload)}.${sig}`;
const resolver = createDidResolver();
const encKey = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
const encJwk = { ...encKey.publicKey.export({ format: 'jwk' }), use: 'enc', alg: 'ECDH-ES', kid: 'enc-1' };

/** A request object by value, unsigned (validateRequest's own input). */
const plain = (payload: Record<string, unknown>, extra: Omit<DecodedRequestObject, 'payload'> = {}): DecodedRequestObject => ({ ...extra, payload });

const validate = (payload: Record<string, unknown>, extra: Omit<DecodedRequestObject, 'payload'> = {}, uriClientId = payload.client_id as string) =>
  validateRequest(plain(payload, extra), uriClientId, NOW);
const refusal = (payload: Record<string, unknown>, extra: Omit<DecodedRequestObject, 'payload'> = {}, uriClientId = payload.client_id as string) =>
  thrown(() => validate(payload, extra, uriClientId));
const without = (name: string) => Object.fromEntries(Object.entries(base).filter(([k]) => k !== name));

/** A did:key verifier and a request object it signs (EdDSA, header as given). */
function didVerifier() {
  const { privateKey } = generateKeyPairSync('ed25519');
  const did = didKeyFromJwk(publicJwkOf(privateKey));
  return { did, kid: `${did}#${did.slice('did:key:'.length)}`, privateKey };
}
function signEd(payload: object, key: KeyObject, header: Record<string, unknown>): string {
  const input = `${b64u({ alg: 'EdDSA', ...header })}.${b64u(payload)}`;
  return `${input}.${b64u(nodeSign(null, Buffer.from(input), key))}`;
}

describe('parseOpenid4vpUri (OpenID4VP 1.0 section 5: the openid4vp:// URI)', () => {
  it('an empty URI, or one that is not a string, is OID4VP_URI_INVALID "empty"', () => {
    expect(thrown(() => parseOpenid4vpUri(''))).toMatchObject({ code: 'OID4VP_URI_INVALID', message: 'the OpenID4VP URI is empty' });
    expect(thrown(() => parseOpenid4vpUri(42 as unknown as string))).toMatchObject({ code: 'OID4VP_URI_INVALID', message: 'the OpenID4VP URI is empty' });
  });

  it('MAX_URI_LENGTH is 16 KiB: a URI of exactly 16384 characters is read, one of 16385 refused', () => {
    expect(MAX_URI_LENGTH).toBe(16_384);
    const head = 'openid4vp://?client_id=c&request_uri=https%3A%2F%2Fv.example%2Fr&pad=';
    const at = head + 'a'.repeat(MAX_URI_LENGTH - head.length);
    expect(at.length).toBe(MAX_URI_LENGTH);
    expect(parseOpenid4vpUri(at)).toMatchObject({ kind: 'request_uri', clientId: 'c' });
    expect(thrown(() => parseOpenid4vpUri(`${at}a`))).toMatchObject({
      code: 'OID4VP_URI_INVALID',
      message: 'the OpenID4VP URI exceeds 16384 characters',
    });
  });

  it('text that is not a URI is OID4VP_URI_INVALID "not a URI"', () => {
    expect(thrown(() => parseOpenid4vpUri('client_id=c&request_uri=x'))).toMatchObject({ code: 'OID4VP_URI_INVALID', message: 'not a URI' });
  });

  it('only the openid4vp: scheme is read (https:, haip: refused), in any case, around white space', () => {
    for (const scheme of ['https', 'haip', 'openid-credential-offer']) {
      expect(thrown(() => parseOpenid4vpUri(`${scheme}://v.example/?client_id=c`))).toMatchObject({
        code: 'OID4VP_URI_INVALID',
        message: `unsupported scheme ${scheme}: (openid4vp://)`,
      });
    }
    expect(parseOpenid4vpUri('  OpenID4VP://?client_id=c  ')).toEqual({ kind: 'params', clientId: 'c', params: { client_id: 'c' } });
  });

  it('a parameter that appears twice is refused, naming it', () => {
    expect(thrown(() => parseOpenid4vpUri('openid4vp://?client_id=a&client_id=b'))).toMatchObject({
      code: 'OID4VP_URI_INVALID',
      message: 'parameter client_id appears twice',
    });
    expect(thrown(() => parseOpenid4vpUri('openid4vp://?client_id=a&nonce=1&nonce=1'))).toMatchObject({ message: 'parameter nonce appears twice' });
  });

  it('client_id is required, and not empty', () => {
    for (const uri of ['openid4vp://?request_uri=https%3A%2F%2Fv.example%2Fr', 'openid4vp://?client_id=&request_uri=x']) {
      expect(thrown(() => parseOpenid4vpUri(uri))).toMatchObject({ code: 'OID4VP_URI_INVALID', message: 'client_id is missing' });
    }
  });

  it('request and request_uri are mutually exclusive', () => {
    expect(thrown(() => parseOpenid4vpUri('openid4vp://?client_id=c&request=a.b.c&request_uri=x'))).toMatchObject({
      code: 'OID4VP_URI_INVALID',
      message: 'request and request_uri are mutually exclusive',
    });
  });

  it('request_uri: by reference, with request_uri_method only when given and not empty', () => {
    expect(parseOpenid4vpUri('openid4vp://?client_id=c&request_uri=https%3A%2F%2Fv.example%2Fr')).toEqual({
      kind: 'request_uri',
      clientId: 'c',
      requestUri: 'https://v.example/r',
    });
    expect(parseOpenid4vpUri('openid4vp://?client_id=c&request_uri=r&request_uri_method=post')).toEqual({
      kind: 'request_uri',
      clientId: 'c',
      requestUri: 'r',
      requestUriMethod: 'post',
    });
    expect(parseOpenid4vpUri('openid4vp://?client_id=c&request_uri=r&request_uri_method=')).toEqual({ kind: 'request_uri', clientId: 'c', requestUri: 'r' });
  });

  it('request: by value; neither: the plain parameters', () => {
    expect(parseOpenid4vpUri('openid4vp://?client_id=c&request=a.b.c')).toEqual({ kind: 'request', clientId: 'c', request: 'a.b.c' });
    expect(parseOpenid4vpUri('openid4vp://?client_id=c&request=')).toEqual({ kind: 'request', clientId: 'c', request: '' });
    expect(parseOpenid4vpUri('openid4vp://?client_id=c&nonce=n&response_type=vp_token')).toEqual({
      kind: 'params',
      clientId: 'c',
      params: { client_id: 'c', nonce: 'n', response_type: 'vp_token' },
    });
  });
});

describe('decodeRequestObject: signed or unsigned by client_id prefix (OpenID4VP 1.0 section 5.9.3, RFC 9101)', () => {
  let pki: VerifierPki;
  let otherPki: VerifierPki;
  beforeAll(async () => {
    pki = await verifierPki('kiosk.example', 'Kiosk Verifier');
    otherPki = await verifierPki('kiosk.example');
  });
  const x509Payload = (clientId: string) => ({ ...base, client_id: clientId });

  it('plain JSON (after white space) is a redirect_uri request; for any other prefix it must be signed', async () => {
    expect(await decodeRequestObject(`  \n${JSON.stringify(base)}`, CLIENT, resolver)).toEqual({ payload: base });
    for (const clientId of ['decentralized_identifier:did:key:z6Mk', 'x509_san_dns:kiosk.example', 'my-client']) {
      const prefix = clientId.startsWith('my') ? 'pre-registered' : clientId.split(':')[0];
      await expect(decodeRequestObject(JSON.stringify(base), clientId, resolver)).rejects.toMatchObject({
        code: 'OID4VP_REQUEST_INVALID',
        message: `a ${prefix} request must be a signed request object`,
      });
    }
  });

  it('plain JSON that does not parse is "not JSON"; one nested too deep is INPUT_TOO_DEEP', async () => {
    await expect(decodeRequestObject('{"a":', CLIENT, resolver)).rejects.toMatchObject({
      code: 'OID4VP_REQUEST_INVALID',
      message: 'the request object is not JSON',
    });
    await expect(decodeRequestObject(`{"a":${'['.repeat(200)}${']'.repeat(200)}}`, CLIENT, resolver)).rejects.toMatchObject({
      code: 'INPUT_TOO_DEEP',
      message: 'the request object is nested deeper than 64 levels',
    });
  });

  it('five parts is an encrypted request object: OID4VP_UNSUPPORTED; four or six parts, neither a JWT nor JSON', async () => {
    await expect(decodeRequestObject('a.b.c.d.e', CLIENT, resolver)).rejects.toMatchObject({
      code: 'OID4VP_UNSUPPORTED',
      message: 'encrypted request objects are not supported',
    });
    for (const text of ['a.b.c.d', 'a.b.c.d.e.f', 'not a jwt']) {
      await expect(decodeRequestObject(text, CLIENT, resolver), text).rejects.toMatchObject({
        code: 'OID4VP_REQUEST_INVALID',
        message: 'the request object is neither a JWT nor JSON',
      });
    }
  });

  it('alg none: only for redirect_uri, with an empty signature and typ absent or oauth-authz-req+jwt', async () => {
    expect(await decodeRequestObject(unsignedJwt(base), CLIENT, resolver)).toEqual({ payload: base });
    expect(await decodeRequestObject(unsignedJwt(base, { alg: 'none' }), CLIENT, resolver)).toEqual({ payload: base });
    await expect(decodeRequestObject(unsignedJwt(base), 'decentralized_identifier:did:key:z6Mk', resolver)).rejects.toMatchObject({
      code: 'OID4VP_REQUEST_INVALID',
      message: 'a decentralized_identifier request must be signed; this one is not',
    });
    await expect(decodeRequestObject(unsignedJwt(base), 'x509_hash:abc', resolver)).rejects.toMatchObject({
      message: 'a x509_hash request must be signed; this one is not',
    });
    await expect(decodeRequestObject(unsignedJwt(base, undefined, 'AAAA'), CLIENT, resolver)).rejects.toMatchObject({
      code: 'OID4VP_REQUEST_INVALID',
      message: 'an unsecured request object must have an empty signature',
    });
    await expect(decodeRequestObject(unsignedJwt(base, { alg: 'none', typ: 'JWT' }), CLIENT, resolver)).rejects.toMatchObject({
      code: 'OID4VP_REQUEST_INVALID',
      message: 'request object typ must be oauth-authz-req+jwt',
    });
  });

  it('a redirect_uri client cannot sign its request (section 5.9.3): OID4VP_CLIENT_INVALID', async () => {
    const v = didVerifier();
    await expect(decodeRequestObject(signEd(base, v.privateKey, { typ: 'oauth-authz-req+jwt', kid: v.kid }), CLIENT, resolver)).rejects.toMatchObject({
      code: 'OID4VP_CLIENT_INVALID',
      message: 'a redirect_uri client cannot sign its request (OpenID4VP 1.0 section 5.9.3)',
    });
  });

  it('a signed request of a pre-registered or other-prefix client is OID4VP_UNSUPPORTED', async () => {
    const v = didVerifier();
    const jwt = signEd(base, v.privateKey, { typ: 'oauth-authz-req+jwt', kid: v.kid });
    for (const [clientId, prefix] of [
      ['my-client', 'pre-registered'],
      ['verifier_attestation:v.example', 'verifier_attestation'],
    ]) {
      await expect(decodeRequestObject(jwt, clientId!, resolver)).rejects.toMatchObject({
        code: 'OID4VP_UNSUPPORTED',
        message: `client_id prefix ${prefix} is not supported (redirect_uri, decentralized_identifier, x509_san_dns, x509_hash)`,
      });
    }
  });

  it('decentralized_identifier: signed by a key of that DID, typ oauth-authz-req+jwt, no crit, kid a DID URL of it', async () => {
    const v = didVerifier();
    const clientId = `decentralized_identifier:${v.did}`;
    const payload = { ...base, client_id: clientId };
    const good = signEd(payload, v.privateKey, { typ: 'oauth-authz-req+jwt', kid: v.kid });
    expect(await decodeRequestObject(good, clientId, resolver)).toEqual({ payload, signedBy: v.did });

    await expect(decodeRequestObject(signEd(payload, v.privateKey, { typ: 'JWT', kid: v.kid }), clientId, resolver)).rejects.toMatchObject({
      code: 'OID4VP_REQUEST_INVALID',
      message: 'request object typ must be oauth-authz-req+jwt, got JWT',
    });
    await expect(decodeRequestObject(signEd(payload, v.privateKey, { kid: v.kid }), clientId, resolver)).rejects.toMatchObject({
      message: 'request object typ must be oauth-authz-req+jwt, got undefined',
    });
    await expect(
      decodeRequestObject(signEd(payload, v.privateKey, { typ: 'oauth-authz-req+jwt', kid: v.kid, crit: ['exp'], exp: 1 }), clientId, resolver),
    ).rejects.toMatchObject({ code: 'OID4VP_REQUEST_INVALID', message: 'request object has critical header parameters we do not understand' });
    const other = didVerifier();
    for (const kid of [undefined, 42, v.did, `${other.did}#${other.did.slice(8)}`, `#${v.did.slice(8)}`]) {
      await expect(
        decodeRequestObject(signEd(payload, v.privateKey, { typ: 'oauth-authz-req+jwt', ...(kid === undefined ? {} : { kid }) }), clientId, resolver),
        String(kid),
      ).rejects.toMatchObject({ code: 'OID4VP_CLIENT_INVALID', message: `the request object kid must be a DID URL of ${v.did}` });
    }
  });

  it('decentralized_identifier: a signature by another key, or a kid the DID does not have, does not verify', async () => {
    const v = didVerifier();
    const clientId = `decentralized_identifier:${v.did}`;
    const byOther = signEd({ ...base, client_id: clientId }, didVerifier().privateKey, { typ: 'oauth-authz-req+jwt', kid: v.kid });
    await expect(decodeRequestObject(byOther, clientId, resolver)).rejects.toMatchObject({
      code: 'OID4VP_REQUEST_INVALID',
      message: expect.stringMatching(new RegExp(`^the request object signature does not verify with ${v.kid} \\([A-Z_]+: .+\\)$`)),
    });
    const unknownKid = `${v.did}#other`;
    await expect(
      decodeRequestObject(signEd({ ...base, client_id: clientId }, v.privateKey, { typ: 'oauth-authz-req+jwt', kid: unknownKid }), clientId, resolver),
    ).rejects.toMatchObject({ code: 'OID4VP_REQUEST_INVALID', message: expect.stringContaining(`does not verify with ${unknownKid}`) });
  });

  it('x509_san_dns and x509_hash: verified with the x5c leaf up to a trusted root; signedBy is the client value', async () => {
    const anchors = { trustedRoots: [pki.root.certificate] };
    const dnsId = 'x509_san_dns:kiosk.example';
    const san = await decodeRequestObject(signRequestObject(x509Payload(dnsId), pki.leaf.privateKey, pki.chain), dnsId, resolver, anchors);
    expect(san).toMatchObject({ signedBy: 'kiosk.example', x509: { prefix: 'x509_san_dns', value: 'kiosk.example', name: 'Kiosk Verifier' } });
    const hashId = `x509_hash:${x509Hash(pki.leaf.certificate)}`;
    const hash = await decodeRequestObject(signRequestObject(x509Payload(hashId), pki.leaf.privateKey, pki.chain), hashId, resolver, anchors);
    expect(hash).toMatchObject({ signedBy: x509Hash(pki.leaf.certificate), x509: { prefix: 'x509_hash' } });
    expect(hash.payload).toEqual(x509Payload(hashId));
  });

  it('x509: no trusted root at all is X509_UNTRUSTED with the hint to add one; another root is X509_UNTRUSTED without it', async () => {
    const dnsId = 'x509_san_dns:kiosk.example';
    const jwt = signRequestObject(x509Payload(dnsId), pki.leaf.privateKey, pki.chain);
    const none = decodeRequestObject(jwt, dnsId, resolver);
    await expect(none).rejects.toMatchObject({
      code: 'X509_UNTRUSTED',
      message: expect.stringContaining(': this wallet trusts no verifier root yet (netcred wallet trust add-cert ROOT.pem, or --trust-root)'),
    });
    const err = (await decodeRequestObject(jwt, dnsId, resolver, { trustedRoots: [otherPki.root.certificate] }).catch((e: unknown) => e)) as Error;
    expect(err).toMatchObject({ code: 'X509_UNTRUSTED' });
    expect(err.message).not.toContain('trusts no verifier root yet');
  });

  it('x509: only X509_UNTRUSTED gets the no-root hint; another chain fault with no root keeps its own code and message', async () => {
    const dnsId = 'x509_san_dns:kiosk.example';
    const jwt = signRequestObject(x509Payload(dnsId), pki.leaf.privateKey, pki.chain);
    const err = (await decodeRequestObject(jwt, dnsId, resolver, { now: Math.floor(Date.now() / 1000) + 100 * 365 * 86400 }).catch((e: unknown) => e)) as {
      code: string;
      message: string;
    };
    expect(err.code).toMatch(/^X509_/);
    expect(err.code).not.toBe('X509_UNTRUSTED');
    expect(err.message).not.toContain('trusts no verifier root yet');
  });

  it('x509 request objects: typ oauth-authz-req+jwt, no crit, an x5c chain, a DNS-name client, the leaf hash, the leaf signature', async () => {
    const anchors = { trustedRoots: [pki.root.certificate] };
    const dnsId = 'x509_san_dns:kiosk.example';
    const signed = (header: Record<string, unknown> = {}, clientId = dnsId, key = pki.leaf.privateKey) =>
      decodeRequestObject(signRequestObject(x509Payload(clientId), key, pki.chain, header), clientId, resolver, anchors);
    await expect(signed({ typ: 'JWT' })).rejects.toMatchObject({
      code: 'OID4VP_REQUEST_INVALID',
      message: 'request object typ must be oauth-authz-req+jwt, got JWT',
    });
    await expect(signed({ crit: ['exp'], exp: 1 })).rejects.toMatchObject({
      code: 'OID4VP_REQUEST_INVALID',
      message: 'request object has critical header parameters we do not understand',
    });
    await expect(signed({ x5c: undefined })).rejects.toMatchObject({
      code: 'OID4VP_REQUEST_INVALID',
      message: 'a x509_san_dns request object must carry its certificate chain in x5c',
    });
    await expect(signed({}, 'x509_san_dns:10.0.0.1')).rejects.toMatchObject({
      code: 'CLIENT_ID_MISMATCH',
      message: 'x509_san_dns:10.0.0.1: the value is not a DNS name',
    });
    await expect(signed({}, 'x509_san_dns:other.example')).rejects.toMatchObject({ code: 'X509_SAN_MISMATCH' });
    await expect(signed({}, 'x509_hash:AAAA')).rejects.toMatchObject({
      code: 'CLIENT_ID_MISMATCH',
      message: expect.stringContaining('client_id x509_hash:AAAA is not the hash of the signing certificate'),
    });
    await expect(signed({}, dnsId, otherPki.leaf.privateKey)).rejects.toMatchObject({
      code: 'REQUEST_SIGNATURE_INVALID',
      message: expect.stringContaining('the request object signature does not verify with the key of its x5c leaf certificate'),
    });
  });

  it('x509: the certificate validity is judged at options.now', async () => {
    const dnsId = 'x509_san_dns:kiosk.example';
    const jwt = signRequestObject(x509Payload(dnsId), pki.leaf.privateKey, pki.chain);
    await expect(
      decodeRequestObject(jwt, dnsId, resolver, { trustedRoots: [pki.root.certificate], now: Math.floor(Date.now() / 1000) + 100 * 365 * 86400 }),
    ).rejects.toMatchObject({ code: expect.stringMatching(/^X509_/) });
  });
});

describe('validateRequest (OpenID4VP 1.0: checks before anything is shown to the holder)', () => {
  it('a well-formed redirect_uri request resolves to exactly what the holder is shown', () => {
    const r = validate({ ...base, exp: NOW + 60 });
    expect(r).toEqual({
      clientId: CLIENT,
      clientIdPrefix: 'redirect_uri',
      verifier: RESPONSE_URI,
      responseMode: 'direct_post',
      vpFormats: { 'dc+sd-jwt': { supported: true }, 'vc+sd-jwt': { supported: true } },
      responseUri: RESPONSE_URI,
      nonce: base.nonce,
      state: 's-1',
      dcql: PROFILES.lite,
      expiresAt: NOW + 60,
    });
    const noState = validate(without('state'));
    expect('state' in noState).toBe(false);
    expect('expiresAt' in noState).toBe(false);
  });

  it('client_id, response_uri, nonce: non-empty strings of at most 1024 characters without control characters', () => {
    const msg = (name: string) => ({ code: 'OID4VP_REQUEST_INVALID', message: `${name} must be a non-empty string of at most 1024 characters` });
    expect(refusal(without('client_id'), {}, CLIENT)).toMatchObject(msg('client_id'));
    expect(refusal({ ...base, client_id: 7 }, {}, CLIENT)).toMatchObject(msg('client_id'));
    expect(refusal(without('response_uri'))).toMatchObject(msg('response_uri'));
    expect(refusal(without('nonce'))).toMatchObject(msg('nonce'));
    expect(refusal({ ...base, nonce: '' })).toMatchObject(msg('nonce'));
    expect(refusal({ ...base, nonce: 5 })).toMatchObject(msg('nonce'));
    expect(validate({ ...base, nonce: 'n'.repeat(1024) }).nonce).toHaveLength(1024);
    expect(refusal({ ...base, nonce: 'n'.repeat(1025) })).toMatchObject(msg('nonce'));
    for (const c of ['\u0000', '\n', '\u001f']) expect(refusal({ ...base, nonce: `ab${c}cd` }), JSON.stringify(c)).toMatchObject(msg('nonce'));
    expect(validate({ ...base, nonce: 'a b\u007f' }).nonce).toBe('a b\u007f');
  });

  it('state is optional, but when present it follows the same rule', () => {
    const msg = { code: 'OID4VP_REQUEST_INVALID', message: 'state must be a non-empty string of at most 1024 characters' };
    expect(refusal({ ...base, state: '' })).toMatchObject(msg);
    expect(refusal({ ...base, state: null })).toMatchObject(msg);
    expect(refusal({ ...base, state: 's'.repeat(1025) })).toMatchObject(msg);
    expect(validate({ ...base, state: 's'.repeat(1024) }).state).toHaveLength(1024);
  });

  it('the client_id of the request object must be the one of the URI: OID4VP_CLIENT_INVALID', () => {
    expect(refusal(base, {}, `${CLIENT}/other`)).toMatchObject({
      code: 'OID4VP_CLIENT_INVALID',
      message: 'the client_id in the request object differs from the one in the URI',
    });
  });

  it('response_type must be vp_token', () => {
    for (const rt of ['vp_token id_token', undefined, 'code']) {
      expect(refusal({ ...base, response_type: rt })).toMatchObject({
        code: 'OID4VP_UNSUPPORTED',
        message: `response_type ${String(rt)} is not supported (vp_token)`,
      });
    }
  });

  it('response_mode must be direct_post or direct_post.jwt', () => {
    for (const rm of ['fragment', 'query', undefined, 'direct_post.JWT']) {
      expect(refusal({ ...base, response_mode: rm })).toMatchObject({
        code: 'OID4VP_UNSUPPORTED',
        message: `response_mode ${String(rm)} is not supported (direct_post, direct_post.jwt)`,
      });
    }
  });

  it('direct_post.jwt is answered only to a signed request', () => {
    expect(refusal({ ...base, response_mode: 'direct_post.jwt', client_metadata: { jwks: { keys: [encJwk] } } })).toMatchObject({
      code: 'OID4VP_UNSUPPORTED',
      message: 'direct_post.jwt is answered only to a signed request (its encryption key must come from an authenticated verifier)',
    });
  });

  it('Presentation Exchange (presentation_definition, presentation_definition_uri) is OID4VP_UNSUPPORTED', () => {
    for (const change of [{ presentation_definition: {} }, { presentation_definition_uri: 'https://v.example/pd' }, { presentation_definition: null }]) {
      expect(refusal({ ...base, ...change })).toMatchObject({ code: 'OID4VP_UNSUPPORTED', message: 'Presentation Exchange is not supported; use dcql_query' });
    }
  });

  it('scope without dcql_query is OID4VP_UNSUPPORTED; scope beside dcql_query is ignored', () => {
    expect(refusal({ ...without('dcql_query'), scope: 'pid' })).toMatchObject({
      code: 'OID4VP_UNSUPPORTED',
      message: 'scope-based requests are not supported; use dcql_query',
    });
    expect(validate({ ...base, scope: 'pid' }).dcql).toEqual(PROFILES.lite);
  });

  it('redirect_uri must not be present with direct_post', () => {
    expect(refusal({ ...base, redirect_uri: RESPONSE_URI })).toMatchObject({
      code: 'OID4VP_REQUEST_INVALID',
      message: 'redirect_uri must not be present with direct_post',
    });
  });

  it('transaction_data is OID4VP_UNSUPPORTED', () => {
    expect(refusal({ ...base, transaction_data: ['x'] })).toMatchObject({ code: 'OID4VP_UNSUPPORTED', message: 'transaction_data is not supported' });
  });

  it('response_uri is https (http only on loopback), a URL', () => {
    const httpUri = 'http://kiosk.example/cb';
    expect(refusal({ ...base, client_id: `redirect_uri:${httpUri}`, response_uri: httpUri })).toMatchObject({
      code: 'OID4VP_REQUEST_INVALID',
      message: `response_uri must be https (http only on loopback): ${httpUri}`,
    });
    expect(refusal({ ...base, client_id: 'redirect_uri:nope', response_uri: 'nope' })).toMatchObject({
      code: 'OID4VP_REQUEST_INVALID',
      message: 'response_uri is not a URL',
    });
    const loop = 'http://127.0.0.1:8080/cb';
    expect(validate({ ...base, client_id: `redirect_uri:${loop}`, response_uri: loop }).responseUri).toBe(loop);
  });

  it('exp: expired from exp on (exp = now refused, now + 1 accepted), and a NumericDate', () => {
    expect(refusal({ ...base, exp: NOW })).toMatchObject({
      code: 'OID4VP_REQUEST_INVALID',
      message: `the request expired at ${new Date(NOW * 1000).toISOString()}`,
    });
    expect(refusal({ ...base, exp: NOW - 1 })).toMatchObject({ code: 'OID4VP_REQUEST_INVALID' });
    expect(validate({ ...base, exp: NOW + 1 }).expiresAt).toBe(NOW + 1);
    expect(refusal({ ...base, exp: String(NOW + 60) })).toMatchObject({ code: 'OID4VP_REQUEST_INVALID', message: 'the request exp must be a NumericDate' });
  });

  it('dcql_query: an object, or a JSON string of one; anything else is missing, not JSON, or too deep', () => {
    expect(validate({ ...base, dcql_query: JSON.stringify(PROFILES.lite) }).dcql).toEqual(PROFILES.lite);
    for (const q of ['not json', '']) {
      expect(refusal({ ...base, dcql_query: q })).toMatchObject({ code: 'OID4VP_REQUEST_INVALID', message: 'dcql_query is not JSON' });
    }
    for (const q of [undefined, null, [], 5, '"text"', '[]', 'null']) {
      expect(refusal({ ...base, dcql_query: q }), JSON.stringify(q)).toMatchObject({ code: 'OID4VP_REQUEST_INVALID', message: 'dcql_query is missing' });
    }
    expect(refusal({ ...base, dcql_query: `${'['.repeat(200)}${']'.repeat(200)}` })).toMatchObject({
      code: 'INPUT_TOO_DEEP',
      message: expect.stringContaining('dcql_query'),
    });
  });

  it('redirect_uri: the request must not be signed, and client_id must be the response_uri', () => {
    expect(refusal(base, { signedBy: 'did:key:z6Mk' })).toMatchObject({ code: 'OID4VP_CLIENT_INVALID', message: 'a redirect_uri request must not be signed' });
    const other = 'https://kiosk.example/elsewhere';
    expect(refusal({ ...base, client_id: `redirect_uri:${other}` })).toMatchObject({
      code: 'OID4VP_CLIENT_INVALID',
      message: `client_id redirect_uri:${other} does not match response_uri ${RESPONSE_URI}`,
    });
  });

  it('decentralized_identifier: the request must be signed by that DID, and not by a certificate', () => {
    const did = 'did:key:z6MkVerifier';
    const p = { ...base, client_id: `decentralized_identifier:${did}` };
    expect(validate(p, { signedBy: did })).toMatchObject({ clientIdPrefix: 'decentralized_identifier', verifier: did });
    for (const extra of [{}, { signedBy: 'did:key:z6MkOther' }]) {
      expect(refusal(p, extra)).toMatchObject({ code: 'OID4VP_CLIENT_INVALID', message: `the request must be signed by ${did}` });
    }
  });

  it('unknown or unsupported client_id prefixes are OID4VP_UNSUPPORTED', () => {
    for (const [clientId, prefix] of [
      ['my-client', 'pre-registered'],
      ['openid_federation:https://v.example', 'openid_federation'],
      ['origin:https://v.example', 'origin'],
    ]) {
      expect(refusal({ ...base, client_id: clientId }, { signedBy: clientId })).toMatchObject({
        code: 'OID4VP_UNSUPPORTED',
        message: `client_id prefix ${prefix} is not supported (redirect_uri, decentralized_identifier, x509_san_dns, x509_hash)`,
      });
    }
  });

  it('client_metadata: an object or a JSON string of one; otherwise OID4VP_REQUEST_INVALID', () => {
    const meta = { client_name: 'Kiosk', vp_formats_supported: { 'dc+sd-jwt': { 'sd-jwt_alg_values': ['ES256'] } } };
    for (const m of [meta, JSON.stringify(meta)]) {
      expect(validate({ ...base, client_metadata: m })).toMatchObject({
        clientName: 'Kiosk',
        vpFormats: { 'dc+sd-jwt': { supported: true, sdJwt: ['ES256'] }, 'vc+sd-jwt': { supported: false } },
      });
    }
    expect(refusal({ ...base, client_metadata: '{nope' })).toMatchObject({ code: 'OID4VP_REQUEST_INVALID', message: 'client_metadata is not JSON' });
    for (const m of [null, [], 5, '[]', 'null', '"x"', false]) {
      expect(refusal({ ...base, client_metadata: m }), JSON.stringify(m)).toMatchObject({
        code: 'OID4VP_REQUEST_INVALID',
        message: 'client_metadata must be a JSON object',
      });
    }
    expect(refusal({ ...base, client_metadata: `{"a":${'['.repeat(200)}${']'.repeat(200)}}` })).toMatchObject({
      code: 'INPUT_TOO_DEEP',
      message: 'client_metadata is nested deeper than 64 levels',
    });
  });

  it('client_name: control characters (and DEL) become spaces, at most 128 characters, only a non-empty string', () => {
    expect(validate({ ...base, client_metadata: { client_name: 'A\u0000B\u001fC\u007fD\u0020E' } }).clientName).toBe('A B C D E');
    expect(validate({ ...base, client_metadata: { client_name: 'x'.repeat(200) } }).clientName).toBe('x'.repeat(128));
    for (const name of ['', 42, undefined]) expect('clientName' in validate({ ...base, client_metadata: { client_name: name } })).toBe(false);
  });

  it('direct_post: no encryption even with jwks in client_metadata', () => {
    expect('encryption' in validate({ ...base, client_metadata: { jwks: { keys: [encJwk] } } })).toBe(false);
  });
});

describe('validateRequest with signed x509 requests (x509_san_dns, x509_hash; direct_post.jwt)', () => {
  let pki: VerifierPki;
  let san: DecodedRequestObject;
  let hash: DecodedRequestObject;
  const dnsId = 'x509_san_dns:kiosk.example';
  let hashId = '';
  beforeAll(async () => {
    pki = await verifierPki('kiosk.example', 'Kiosk Verifier');
    const anchors = { trustedRoots: [pki.root.certificate] };
    san = await decodeRequestObject(signRequestObject({ ...base, client_id: dnsId }, pki.leaf.privateKey, pki.chain), dnsId, resolver, anchors);
    hashId = `x509_hash:${x509Hash(pki.leaf.certificate)}`;
    hash = await decodeRequestObject(signRequestObject({ ...base, client_id: hashId }, pki.leaf.privateKey, pki.chain), hashId, resolver, anchors);
  });

  it('x509_san_dns: accepted, the verifier named by the leaf and its root', () => {
    expect(validateRequest(san, dnsId, NOW)).toMatchObject({
      clientIdPrefix: 'x509_san_dns',
      verifier: 'kiosk.example',
      verifierName: 'Kiosk Verifier',
      certifiedBy: 'Test Verifier Root CA',
    });
  });

  it('x509: the request must be signed with the certificate of that very client_id (prefix and value)', () => {
    const msg = (id: string) => ({ code: 'OID4VP_CLIENT_INVALID', message: `the request must be signed with the certificate of ${id}` });
    expect(refusal({ ...san.payload }, { signedBy: 'kiosk.example' })).toMatchObject(msg(dnsId));
    expect(refusal({ ...san.payload }, { ...san, x509: { ...san.x509!, prefix: 'x509_hash' } })).toMatchObject(msg(dnsId));
    expect(refusal({ ...san.payload }, { ...san, x509: { ...san.x509!, value: 'other.example' } })).toMatchObject(msg(dnsId));
    expect(refusal({ ...hash.payload }, { ...hash, x509: { ...hash.x509!, value: 'AAAA' } })).toMatchObject(msg(hashId));
  });

  it('decentralized_identifier refuses a request that carries an x509 signer even when signedBy matches', () => {
    const p = { ...base, client_id: 'decentralized_identifier:kiosk.example' };
    expect(refusal(p, { signedBy: 'kiosk.example', x509: san.x509! })).toMatchObject({
      code: 'OID4VP_CLIENT_INVALID',
      message: 'the request must be signed by kiosk.example',
    });
  });

  it('x509_san_dns: the response_uri host must be the certified DNS name (RESPONSE_URI_MISMATCH); x509_hash has no such rule', () => {
    const elsewhere = 'https://collector.example/responses';
    expect(refusal({ ...san.payload, response_uri: elsewhere }, san)).toMatchObject({
      code: 'RESPONSE_URI_MISMATCH',
      message: expect.stringContaining('the response_uri host collector.example is not kiosk.example'),
    });
    expect(validate({ ...hash.payload, response_uri: elsewhere }, hash)).toMatchObject({ clientIdPrefix: 'x509_hash', responseUri: elsewhere });
  });

  it('direct_post.jwt to a signed request: the encryption key comes from client_metadata.jwks', () => {
    const r = validate({ ...san.payload, response_mode: 'direct_post.jwt', client_metadata: { jwks: { keys: [encJwk] } } }, san);
    expect(r.responseMode).toBe('direct_post.jwt');
    expect(r.encryption).toMatchObject({ kid: 'enc-1' });
    expect(thrown(() => validate({ ...san.payload, response_mode: 'direct_post.jwt' }, san))).toMatchObject({ code: 'OID4VP_REQUEST_INVALID' });
  });
});
