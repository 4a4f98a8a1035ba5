import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveCredentialOffer } from '../../holder/index.js';
import { loadTrustBundle } from '../../verifier/index.js';
import { runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';

/** 20,000 levels: far past the bound, deep enough to overflow the stack of any recursive walk after JSON.parse. */
const deep = `${'['.repeat(20_000)}${']'.repeat(20_000)}`;
const deepObject = `{"a":${deep}}`;
let dir: string;
let cleanup: () => void;
beforeAll(() => {
  ({ dir, cleanup } = tempDir('netcred-json-depth-'));
});
afterAll(() => cleanup?.());

describe('every JSON a user can hand netcred is depth-bounded (INPUT_TOO_DEEP, never a stack overflow)', () => {
  it('a trust bundle file: loadTrustBundle and `netcred verify --bundle` (exit 2)', async () => {
    const bundle = path.join(dir, 'bundle.json');
    writeFileSync(bundle, deepObject);
    expect(() => loadTrustBundle(bundle)).toThrow(expect.objectContaining({ code: 'INPUT_TOO_DEEP' }));
    const presentation = path.join(dir, 'p.txt');
    writeFileSync(presentation, 'eyJhbGciOiJFUzI1NiJ9.e30.c2ln~');
    const run = await runCli(['verify', presentation, '--bundle', bundle, '--aud', 'netcred:kiosk']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^error INPUT_TOO_DEEP: /m);
  });

  it('a claims file: `netcred issuer issue --claims` (exit 2)', async () => {
    const claims = path.join(dir, 'claims.json');
    writeFileSync(claims, deepObject);
    const run = await runCli([
      'issuer',
      'issue',
      '--data',
      path.join(dir, 'no-issuer'),
      '--holder',
      'did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK',
      '--claims',
      claims,
    ]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/error (INPUT_TOO_DEEP|ISSUER_NOT_INITIALIZED): /);
  });

  it('a credential offer passed by value (wallet)', async () => {
    // the offer URI is size-bounded first, so past the depth bound by a little: 100 levels
    const uri = `openid-credential-offer://?credential_offer=${encodeURIComponent(`{"a":${'['.repeat(100)}${']'.repeat(100)}}`)}`;
    await expect(resolveCredentialOffer(uri)).rejects.toMatchObject({ code: 'INPUT_TOO_DEEP' });
  });
});
