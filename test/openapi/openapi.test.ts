import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createIssuerApp, type IssuerContext } from '../../issuer/index.js';
import {
  createOid4vpRouter,
  createVerifier,
  createVerifierApp,
  emptyTrustBundle,
  listenApp,
  pipelineVerifier,
  TrustStore,
  type RunningServer,
} from '../../verifier/index.js';
import { repoRoot } from '../helpers/cli.js';
import { documentedRoutes, key, liveRoutes, toOpenApiPath, type LiveRoute } from './routes.js';
import { OPENAPI_31_SUBSET } from './schema.js';
import { initTestIssuer, startTestIssuer, type TestIssuer, type UnservedTestIssuer } from '../helpers/issuer.js';

type Doc = {
  openapi: string;
  paths: Record<string, Record<string, { operationId: string; parameters?: { name: string; in: string }[]; responses: Record<string, unknown> }>>;
  components?: { schemas?: Record<string, unknown> };
};

const readDoc = (name: string): Doc => JSON.parse(readFileSync(path.join(repoRoot, 'docs/openapi', `${name}.json`), 'utf8')) as Doc;

/** Every `$ref` in the document, with where it was found. */
function refsOf(value: unknown, at = '$', out: { at: string; ref: string }[] = []): { at: string; ref: string }[] {
  if (Array.isArray(value))
    value.forEach((v, i) => {
      refsOf(v, `${at}[${i}]`, out);
    });
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (k === '$ref' && typeof v === 'string') out.push({ at, ref: v });
      else refsOf(v, `${at}.${k}`, out);
    }
  }
  return out;
}

/** Every JSON Schema in the document: components and inline parameter/body/response schemas. */
function schemasOf(doc: Doc): { at: string; schema: unknown }[] {
  const out: { at: string; schema: unknown }[] = Object.entries(doc.components?.schemas ?? {}).map(([n, s]) => ({ at: `components.schemas.${n}`, schema: s }));
  const visit = (value: unknown, at: string): void => {
    if (!value || typeof value !== 'object') return;
    for (const [k, v] of Object.entries(value)) {
      if (k === 'schema' && v && typeof v === 'object') out.push({ at: `${at}.schema`, schema: v });
      else visit(v, `${at}.${k}`);
    }
  };
  visit(doc.paths, 'paths');
  return out;
}

function checkWellFormed(doc: Doc): void {
  const ajv = new Ajv2020({ allErrors: true, strict: false });
  const validate = ajv.compile(OPENAPI_31_SUBSET);
  expect(validate(doc), JSON.stringify(validate.errors, null, 2)).toBe(true);
  // Every schema is a valid JSON Schema 2020-12 (OpenAPI 3.1's dialect) ...
  for (const { at, schema } of schemasOf(doc)) expect(ajv.validateSchema(schema as object), `${at}: ${JSON.stringify(ajv.errors)}`).toBe(true);
  // ... every $ref resolves ...
  for (const { at, ref } of refsOf(doc)) {
    const m = /^#\/components\/schemas\/([A-Za-z0-9]+)$/.exec(ref);
    expect(m && doc.components?.schemas?.[m[1]!], `${at}: $ref ${ref} does not resolve`).toBeTruthy();
  }
  // ... operation ids are unique, and every {param} of a path is declared as a path parameter.
  const ids = new Set<string>();
  for (const [p, item] of Object.entries(doc.paths)) {
    const names = [...p.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]).sort();
    for (const [method, op] of Object.entries(item)) {
      const id = op.operationId;
      expect(ids.has(id), `duplicate operationId ${id}`).toBe(false);
      ids.add(id);
      const declared = (op.parameters ?? [])
        .filter((x) => x.in === 'path')
        .map((x) => x.name)
        .sort();
      expect(declared, `${method.toUpperCase()} ${p}: path parameters`).toEqual(names);
    }
  }
}

function sameRoutes(live: LiveRoute[], doc: Doc): void {
  const liveKeys = new Set(live.map((r) => key({ method: r.method, path: toOpenApiPath(r.path) })));
  const documented = new Set(documentedRoutes(doc).map(key));
  expect(
    [...liveKeys].filter((k) => !documented.has(k)),
    'routes served but not documented',
  ).toEqual([]);
  expect(
    [...documented].filter((k) => !liveKeys.has(k)),
    'routes documented but not served',
  ).toEqual([]);
}

const pointer = (...parts: string[]) => parts.map((x) => x.replace(/~/g, '~0').replace(/\//g, '~1')).join('/');

/**
 * Calls each documented operation with placeholder values: the answer must come from its route
 * (not the app's 404), with a documented status, and a JSON answer must match the documented
 * schema of that status and media type. Returns how many bodies were checked against a schema.
 */
async function probe(base: string, doc: Doc, fallback: RegExp): Promise<number> {
  const ajv = new Ajv2020({ allErrors: true, strict: false });
  ajv.addSchema(doc as object, 'doc');
  let checked = 0;
  for (const { method, path: p } of documentedRoutes(doc)) {
    const url = base + p.replace(/\{[^}]+\}/g, 'probe-value');
    const res = await fetch(url, {
      method: method.toUpperCase(),
      ...(method === 'post' ? { headers: { 'content-type': 'application/json' }, body: '{}' } : {}),
    });
    const text = await res.text();
    const what = `${method.toUpperCase()} ${p} answered ${res.status}: ${text.slice(0, 200)}`;
    expect(fallback.test(text) && res.status === 404, `${method.toUpperCase()} ${p} fell through to the app's 404`).toBe(false);
    const responses = doc.paths[p]![method]!.responses as Record<string, { content?: Record<string, unknown> }>;
    expect(Object.keys(responses), what).toContain(String(res.status));
    const type = (res.headers.get('content-type') ?? '').split(';')[0]!.trim();
    const content = responses[String(res.status)]?.content;
    if (content && type) expect(Object.keys(content), `${what}: undocumented media type ${type}`).toContain(type);
    if (content?.[type] && /json/.test(type)) {
      const validate = ajv.getSchema(`doc#/${pointer('paths', p, method, 'responses', String(res.status), 'content', type, 'schema')}`)!;
      expect(validate(JSON.parse(text)), `${what}: ${JSON.stringify(validate.errors)}`).toBe(true);
      checked++;
    }
  }
  return checked;
}

describe('OpenAPI: issuer', () => {
  const doc = readDoc('issuer');
  let issuer: TestIssuer;
  let ctx: IssuerContext;
  let server: RunningServer;

  beforeAll(async () => {
    // Served on any port, its public URL kept: the document names it as server.
    issuer = await startTestIssuer({ publicUrl: 'http://127.0.0.1:8080' });
    ({ ctx, server } = issuer);
  });
  afterAll(async () => {
    await issuer?.close();
  });

  it('is well-formed OpenAPI 3.1', () => checkWellFormed(doc));

  it('documents every route of the live app, and every documented route is served', () => {
    const live = liveRoutes(createIssuerApp(ctx));
    expect(live.length).toBeGreaterThan(15);
    sameRoutes(live, doc);
  });

  it('an undocumented route would be caught (the check is not vacuous)', () => {
    const app = createIssuerApp(ctx);
    app.get('/extra/:thing', (_req, res) => void res.end());
    expect(() => sameRoutes(liveRoutes(app), doc)).toThrow(/not documented/);
  });

  it('the app serves the document at GET /openapi.json, with its public URL as server', async () => {
    const res = await fetch(`${server.url}/openapi.json`);
    expect(res.status).toBe(200);
    const served = (await res.json()) as Doc & { servers: { url: string }[] };
    expect(served.paths).toEqual(doc.paths);
    expect(served.servers).toEqual([{ url: 'http://127.0.0.1:8080' }]);
  });

  it('every documented operation reaches its route and answers a documented status', async () => {
    expect(await probe(server.url, doc, /no route for/)).toBeGreaterThan(10);
  });
});

describe('OpenAPI: issuer under a public URL with a path', () => {
  let issuer: UnservedTestIssuer;
  let ctx: IssuerContext;
  beforeAll(async () => {
    issuer = await initTestIssuer({ publicUrl: 'https://id.example/iss' });
    ({ ctx } = issuer);
  });
  afterAll(async () => issuer?.close());

  it('the routes are the documented ones moved under the path, as the description says', () => {
    const prefix = '/iss';
    const moved = liveRoutes(createIssuerApp(ctx)).map((r) => {
      // Well-known documents of OpenID4VCI/RFC 8414 put the path after the well-known name; the rest go under it.
      if (r.path.startsWith('/.well-known/openid-credential-issuer') || r.path.startsWith('/.well-known/oauth-authorization-server'))
        return { ...r, path: r.path.slice(0, -prefix.length) };
      return r.path.startsWith(`${prefix}/`) ? { ...r, path: r.path.slice(prefix.length) } : r;
    });
    sameRoutes(moved, readDoc('issuer'));
  });
});

describe('OpenAPI: verifier (with the OpenID4VP router)', () => {
  const doc = readDoc('verifier');
  let server: RunningServer;
  let app: ReturnType<typeof createVerifierApp>;

  beforeAll(async () => {
    const verifier = createVerifier({ trust: new TrustStore(emptyTrustBundle()) });
    let url = '';
    const oid4vp = createOid4vpRouter({ baseUrl: () => url, verify: pipelineVerifier(verifier), adminToken: 'openapi-test-verifier-admin-0123456789' });
    app = createVerifierApp({ verifier, routers: [oid4vp.router] });
    server = await listenApp(app);
    url = server.url;
  });
  afterAll(async () => {
    await server?.close();
  });

  it('is well-formed OpenAPI 3.1', () => checkWellFormed(doc));

  it('documents every route of the live app, and every documented route is served', () => {
    const live = liveRoutes(app);
    expect(live.length).toBeGreaterThan(8);
    sameRoutes(live, doc);
  });

  it('the app serves the document at GET /openapi.json', async () => {
    const res = await fetch(`${server.url}/openapi.json`);
    expect(res.status).toBe(200);
    expect(((await res.json()) as Doc).paths).toEqual(doc.paths);
  });

  it('every documented operation reaches its route and answers a documented status', async () => {
    expect(await probe(server.url, doc, /no such route/)).toBeGreaterThan(8);
  });
});
