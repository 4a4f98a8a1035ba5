import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  bearerAuth,
  CLASS_CONTRACT,
  ERROR_CODES,
  errorClassOf,
  exitCodeOf,
  httpErrorHandler,
  httpStatusOf,
  InputTooLargeError,
  InvalidInputError,
  listen,
  NetcredError,
  oauthErrorOf,
  StorageError,
  type ErrorClass,
  type ErrorCode,
  type RunningServer,
} from '../../core/index.js';
// An internal on purpose: the JSON body parser the apps mount, whose failures must carry a code.
import { jsonBody } from '../../core/http/json-body.js';
import { reportError } from '../../cli/run.js';
import { Oid4vciError } from '../../issuer/index.js';
import {
  createOid4vpRouter,
  createVerifier,
  createVerifierApp,
  emptyTrustBundle,
  NonceStoreFullError,
  RequestStore,
  TrustStore,
} from '../../verifier/index.js';

describe('the table of codes (core/errors/codes.ts)', () => {
  it('gives every code one class, and each class its HTTP status and CLI exit code', () => {
    const classes = new Set(Object.values(ERROR_CODES).map((s) => s.class));
    expect([...classes].sort()).toEqual(['input', 'internal', 'setup', 'storage', 'verdict']);
    const expected: Record<ErrorClass, [number, number]> = { input: [400, 2], verdict: [400, 1], storage: [503, 2], setup: [500, 2], internal: [500, 3] };
    for (const [cls, [status, exit]] of Object.entries(expected)) expect(CLASS_CONTRACT[cls as ErrorClass], cls).toEqual({ status, exit });
    expect(exitCodeOf('INVALID_INPUT')).toBe(2);
    expect(exitCodeOf('KB_JWT_REPLAYED')).toBe(1);
    expect(exitCodeOf('STORAGE_FULL')).toBe(2);
    expect(exitCodeOf('SECRET_INVALID')).toBe(2);
    expect(exitCodeOf('INTERNAL')).toBe(3);
    // A code from elsewhere (a foreign hook, another system) is nobody's known fault: internal.
    expect(errorClassOf('NOT_A_NETCRED_CODE')).toBe('internal');
  });

  it('HTTP status and OAuth error follow from the code, for any error class that carries it', () => {
    const cases: [unknown, number, string][] = [
      [new InvalidInputError('bad'), 400, 'invalid_request'],
      [new InputTooLargeError('body', 10), 413, 'invalid_request'],
      [new NetcredError('CREDENTIAL_NOT_FOUND', 'no such credential'), 404, 'not_found'],
      [new NetcredError('STATUS_REVOKED_FINAL', 'final'), 409, 'invalid_request'],
      [new NetcredError('CHARSET_UNSUPPORTED', 'x-bogus'), 415, 'invalid_request'],
      [new NetcredError('KB_JWT_REPLAYED', 'seen'), 400, 'invalid_request'],
      [new StorageError('STORAGE_FULL', 'disk full'), 503, 'temporarily_unavailable'],
      [Object.assign(new Error('SQLITE_FULL: database or disk is full'), { code: 'SQLITE_FULL' }), 503, 'temporarily_unavailable'],
      [new NonceStoreFullError(10, 7), 503, 'temporarily_unavailable'],
      [new NetcredError('ISSUER_NOT_INITIALIZED', 'run init'), 500, 'server_error'],
      [new NetcredError('INTERNAL', 'bug'), 500, 'server_error'],
      [new Error('plain'), 500, 'server_error'],
      [Object.assign(new Error('request entity too large'), { status: 413, type: 'entity.too.large' }), 413, 'invalid_request'],
      [new Oid4vciError('invalid_grant', 'used'), 400, 'invalid_grant'],
      [new Oid4vciError('invalid_token', 'unknown token'), 401, 'invalid_token'],
    ];
    for (const [err, status, error] of cases) {
      expect([httpStatusOf(err), oauthErrorOf(err)], String((err as Error).message)).toEqual([status, error]);
    }
    expect(new Oid4vciError('invalid_token', 'x').status).toBe(401);
  });

  it("reportError (the CLI's) exits by class", () => {
    const saved = process.stdout.write;
    process.stdout.write = (() => true) as typeof process.stdout.write;
    try {
      const exits = (['INVALID_INPUT', 'STORAGE_FULL', 'SECRET_INVALID', 'KB_JWT_REPLAYED', 'INTERNAL'] as ErrorCode[]).map((c) =>
        reportError(new NetcredError(c, 'x'), true),
      );
      expect(exits).toEqual([2, 2, 2, 1, 3]);
      expect(reportError(new Error('untyped'), true)).toBe(3);
      expect(reportError(Object.assign(new Error('disk'), { code: 'SQLITE_FULL' }), true)).toBe(2);
    } finally {
      process.stdout.write = saved;
    }
  });
});

describe('httpErrorHandler and bearerAuth over HTTP', () => {
  let server: RunningServer;
  const thrown: Record<string, unknown> = {
    input: new InvalidInputError('claims are missing', [{ path: 'given_name', message: 'required' }]),
    storage: new StorageError('STORAGE_UNAVAILABLE', 'locked by another process'),
    nonce: new NonceStoreFullError(10, 7),
    setup: new NetcredError('SECRET_INVALID', 'the secret at /secret/path does not open the keys'),
    untyped: new Error('SQLITE_CANTOPEN: /secret/path/issuer.sqlite'),
    token: new Oid4vciError('invalid_token', 'the "access" token is unknown'),
  };

  beforeAll(async () => {
    const app = express();
    app.get('/admin', bearerAuth({ token: 'admin-token-0123456789', realm: 'test' }), (_req, res) => void res.json({ ok: true }));
    app.get('/closed', bearerAuth({ token: undefined, realm: 'test' }), (_req, res) => void res.json({ ok: true }));
    app.post('/json', jsonBody({ limit: '1kb' }), (_req, res) => void res.json({ ok: true }));
    app.get('/throw/:what', (req) => {
      throw thrown[String(req.params.what)];
    });
    const details = express.Router().get('/details/input', () => {
      throw thrown.input;
    });
    details.use(httpErrorHandler({ log: 'test', details: true }));
    app.use(details);
    app.use(httpErrorHandler({ log: 'test' }));
    server = await listen(app);
  });
  afterAll(() => server?.close());

  const get = async (p: string, headers: Record<string, string> = {}) => {
    const res = await fetch(`${server.url}${p}`, { headers });
    return { status: res.status, headers: res.headers, body: (await res.json()) as Record<string, unknown> };
  };

  it('answers every class with its status, OAuth error and code, never caching, never leaking a 500', async () => {
    const saved = process.stderr.write;
    const logged: string[] = [];
    process.stderr.write = ((s: string) => logged.push(s) > 0) as typeof process.stderr.write;
    try {
      const input = await get('/throw/input');
      expect(input).toMatchObject({ status: 400, body: { error: 'invalid_request', error_description: 'claims are missing', code: 'INVALID_INPUT' } });
      expect(input.body.details).toBeUndefined();
      expect(input.headers.get('cache-control')).toBe('no-store');
      expect((await get('/details/input')).body.details).toEqual([{ path: 'given_name', message: 'required' }]);

      const storage = await get('/throw/storage');
      expect(storage).toMatchObject({
        status: 503,
        body: { error: 'temporarily_unavailable', error_description: 'locked by another process', code: 'STORAGE_UNAVAILABLE' },
      });
      expect(storage.headers.get('retry-after')).toBe('5');
      const nonce = await get('/throw/nonce');
      expect(nonce).toMatchObject({ status: 503, body: { error: 'temporarily_unavailable', code: 'NONCE_STORE_FULL' } });
      expect(nonce.headers.get('retry-after')).toBe('7');

      for (const [what, code] of [
        ['setup', 'SECRET_INVALID'],
        ['untyped', undefined],
      ] as const) {
        const res = await get(`/throw/${what}`);
        expect(res.status).toBe(500);
        expect(res.body).toEqual({ error: 'server_error', error_description: 'internal error', ...(code ? { code } : {}) });
        expect(JSON.stringify(res.body)).not.toContain('/secret/path');
      }
      expect(logged.join('')).toContain('test: SECRET_INVALID: the secret at /secret/path');

      const token = await get('/throw/token');
      expect(token).toMatchObject({ status: 401, body: { error: 'invalid_token', code: 'OID4VCI_INVALID_TOKEN' } });
      expect(token.headers.get('www-authenticate')).toBe('Bearer error="invalid_token", error_description="the access token is unknown"');
    } finally {
      process.stderr.write = saved;
    }
  });

  it('a body refused before the route: with its code when typed, its own status without', async () => {
    const post = async (body: string, headers: Record<string, string> = {}) => {
      const res = await fetch(`${server.url}/json`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
      return { status: res.status, body: (await res.json()) as Record<string, unknown> };
    };
    expect(await post('{not json')).toEqual({ status: 400, body: { error: 'invalid_request', error_description: 'request body is not valid JSON' } });
    expect(await post(JSON.stringify({ a: 'x'.repeat(2000) }))).toEqual({
      status: 413,
      body: { error: 'invalid_request', error_description: 'request body is too large' },
    });
    expect(await post(`${'['.repeat(100)}${']'.repeat(100)}`)).toMatchObject({ status: 400, body: { code: 'INPUT_TOO_DEEP' } });
    expect(await post('{}', { 'content-type': 'application/json; charset=x-bogus' })).toMatchObject({
      status: 415,
      body: { error: 'invalid_request', code: 'CHARSET_UNSUPPORTED' },
    });
  });

  it('bearerAuth: 401 with a challenge (naming the error only when a token was sent), 403 when no token is configured', async () => {
    const none = await get('/admin');
    expect(none).toMatchObject({ status: 401, body: { error: 'invalid_token' } });
    expect(none.headers.get('www-authenticate')).toBe('Bearer realm="test"');
    expect(none.headers.get('cache-control')).toBe('no-store');
    for (const auth of ['Bearer wrong', 'Bearer admin-token-0123456789x', 'Basic admin-token-0123456789', 'admin-token-0123456789']) {
      const res = await get('/admin', { authorization: auth });
      expect(res.status, auth).toBe(401);
      expect(res.headers.get('www-authenticate'), auth).toMatch(/^Bearer realm="test"/);
    }
    expect((await get('/admin', { authorization: 'Bearer wrong' })).headers.get('www-authenticate')).toBe('Bearer realm="test", error="invalid_token"');
    expect(await get('/admin', { authorization: 'bearer admin-token-0123456789' })).toMatchObject({ status: 200, body: { ok: true } });
    expect(await get('/closed', { authorization: 'Bearer admin-token-0123456789' })).toMatchObject({ status: 403, body: { error: 'access_denied' } });
  });
});

describe('the OpenID4VP router answers through the same contract', () => {
  it('a full request store is 503 temporarily_unavailable with Retry-After and TOO_MANY_REQUESTS', async () => {
    const verifier = createVerifier({ trust: new TrustStore(emptyTrustBundle()) });
    const oid4vp = createOid4vpRouter({
      baseUrl: 'http://127.0.0.1',
      verify: async () => ({ valid: false }),
      adminToken: 'admin-token-0123456789',
      store: new RequestStore({ maxRequests: 1 }),
    });
    const server = await listen(createVerifierApp({ verifier, routers: [oid4vp.router] }));
    const saved = process.stderr.write;
    process.stderr.write = (() => true) as typeof process.stderr.write;
    try {
      const create = () =>
        fetch(`${server.url}/oid4vp/requests`, {
          method: 'POST',
          headers: { authorization: 'Bearer admin-token-0123456789', 'content-type': 'application/json' },
          body: '{}',
        });
      expect((await create()).status).toBe(201);
      const full = await create();
      expect(full.status).toBe(503);
      expect(full.headers.get('retry-after')).toBe('5');
      expect(await full.json()).toMatchObject({ error: 'temporarily_unavailable', code: 'TOO_MANY_REQUESTS' });
    } finally {
      process.stderr.write = saved;
      await server.close();
    }
  });
});
