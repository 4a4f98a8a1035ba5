import { writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeCompact, isNetcredError, type NetcredError } from '../../core/index.js';
import { issueCredential, openIssuer, type IssuerContext, type IssueRequest } from '../../issuer/index.js';
import { sampleIdentityClaims } from '../../schemas/index.js';
import { runCli } from '../helpers/cli.js';
import { countRecords, newHolder } from './fixtures.js';
import { TEST_ISSUER_SECRET, initTestIssuer } from '../helpers/issuer.js';

let ctx: IssuerContext;
let dir: string;
let cleanup: () => Promise<void>;

beforeAll(async () => {
  ({ ctx, dataDir: dir, close: cleanup } = await initTestIssuer());
});
afterAll(async () => cleanup());

async function statusEntries(): Promise<number> {
  // The status module's table: a failed issuance must not leave a reserved index behind.
  const rows = (await ctx.dataSource.query('SELECT COUNT(*) AS n FROM "status_entry"')) as { n: number }[];
  return Number(rows[0]!.n);
}

async function rejection(req: IssueRequest, context: IssuerContext = ctx): Promise<NetcredError> {
  const before = [await countRecords(ctx), await statusEntries()];
  const err = await issueCredential(context, req).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(isNetcredError(err)).toBe(true);
  expect([await countRecords(ctx), await statusEntries()]).toEqual(before);
  return err as NetcredError;
}

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('issueCredential with bad input writes nothing', () => {
  const holder = newHolder();

  it('missing fields: one INVALID_INPUT listing each', async () => {
    const { given_name: _g, birthdate: _b, ...claims } = sampleIdentityClaims();
    const err = await rejection({ holderDid: holder.did, claims });
    expect(err.code).toBe('INVALID_INPUT');
    expect(err.details!.map((d) => d.path)).toEqual(expect.arrayContaining(['given_name', 'birthdate']));
  });

  it('a wrong id_number check character, listed with the other failures', async () => {
    const good = sampleIdentityClaims();
    const wrong = good.id_number.slice(0, 17) + (good.id_number.endsWith('0') ? '1' : '0');
    const err = await rejection({ holderDid: holder.did, claims: { ...good, id_number: wrong, issuing_country: 'china' } });
    expect(err.code).toBe('INVALID_INPUT');
    expect(err.details).toEqual(
      expect.arrayContaining([
        { path: 'id_number', message: expect.stringMatching(/check character/) },
        { path: 'issuing_country', message: expect.any(String) },
      ]),
    );
  });

  it('an oversized portrait', async () => {
    const jpeg = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(70 * 1024, 1)]);
    const err = await rejection({ holderDid: holder.did, claims: sampleIdentityClaims({ portrait: `data:image/jpeg;base64,${jpeg.toString('base64')}` }) });
    expect(err.code).toBe('INVALID_INPUT');
    expect(err.details!.map((d) => d.path)).toEqual(['portrait']);
  });

  it('an unknown DID method, a malformed did:key, an unreachable did:web', async () => {
    expect((await rejection({ holderDid: 'did:example:123', claims: sampleIdentityClaims() })).code).toBe('DID_UNSUPPORTED_METHOD');
    expect((await rejection({ holderDid: 'did:key:z0OIl', claims: sampleIdentityClaims() })).code).toBe('DID_INVALID');
    expect((await rejection({ holderDid: 'not a did', claims: sampleIdentityClaims() })).code).toBe('DID_INVALID');
    const port = await closedPort();
    expect((await rejection({ holderDid: `did:web:127.0.0.1%3A${port}`, claims: sampleIdentityClaims() })).code).toBe('DID_NOT_FOUND');
  });

  it('an unknown format', async () => {
    const err = await rejection({ holderDid: holder.did, claims: sampleIdentityClaims(), format: 'jwt_vc_json' as never });
    expect(err.details!.map((d) => d.path)).toEqual(['format']);
  });

  it('a failure after the status entry was reserved rolls the whole transaction back', async () => {
    const failingSigner = { alg: ctx.signer.alg, kid: ctx.signer.kid, sign: () => Promise.reject(new Error('HSM unavailable')) };
    await rejection({ holderDid: holder.did, claims: sampleIdentityClaims() }, { ...ctx, signer: failingSigner });
    // And the issuer still works afterwards.
    const issued = await issueCredential(ctx, { holderDid: holder.did, claims: sampleIdentityClaims() });
    expect(issued.credential.endsWith('~')).toBe(true);
  });

  it('concurrent issuances each commit their own record', async () => {
    const before = await countRecords(ctx);
    const results = await Promise.all(
      [1, 2, 3, 4].map((i) => issueCredential(ctx, { holderDid: newHolder().did, claims: sampleIdentityClaims({ birthdate: `199${i}-01-0${i}` }) })),
    );
    expect(new Set(results.map((r) => r.id)).size).toBe(4);
    expect(await countRecords(ctx)).toBe(before + 4);
  });
});

describe('netcred issuer issue / decode (real CLI)', () => {
  it('issues with --json, decode shows the disclosures, malformed JSON exits 2 without a record', async () => {
    const before = await countRecords(ctx);
    await ctx.close(); // the CLI opens the same data dir
    const env = { NETCRED_HOME: dir, NETCRED_SECRET: TEST_ISSUER_SECRET };
    const holder = newHolder();
    const claimsFile = path.join(dir, 'claims.json');
    writeFileSync(claimsFile, JSON.stringify(sampleIdentityClaims({ birthdate: '1985-06-15', sex: 1 })));

    // Each CLI start costs seconds: run the independent ones side by side.
    const [ok, malformed] = await Promise.all([
      runCli(['issuer', 'issue', '--holder', holder.did, '--claims', claimsFile, '--json'], { env }),
      runCli(['issuer', 'issue', '--holder', holder.did, '--claims', '-', '--json'], { env, input: '{"given_name": ' }),
    ]);
    expect(malformed.code).toBe(2);
    expect(JSON.parse(malformed.stdout).error.code).toBe('INVALID_INPUT');
    expect(ok.stderr).toBe('');
    expect(ok.code).toBe(0);
    const out = JSON.parse(ok.stdout) as Record<string, unknown>;
    expect(Object.keys(out).sort()).toEqual(['companion', 'credential', 'expiresAt', 'format', 'holderDid', 'id', 'issuedAt', 'vct']);
    expect(out).toMatchObject({ format: 'dc+sd-jwt', holderDid: holder.did });
    // --json carries the lite companion (the wallet presents it for lite): its own vct, the same holder.
    const companion = decodeCompact((out.companion as string).split('~')[0]!).payload;
    expect(companion.vct).toBe(`${out.vct as string}/lite`);

    const decoded = await runCli(['decode', '-'], { input: out.credential as string });
    expect(decoded.code).toBe(0);
    const d = JSON.parse(decoded.stdout) as {
      header: { typ: string };
      disclosures: { name?: string; digest: string; referenced: boolean }[];
      claims: Record<string, unknown>;
    };
    expect(d.header.typ).toBe('dc+sd-jwt');
    expect(d.disclosures.find((x) => x.name === 'birthdate')).toMatchObject({ referenced: true, digest: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/) });
    expect(d.claims.birthdate).toBe('1985-06-15');

    expect(await recordsIn(dir)).toBe(before + 1);
  });
});

async function recordsIn(dataDir: string): Promise<number> {
  const again = await openIssuer({ dataDir, secret: TEST_ISSUER_SECRET });
  try {
    return await countRecords(again);
  } finally {
    await again.close();
  }
}
