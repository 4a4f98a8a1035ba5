// `netcred did resolve` (issue 15, item 1): core's resolver through the real CLI; did:web only with --allow-network.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { startTestIssuer, type TestIssuer } from '../helpers/issuer.js';
import { tempDir } from '../helpers/tmp.js';

const tmp = tempDir('netcred-did-resolve-');
const env = { NETCRED_PIN: 'did-resolve-pin-73', NETCRED_HOME: tmp.dir };
let issuer: TestIssuer;
let holderDid: string;

beforeAll(async () => {
  issuer = await startTestIssuer({ didMethod: 'web' });
  const init = await runCli(['wallet', 'init'], { env });
  expect(init.code, init.stderr).toBe(0);
  holderDid = init.stdout.trim();
}, 120_000);
afterAll(async () => {
  await issuer?.close();
  tmp.cleanup();
});

describe('netcred did resolve', () => {
  it("prints the wallet's own DID document offline", { timeout: 30_000 }, async () => {
    const r = await runCli(['did', 'resolve', holderDid]);
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout) as { id: string; verificationMethod: { publicKeyJwk: { kty: string } }[] };
    expect(doc.id).toBe(holderDid);
    expect(doc.verificationMethod[0]!.publicKeyJwk.kty).toBe('EC');
  });

  it("a did:web is fetched only with --allow-network (the issuer's own document)", { timeout: 30_000 }, async () => {
    const did = issuer.ctx.issuerDid;
    expect(did).toMatch(/^did:web:127\.0\.0\.1/);
    const offline = await runCli(['did', 'resolve', did]);
    expect(offline.code).toBe(2);
    expect(offline.stderr).toMatch(/^error DID_NOT_FOUND: .*--allow-network/);
    const online = await runCli(['did', 'resolve', did, '--allow-network']);
    expect(online.code, online.stderr).toBe(0);
    expect(JSON.parse(online.stdout)).toEqual(JSON.parse(JSON.stringify(issuer.ctx.didDocument)));
  });

  it('typed errors, exit 2: DID_INVALID, DID_UNSUPPORTED_METHOD, DID_NOT_FOUND', { timeout: 30_000 }, async () => {
    const invalid = await runCli(['did', 'resolve', 'not-a-did', '--json']);
    expect(invalid.code).toBe(2);
    expect(JSON.parse(invalid.stdout).error.code).toBe('DID_INVALID');
    const badKey = await runCli(['did', 'resolve', 'did:key:zNotAKey']);
    expect(badKey.code).toBe(2);
    expect(badKey.stderr).toMatch(/^error DID_INVALID: /);
    const method = await runCli(['did', 'resolve', 'did:ion:abc']);
    expect(method.code).toBe(2);
    expect(method.stderr).toMatch(/^error DID_UNSUPPORTED_METHOD: /);
    const missing = await runCli(['did', 'resolve', 'did:web:127.0.0.1%3A1:nobody', '--allow-network']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/^error DID_NOT_FOUND: /);
  });
});
