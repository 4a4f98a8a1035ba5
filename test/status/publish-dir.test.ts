import { generateKeyPairSync } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  Bitstring,
  decodeCompact,
  didKeyFromJwk,
  publicJwkOf,
  STATUS_INVALID,
  STATUS_SUSPENDED,
  STATUS_VALID,
  verifyDecoded,
  verifyStatusListToken,
} from '../../core/index.js';
import { issueCredential, revokeCredential, suspendCredential, type IssuedCredential, type StatusDirManifest } from '../../issuer/index.js';
import { sampleIdentityClaims } from '../../schemas/index.js';
import { runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';
import { startStatusIssuer, type StatusTestIssuer } from './helpers.js';

let issuer: StatusTestIssuer;
let out: ReturnType<typeof tempDir>;
const issued: IssuedCredential[] = [];

beforeAll(async () => {
  issuer = await startStatusIssuer();
  out = tempDir('netcred-publish-dir-');
  for (const birthdate of ['1980-01-01', '1990-02-02', '2000-03-03']) {
    const holderDid = didKeyFromJwk(publicJwkOf(generateKeyPairSync('ed25519').publicKey));
    issued.push(await issueCredential(issuer.ctx, { holderDid, claims: sampleIdentityClaims({ birthdate }) }));
  }
  await revokeCredential(issuer.ctx, issued[0]!.id, 'fraud', 'test');
  await suspendCredential(issuer.ctx, issued[1]!.id, 'holder_request', 'test');
});
afterAll(async () => {
  await issuer?.close();
  out?.cleanup();
});

const publish = () => runCli(['--data', issuer.dataDir, 'issuer', 'publish', '--out', out.dir, '--json']);
const fileOf = (rel: string) => readFileSync(path.join(out.dir, ...rel.split('/')), 'utf8');

/** Every file below dir, relative, `/`-separated. */
function walk(dir: string, prefix = ''): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) =>
    d.isDirectory() ? walk(path.join(dir, d.name), `${prefix}${d.name}/`) : [`${prefix}${d.name}`],
  );
}

function verifiedListCredential(jwt: string): { payload: Record<string, unknown>; bits: Bitstring } {
  const decoded = decodeCompact<Record<string, unknown>>(jwt);
  verifyDecoded(decoded, issuer.key, { typ: 'vc+jwt' });
  const subject = decoded.payload.credentialSubject as { encodedList: string; statusPurpose: string };
  return { payload: decoded.payload, bits: Bitstring.decode(subject.encodedList) };
}

describe('netcred issuer publish --out DIR', () => {
  it('writes every list token and list credential, validly signed, with the statuses the running issuer serves', async () => {
    const r = await publish();
    expect(r.stderr.replace(/^test\/helpers\/cli\.ts:.*\n/m, '')).toBe('');
    expect(r.code).toBe(0);
    const printed = JSON.parse(r.stdout) as StatusDirManifest;
    const manifest = JSON.parse(fileOf('manifest.json')) as StatusDirManifest;
    expect(manifest).toEqual(printed);
    expect(manifest.issuer).toBe(issuer.ctx.issuerId);
    expect(manifest.republishBefore).not.toBeNull();

    const uri = issued[0]!.status!.tokenStatus.status_list.uri;
    expect(uri).toBe('https://issuer.test/status/lists/1');
    const byUrl = new Map(manifest.files.map((f) => [f.url, f]));
    // One list: its token, its two list credentials, the aggregation; nothing else.
    expect([...byUrl.keys()].sort()).toEqual([
      'https://issuer.test/status/aggregation',
      'https://issuer.test/status/lists/1',
      'https://issuer.test/status/lists/1/bitstring/revocation',
      'https://issuer.test/status/lists/1/bitstring/suspension',
    ]);
    expect(walk(out.dir).sort()).toEqual([
      '_headers',
      '_redirects',
      'manifest.json',
      'status/aggregation',
      'status/lists/1',
      'status/lists/1.bitstring/revocation',
      'status/lists/1.bitstring/suspension',
    ]);

    // The token: at its URL path, the content type the server answers with, the same statuses.
    const tokenEntry = byUrl.get(uri)!;
    expect(tokenEntry).toMatchObject({ urlPath: '/status/lists/1', file: 'status/lists/1', contentType: 'application/statuslist+jwt' });
    const served = await issuer.get(uri);
    expect(served.headers.get('content-type')).toMatch(/^application\/statuslist\+jwt/);
    const servedToken = verifyStatusListToken(await served.text(), issuer.key, { uri });
    const published = verifyStatusListToken(fileOf(tokenEntry.file), issuer.key, { uri });
    expect(Buffer.from(published.list.data).equals(Buffer.from(servedToken.list.data))).toBe(true);
    expect(published.list.get(issued[0]!.status!.tokenStatus.status_list.idx)).toBe(STATUS_INVALID);
    expect(published.list.get(issued[1]!.status!.tokenStatus.status_list.idx)).toBe(STATUS_SUSPENDED);
    expect(published.list.get(issued[2]!.status!.tokenStatus.status_list.idx)).toBe(STATUS_VALID);
    expect(published.ttl).toBe(servedToken.ttl);
    expect(tokenEntry.maxAge).toBe(published.ttl);
    expect(tokenEntry.cacheControl).toBe(served.headers.get('cache-control'));
    expect(tokenEntry.exp).toBe(published.exp);

    // The W3C list credentials: beside the token file (a file cannot be a folder), mapped to their URLs.
    for (const purpose of ['revocation', 'suspension'] as const) {
      const url = `${uri}/bitstring/${purpose}`;
      const entry = byUrl.get(url)!;
      expect(entry).toMatchObject({
        urlPath: `/status/lists/1/bitstring/${purpose}`,
        file: `status/lists/1.bitstring/${purpose}`,
        contentType: 'application/vc+jwt',
      });
      const res = await issuer.get(url);
      expect(res.headers.get('content-type')).toMatch(/^application\/vc\+jwt/);
      const fromServer = verifiedListCredential(await res.text());
      const fromFile = verifiedListCredential(fileOf(entry.file));
      expect(fromFile.payload.id).toBe(url);
      expect(fromFile.payload.issuer).toBe(issuer.ctx.issuerId);
      expect((fromFile.payload.credentialSubject as { statusPurpose: string }).statusPurpose).toBe(purpose);
      expect(Buffer.from(fromFile.bits.data).equals(Buffer.from(fromServer.bits.data))).toBe(true);
      const w3c = (c: IssuedCredential) => Number(c.status!.bitstringEntries.find((e) => e.statusPurpose === purpose)!.statusListIndex);
      expect(fromFile.bits.get(w3c(issued[0]!))).toBe(purpose === 'revocation');
      expect(fromFile.bits.get(w3c(issued[1]!))).toBe(purpose === 'suspension');
      expect(fromFile.bits.get(w3c(issued[2]!))).toBe(false);
    }

    // The aggregation: the very bytes the server answers.
    const agg = byUrl.get('https://issuer.test/status/aggregation')!;
    expect(agg).toMatchObject({ file: 'status/aggregation', contentType: 'application/json' });
    expect(fileOf(agg.file)).toBe(await (await issuer.get('/status/aggregation')).text());
    expect(JSON.parse(fileOf(agg.file))).toEqual({ status_lists: [uri] });

    // The host files: every URL path's headers; rewrites for the paths whose file lies elsewhere.
    const headers = fileOf('_headers');
    for (const f of manifest.files) expect(headers).toContain(`${f.urlPath}\n  Content-Type: ${f.contentType}\n  Cache-Control: ${f.cacheControl}\n`);
    expect(fileOf('_redirects').trim().split('\n').sort()).toEqual([
      '/status/lists/1/bitstring/revocation /status/lists/1.bitstring/revocation 200',
      '/status/lists/1/bitstring/suspension /status/lists/1.bitstring/suspension 200',
    ]);
  });

  it('a second run replaces the files with the current statuses and leaves no temp files', async () => {
    writeFileSync(path.join(out.dir, 'status/lists/1'), 'stale half-written');
    await revokeCredential(issuer.ctx, issued[2]!.id, 'deceased', 'test');
    const r = await publish();
    expect(r.code).toBe(0);
    const uri = issued[2]!.status!.tokenStatus.status_list.uri;
    const token = verifyStatusListToken(fileOf('status/lists/1'), issuer.key, { uri });
    expect(token.list.get(issued[2]!.status!.tokenStatus.status_list.idx)).toBe(STATUS_INVALID);
    const revocation = verifiedListCredential(fileOf('status/lists/1.bitstring/revocation'));
    const idx = Number(issued[2]!.status!.bitstringEntries.find((e) => e.statusPurpose === 'revocation')!.statusListIndex);
    expect(revocation.bits.get(idx)).toBe(true);
    expect(walk(out.dir).filter((f) => f.includes('.tmp-'))).toEqual([]);
  });

  it('refuses an output path that is a file, with a usage error', async () => {
    const file = path.join(out.dir, 'manifest.json');
    expect(existsSync(file)).toBe(true);
    const r = await runCli(['--data', issuer.dataDir, 'issuer', 'publish', '--out', path.join(file, 'sub'), '--json']);
    expect(r.code).toBe(2);
    expect(JSON.parse(r.stdout)).toMatchObject({ error: { code: 'INVALID_INPUT' } });
  });
});
