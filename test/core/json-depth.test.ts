import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// Internals on purpose: the depth scan and the bounds behind parseJsonBounded are what this file tests.
import { b64uDecodeJson } from '../../core/encoding/base64url.js';
import { decodeCompact, decodeSdJwt, InvalidInputError, MAX_JSON_DEPTH, parseDisclosure, parseJsonBounded } from '../../core/index.js';
import { assertJsonBounds, jsonDepth } from '../../core/encoding/json.js';
import { OID4VCI_PATHS } from '../../issuer/index.js';
import {
  createVerifier,
  createVerifierApp,
  emptyTrustBundle,
  listenApp,
  oid4vpRoutesFor,
  TrustStore,
  writeTrustBundle,
  type RunningServer,
} from '../../verifier/index.js';
import { runCli } from '../helpers/cli.js';
import { startTestIssuer, TEST_ISSUER_ADMIN_TOKEN, type TestIssuer } from '../helpers/issuer.js';
import { tempDir } from '../helpers/tmp.js';

/** `n` nested arrays: `[[...]]`, JSON depth n. */
const nested = (n: number) => `${'['.repeat(n)}${']'.repeat(n)}`;
const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64url');
const HEADER = b64(JSON.stringify({ alg: 'EdDSA', typ: 'dc+sd-jwt' }));
const SIG = 'c2lnbmF0dXJl';
/** A JWT whose payload (or header) member `deep` nests `n` arrays inside the top-level object (JSON depth n + 1). */
const jwtWithDeepPayload = (n: number) => `${HEADER}.${b64(`{"iss":"did:key:z6Mk","deep":${nested(n)}}`)}.${SIG}`;
const jwtWithDeepHeader = (n: number) => `${b64(`{"alg":"EdDSA","typ":"dc+sd-jwt","deep":${nested(n)}}`)}.${b64('{}')}.${SIG}`;
const deepDisclosure = (n: number) => b64(`["salt","name",${nested(n)}]`);

const codeOf = (fn: () => unknown): string | undefined => {
  try {
    fn();
    return undefined;
  } catch (err) {
    return (err as { code?: string }).code;
  }
};

describe('the bounded JSON parse (core/encoding/json.ts)', () => {
  it('counts bracket depth outside strings, escapes included', () => {
    expect(jsonDepth('1')).toBe(0);
    expect(jsonDepth('{}')).toBe(1);
    expect(jsonDepth('[[],[[]]]')).toBe(3);
    expect(jsonDepth('"[[[{{{"')).toBe(0);
    expect(jsonDepth('{"a":"\\"[[[","b":[{"c":"]]]]"}]}')).toBe(3);
    expect(jsonDepth('["\\\\",[[]]]')).toBe(3);
    expect(jsonDepth(nested(20_000), 64)).toBe(65); // stops as soon as it knows
  });

  it(`accepts exactly ${MAX_JSON_DEPTH} levels and refuses ${MAX_JSON_DEPTH + 1} with INPUT_TOO_DEEP`, () => {
    expect(MAX_JSON_DEPTH).toBe(64);
    expect(parseJsonBounded(nested(MAX_JSON_DEPTH), 'x', (c) => c as Error)).toBeInstanceOf(Array);
    const objects = (n: number) => `${'{"a":'.repeat(n - 1)}{}${'}'.repeat(n - 1)}`;
    expect(jsonDepth(objects(MAX_JSON_DEPTH))).toBe(MAX_JSON_DEPTH);
    expect(() => assertJsonBounds(objects(MAX_JSON_DEPTH), 'x')).not.toThrow();
    expect(codeOf(() => assertJsonBounds(objects(MAX_JSON_DEPTH + 1), 'x'))).toBe('INPUT_TOO_DEEP');
    expect(codeOf(() => parseJsonBounded(nested(MAX_JSON_DEPTH + 1), 'x', (c) => c as Error))).toBe('INPUT_TOO_DEEP');
    expect(codeOf(() => parseJsonBounded(nested(3), 'x', (c) => c as Error, { maxDepth: 2 }))).toBe('INPUT_TOO_DEEP');
  });

  it('refuses oversize text by its UTF-8 size with INPUT_TOO_LARGE, before parsing; a syntax error is the caller’s error', () => {
    const text = `"${'é'.repeat(600)}"`; // 602 characters, 1,202 bytes
    expect(() => assertJsonBounds(text, 'x', { maxBytes: 1202 })).not.toThrow();
    expect(codeOf(() => assertJsonBounds(text, 'x', { maxBytes: 1201 }))).toBe('INPUT_TOO_LARGE');
    expect(codeOf(() => parseJsonBounded('{"a":', 'x', (cause) => new InvalidInputError('nope', undefined, cause)))).toBe('INVALID_INPUT');
  });

  it('guards every JWT, disclosure and decode parse in core', () => {
    expect(decodeCompact(jwtWithDeepHeader(MAX_JSON_DEPTH - 1)).header.alg).toBe('EdDSA');
    expect(codeOf(() => decodeCompact(jwtWithDeepHeader(MAX_JSON_DEPTH)))).toBe('INPUT_TOO_DEEP');
    expect(codeOf(() => decodeCompact(jwtWithDeepPayload(20_000)))).toBe('INPUT_TOO_DEEP');
    expect(parseDisclosure(deepDisclosure(MAX_JSON_DEPTH - 1)).name).toBe('name');
    expect(codeOf(() => parseDisclosure(deepDisclosure(MAX_JSON_DEPTH)))).toBe('INPUT_TOO_DEEP');
    expect(codeOf(() => decodeSdJwt(JSON.stringify({ id: 'x', deep: JSON.parse(nested(1000)) as unknown })))).toBe('INPUT_TOO_DEEP');
    expect(codeOf(() => b64uDecodeJson(b64(nested(100))))).toBe('INPUT_TOO_DEEP');
    // Still the old codes for what is merely malformed.
    expect(codeOf(() => decodeCompact(`${b64('{"alg":')}.${b64('{}')}.${SIG}`))).toBe('JWS_MALFORMED');
    expect(codeOf(() => parseDisclosure(b64('["s",')))).toBe('DISCLOSURE_MALFORMED');
  });
});

describe('deep JSON through the CLI', () => {
  const tmp = tempDir('netcred-json-depth-');
  const write = (name: string, text: string) => {
    const file = path.join(tmp.dir, name);
    writeFileSync(file, text);
    return file;
  };
  const inputs = {
    'payload 5,000 deep': `${jwtWithDeepPayload(5_000)}~`,
    'header 20,000 deep': `${jwtWithDeepHeader(20_000)}~`,
    'disclosure 20,000 deep': `${HEADER}.${b64('{"_sd":[]}')}.${SIG}~${deepDisclosure(20_000)}~`,
    'KB-JWT header 20,000 deep': `${HEADER}.${b64('{}')}.${SIG}~${jwtWithDeepHeader(20_000)}`,
    'EnvelopedVerifiableCredential 20,000 deep': `{"id":"data:application/vc+sd-jwt,x","deep":${nested(20_000)}}`,
  };
  afterAll(() => tmp.cleanup());

  it.each(Object.entries(inputs))('netcred decode: %s is exit 2 with INPUT_TOO_DEEP, not a crash', async (name, text) => {
    const file = write(`${name.replace(/\W+/g, '-')}.txt`, text);
    const r = await runCli(['decode', file]);
    expect(r.stderr).toMatch(/^error INPUT_TOO_DEEP: /);
    expect(r.code).toBe(2);
    const j = await runCli(['decode', file, '--json']);
    expect(j.code).toBe(2);
    expect(JSON.parse(j.stdout)).toMatchObject({ error: { code: 'INPUT_TOO_DEEP' } });
  });

  it('netcred verify: a payload, a header or a JSON serialization 20,000 deep is the verdict INPUT_TOO_DEEP (exit 1)', async () => {
    const bundle = path.join(tmp.dir, 'bundle.json');
    writeTrustBundle(bundle, emptyTrustBundle());
    const jsonSerialized = JSON.stringify({ protected: HEADER, payload: b64('{}'), signature: SIG }).replace(/}$/, `,"deep":${nested(20_000)}}`);
    for (const text of [`${jwtWithDeepPayload(20_000)}~`, `${jwtWithDeepHeader(20_000)}~`, jsonSerialized]) {
      const r = await runCli(['verify', write('presentation.txt', text), '--bundle', bundle, '--json']);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(1);
      expect(JSON.parse(r.stdout)).toMatchObject({ valid: false, code: 'INPUT_TOO_DEEP' });
    }
  });

  it('netcred wallet import: a credential whose payload is 20,000 deep is exit 2 with INPUT_TOO_DEEP', async () => {
    const env = { NETCRED_PIN: '739146', NETCRED_HOME: path.join(tmp.dir, 'wallet') };
    expect((await runCli(['wallet', 'init', '--json'], { env })).code).toBe(0);
    const r = await runCli(['wallet', 'import', write('credential.txt', `${jwtWithDeepPayload(20_000)}~`)], { env });
    expect(r.stderr).toMatch(/^error INPUT_TOO_DEEP: /);
    expect(r.code).toBe(2);
  });
});

describe('deep JSON through both HTTP apps', () => {
  const ADMIN = 'verifier-admin-token-0123456789abcdef';
  const deepBody = nested(20_000);
  let verifierServer: RunningServer;
  let issuer: TestIssuer;

  beforeAll(async () => {
    const verifier = createVerifier({ trust: new TrustStore(emptyTrustBundle()) });
    let url = '';
    const oid4vp = oid4vpRoutesFor(verifier, { baseUrl: () => url, adminToken: ADMIN });
    verifierServer = await listenApp(createVerifierApp({ verifier, routers: [oid4vp.router] }));
    url = verifierServer.url;
    issuer = await startTestIssuer();
  });
  afterAll(async () => {
    await verifierServer?.close();
    await issuer?.close();
  });

  const post = async (url: string, body: string, headers: Record<string, string> = {}) => {
    const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };
  const tooDeep = { status: 400, body: { error: 'invalid_request', code: 'INPUT_TOO_DEEP' } };

  it('verifier: a 20,000-deep body is a typed 400 on POST /verify and POST /oid4vp/requests; 64 levels still pass', async () => {
    expect(await post(`${verifierServer.url}/verify`, deepBody)).toMatchObject(tooDeep);
    expect(await post(`${verifierServer.url}/verify`, `{"presentation":"x","deep":${deepBody}}`)).toMatchObject(tooDeep);
    expect(await post(`${verifierServer.url}/oid4vp/requests`, `{"dcql_query":${deepBody}}`, { authorization: `Bearer ${ADMIN}` })).toMatchObject(tooDeep);
    // At the bound the body is parsed and the route answers (the presentation "x" is not an SD-JWT).
    expect(await post(`${verifierServer.url}/verify`, `{"presentation":"x","deep":${nested(MAX_JSON_DEPTH - 1)}}`)).toMatchObject({
      status: 200,
      body: { valid: false, code: 'MALFORMED' },
    });
  });

  it('verifier: a presentation whose JWT is 20,000 deep is the verdict INPUT_TOO_DEEP (JSON and text/plain)', async () => {
    const presentation = `${jwtWithDeepPayload(20_000)}~`;
    expect(await post(`${verifierServer.url}/verify`, JSON.stringify({ presentation }))).toMatchObject({
      status: 200,
      body: { valid: false, code: 'INPUT_TOO_DEEP' },
    });
    const res = await fetch(`${verifierServer.url}/verify`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: presentation });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ valid: false, code: 'INPUT_TOO_DEEP' });
  });

  it('issuer: a 20,000-deep body is a typed 400 on the admin, enrollment and credential routes', async () => {
    const admin = { authorization: `Bearer ${TEST_ISSUER_ADMIN_TOKEN}` };
    expect(await post(`${issuer.url}/admin/credentials/x/revoke`, `{"reason":${deepBody}}`, admin)).toMatchObject(tooDeep);
    expect(await post(`${issuer.url}${OID4VCI_PATHS.enrollments}`, `{"claims":${deepBody}}`, admin)).toMatchObject(tooDeep);
    expect(await post(`${issuer.url}${OID4VCI_PATHS.credential}`, deepBody, { authorization: 'Bearer x' })).toMatchObject({
      status: 400,
      body: { error: 'invalid_credential_request', code: 'INPUT_TOO_DEEP' },
    });
  });
});
