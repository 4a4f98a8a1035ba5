import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createDidResolver, isNetcredError, resolvePublicKey, signCompact, verifyCompact } from '../../core/index.js';
import { initIssuer, issuerPaths, openIssuer } from '../../issuer/index.js';
import { tempDir } from '../helpers/tmp.js';

const cleanups: Array<() => void> = [];
afterAll(() => {
  for (const c of cleanups) c();
});
function dir(): string {
  const t = tempDir('netcred-issuer-');
  cleanups.push(t.cleanup);
  return t.dir;
}

async function signAndVerify(ctx: Awaited<ReturnType<typeof openIssuer>>): Promise<void> {
  const jws = await signCompact({ typ: 'JWT' }, { hello: 'world' }, ctx.signer);
  // The key comes from resolving the DID, not from the issuer's own state.
  const { key } = await resolvePublicKey(createDidResolver(), ctx.issuerDid, ctx.signer.kid);
  expect(verifyCompact(jws, key, { algorithms: [ctx.config.alg] }).payload).toEqual({ hello: 'world' });
}

async function expectCode(p: Promise<unknown>, code: string): Promise<void> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(isNetcredError(err), String(err)).toBe(true);
  expect((err as { code: string }).code).toBe(code);
}

function snapshot(dataDir: string): Record<string, string> {
  const d = issuerPaths(dataDir).dir;
  return Object.fromEntries(readdirSync(d).map((f) => [f, readFileSync(path.join(d, f)).toString('base64')]));
}

describe('initIssuer / openIssuer', () => {
  it('reopens the same data dir with the same DID, and the key still signs (EdDSA did:key)', async () => {
    const dataDir = dir();
    const ctx = await initIssuer({ dataDir });
    expect(ctx.issuerDid).toMatch(/^did:key:z6Mk/);
    expect(ctx.signer.alg).toBe('EdDSA');
    expect(ctx.signer.kid).toBe(`${ctx.issuerDid}#${ctx.issuerDid.slice('did:key:'.length)}`);
    expect(ctx.config).toMatchObject({
      publicUrl: 'http://127.0.0.1:8080',
      statusListSize: 131072,
      credentialTtlSeconds: 365 * 24 * 3600,
      didMethod: 'key',
      alg: 'EdDSA',
    });
    expect(ctx.config.adminToken.length).toBeGreaterThanOrEqual(32);
    const did = ctx.issuerDid;
    const k1 = ctx.deriveKey('subject-ref');
    await signAndVerify(ctx);
    await ctx.close();

    const again = await openIssuer({ dataDir });
    expect(again.issuerDid).toBe(did);
    expect(again.deriveKey('subject-ref').equals(k1)).toBe(true);
    expect(again.deriveKey('other').equals(k1)).toBe(false);
    expect(again.deriveKey('subject-ref')).toHaveLength(32);
    // Derived once and cached, but each caller gets its own copy: overwriting it changes nothing.
    again.deriveKey('subject-ref').fill(0);
    expect(again.deriveKey('subject-ref').equals(k1)).toBe(true);
    await signAndVerify(again);
    await again.close();

    for (const f of [issuerPaths(dataDir).keyFile, issuerPaths(dataDir).config, issuerPaths(dataDir).database]) expect(statSync(f).mode & 0o777).toBe(0o600);
    await expectCode(initIssuer({ dataDir }), 'ISSUER_EXISTS');
  });

  it('an ES256 issuer gets a did:key:zDn... whose key verifies its signatures', async () => {
    const ctx = await initIssuer({ dataDir: dir(), alg: 'ES256' });
    expect(ctx.issuerDid).toMatch(/^did:key:zDn/);
    expect(ctx.signer.alg).toBe('ES256');
    await signAndVerify(ctx);
    const sig = await ctx.signer.sign(Buffer.from('a.b'));
    expect(sig).toHaveLength(64); // raw r||s, not DER
    await ctx.close();
  });

  it('refuses to open a data dir with no issuer, and rejects bad options before creating anything', async () => {
    const dataDir = dir();
    await expectCode(openIssuer({ dataDir }), 'ISSUER_NOT_INITIALIZED');
    await expectCode(initIssuer({ dataDir, didMethod: 'foo' as 'key' }), 'INVALID_INPUT');
    await expectCode(initIssuer({ dataDir, alg: 'RS256' as 'ES256' }), 'INVALID_INPUT');
    await expectCode(initIssuer({ dataDir, publicUrl: 'ftp://x' }), 'INVALID_INPUT');
    expect(readdirSync(dataDir)).toEqual([]);
  });

  it('a wrong NETCRED_SECRET or a corrupted key file is SECRET_INVALID and changes nothing', async () => {
    const dataDir = dir();
    const ctx = await initIssuer({ dataDir });
    await ctx.close();
    const before = snapshot(dataDir);
    const saved = process.env.NETCRED_SECRET;
    process.env.NETCRED_SECRET = 'not-the-secret-used-at-init-0123';
    try {
      await expectCode(openIssuer({ dataDir }), 'SECRET_INVALID');
    } finally {
      if (saved === undefined) delete process.env.NETCRED_SECRET;
      else process.env.NETCRED_SECRET = saved;
    }
    expect(snapshot(dataDir)).toEqual(before);

    const keyFile = issuerPaths(dataDir).keyFile;
    const good = readFileSync(keyFile, 'utf8');
    const flipped = `${good[0] === 'A' ? 'B' : 'A'}${good.slice(1)}`;
    writeFileSync(keyFile, flipped);
    await expectCode(openIssuer({ dataDir }), 'SECRET_INVALID');
    writeFileSync(keyFile, 'garbage');
    await expectCode(openIssuer({ dataDir }), 'SECRET_INVALID');
    writeFileSync(keyFile, good);
    const reopened = await openIssuer({ dataDir });
    await signAndVerify(reopened);
    await reopened.close();
  });

  it('with an external secret: no key file, and opening without it is SECRET_MISSING', async () => {
    const dataDir = dir();
    const secret = 'an-external-secret-of-enough-length';
    const ctx = await initIssuer({ dataDir, secret });
    await ctx.close();
    expect(readdirSync(issuerPaths(dataDir).dir)).not.toContain('secret.key');
    await expectCode(openIssuer({ dataDir }), 'SECRET_MISSING');
    await expectCode(openIssuer({ dataDir, secret: 'another-secret-of-enough-length' }), 'SECRET_INVALID');
    await expectCode(openIssuer({ dataDir, secret: 'short' }), 'INVALID_INPUT');
    const again = await openIssuer({ dataDir, secret });
    await signAndVerify(again);
    await again.close();
  });

  it('keeps no private key bytes in the SQLite files', async () => {
    const dataDir = dir();
    const ctx = await initIssuer({ dataDir });
    const edSeed = Buffer.from('9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60', 'hex');
    const p256 = Buffer.from('c9afa9d845ba75166b5c215767b1d6934e50c3db36e89b127b8a622b120f6721', 'hex');
    const ed = await ctx.agent.keyManagerImport({ kms: 'netcred', type: 'Ed25519', privateKeyHex: edSeed.toString('hex') });
    const ec = await ctx.agent.keyManagerImport({ kms: 'netcred', type: 'Secp256r1', privateKeyHex: p256.toString('hex') });
    // The imported keys sign (so they were stored), through the same agent API.
    expect(await ctx.agent.keyManagerSign({ keyRef: ed.kid, data: 'x', encoding: 'utf-8' })).toMatch(/^[A-Za-z0-9_-]{86}$/);
    expect(await ctx.agent.keyManagerSign({ keyRef: ec.kid, data: 'x', encoding: 'utf-8' })).toMatch(/^[A-Za-z0-9_-]{86}$/);
    await ctx.close();
    const d = issuerPaths(dataDir).dir;
    const files = readdirSync(d).filter((f) => f.startsWith('issuer.sqlite'));
    const db = Buffer.concat(files.map((f) => readFileSync(path.join(d, f))));
    expect(db.length).toBeGreaterThan(0);
    for (const secret of [edSeed, p256]) {
      for (const needle of [
        secret,
        Buffer.from(secret.toString('hex')),
        Buffer.from(secret.toString('hex').toUpperCase()),
        Buffer.from(secret.toString('base64url')),
        Buffer.from(secret.toString('base64')),
      ]) {
        expect(db.includes(needle)).toBe(false);
      }
    }
    // Control: the public key does appear (so the search would find what is there).
    expect(db.includes(Buffer.from(ed.publicKeyHex))).toBe(true);
  });

  it('two connections can use the same store at once (WAL, busy timeout)', async () => {
    const dataDir = dir();
    const a = await initIssuer({ dataDir });
    const b = await openIssuer({ dataDir });
    try {
      // Writes alternating between two open connections (as a CLI next to a running server).
      // Not Promise.all: in ONE process, two connections busy-waiting on each other can starve
      // node-sqlite3's libuv thread pool; separate processes have separate pools.
      const keys = [];
      keys.push(await a.agent.keyManagerCreate({ kms: 'netcred', type: 'Ed25519' }));
      keys.push(await b.agent.keyManagerCreate({ kms: 'netcred', type: 'Secp256r1' }));
      keys.push(await a.agent.keyManagerCreate({ kms: 'netcred', type: 'Secp256r1' }));
      keys.push(await b.agent.keyManagerCreate({ kms: 'netcred', type: 'Ed25519' }));
      expect(new Set(keys.map((k) => k.kid)).size).toBe(4);
      // A key created through one connection signs through the other (read from the shared file).
      expect(await a.agent.keyManagerSign({ keyRef: keys[1]!.kid, data: 'x', encoding: 'utf-8' })).toMatch(/^[A-Za-z0-9_-]{86}$/);
      await signAndVerify(a);
      await signAndVerify(b);
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('runs Veramo W3C credentials through the agent (proofFormat jwt, the benchmark baseline)', async () => {
    const ctx = await initIssuer({ dataDir: dir(), alg: 'ES256' });
    const vc = await ctx.agent.createVerifiableCredential({
      credential: { issuer: { id: ctx.issuerDid }, credentialSubject: { id: 'did:example:holder', given_name: 'Ada' } },
      proofFormat: 'jwt',
    });
    const jwt = (vc.proof as { jwt: string }).jwt;
    const { key } = await resolvePublicKey(createDidResolver(), ctx.issuerDid);
    expect(verifyCompact(jwt, key, { algorithms: ['ES256'] }).payload).toMatchObject({ iss: ctx.issuerDid, sub: 'did:example:holder' });
    expect((await ctx.agent.verifyCredential({ credential: vc })).verified).toBe(true);
    await ctx.close();
  });
});
