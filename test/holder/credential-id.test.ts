import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeSdJwt } from '../../core/index.js';
import { createPresentation, credentialId, importCredential, listCredentials } from '../../holder/index.js';
import { credentialStatus, issueCredential, type IssuedCredential } from '../../issuer/index.js';
import { sampleIdentityClaims } from '../../schemas/index.js';
import { runCli } from '../helpers/cli.js';
import { initTestIssuer, type UnservedTestIssuer } from '../helpers/issuer.js';
import { rejectsCode } from './helpers/assert.js';
import { createPeerIssuer, issueIdentity } from './helpers/issue.js';
import { newTestWallet, type TestWallet } from './helpers/wallet.js';

/** Issue 15 item 8: one credential id, the issuer's, shown by the wallet and taken by the issuer's status commands. */
let issuer: UnservedTestIssuer;
let t: TestWallet;
beforeAll(async () => {
  // The secret in the generated key file: the CLI opens the data dir without NETCRED_SECRET.
  issuer = await initTestIssuer({ alg: 'EdDSA', secret: undefined });
  t = await newTestWallet();
});
afterAll(async () => {
  await t?.cleanup();
  await issuer?.close();
});

const cli = (...args: string[]) => runCli(['--data', issuer.dataDir, 'issuer', ...args]);
let birth = 1950;
/** A credential for a new person (its own id number: no re-issue supersedes another). */
const issueNew = (format?: 'dc+sd-jwt' | 'vc+sd-jwt') =>
  issueCredential(issuer.ctx, { holderDid: t.key.did, claims: sampleIdentityClaims({ birthdate: `${birth++}-03-04` }), ...(format ? { format } : {}) });

function commonPrefix(a: string, b: string): string {
  let i = 0;
  while (i < a.length && a[i] === b[i]) i++;
  return a.slice(0, i);
}

describe('one credential id for the issuer and the wallet', () => {
  it('issue -> wallet list shows the issuer id (jti) -> issuer revoke --credential <that id> revokes it', async () => {
    const c = await issueNew();
    expect(decodeSdJwt(c.credential).payload.jti).toBe(c.id);
    const stored = await importCredential(t.wallet, c.credential);
    expect(stored.id).toBe(c.id);
    expect((await listCredentials(t.wallet)).map((x) => x.id)).toContain(c.id);

    const list = await runCli(['--data', t.dir, 'wallet', 'list', '--json'], { env: { NETCRED_PIN: '482913' } });
    expect(list.code, list.stderr).toBe(0);
    expect(JSON.stringify(JSON.parse(list.stdout))).toContain(c.id);

    const r = await cli('revoke', '--credential', stored.id, '--reason', 'holder_request', '--json');
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ credentialId: c.id, status: 'revoked', changed: true });
  });

  it('a vc+sd-jwt carries the id as urn:uuid:<id>; the wallet lists the bare id', async () => {
    const c = await issueNew('vc+sd-jwt');
    expect(decodeSdJwt(c.credential).payload.id).toBe(`urn:uuid:${c.id}`);
    expect((await importCredential(t.wallet, c.credential)).id).toBe(c.id);
    expect((await credentialStatus(issuer.ctx, c.id)).credentialId).toBe(c.id);
  });

  it("a credential without jti keeps the wallet's own id (SHA-256 of the issuer JWT)", async () => {
    const peer = createPeerIssuer('ES256');
    const sdJwt = await issueIdentity(peer, t.key.publicJwk);
    const stored = await importCredential(t.wallet, sdJwt);
    expect(stored.id).toBe(credentialId(sdJwt.split('~')[0]!));
    expect(stored.id).toMatch(/^[0-9a-f]{32}$/);
  });

  it('an unambiguous start of 8 characters or more names the credential; a shared start is CREDENTIAL_ID_AMBIGUOUS listing the ids', async () => {
    // UUIDv7 ids begin with the issue time in ms: credentials issued a few ms apart share at least 8 characters.
    const issued: IssuedCredential[] = [await issueNew(), await issueNew()];
    while (commonPrefix(issued.at(-2)!.id, issued.at(-1)!.id).length < 8 && issued.length < 6) issued.push(await issueNew());
    const [a, b] = issued.slice(-2) as [IssuedCredential, IssuedCredential];
    const shared = commonPrefix(a.id, b.id);
    expect(shared.length).toBeGreaterThanOrEqual(8);

    const ambiguous = await cli('suspend', '--credential', shared, '--reason', 'admin', '--json');
    expect(ambiguous.code).toBe(2);
    const err = JSON.parse(ambiguous.stdout).error as { code: string; message: string };
    expect(err.code).toBe('CREDENTIAL_ID_AMBIGUOUS');
    expect(err.message).toContain(a.id);
    expect(err.message).toContain(b.id);
    expect((await credentialStatus(issuer.ctx, a.id)).status).toBe('valid');

    const unique = a.id.slice(0, shared.length + 1);
    const ok = await cli('suspend', '--credential', unique, '--reason', 'admin', '--json');
    expect(ok.code, ok.stdout + ok.stderr).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({ credentialId: a.id, status: 'suspended' });
    expect((await credentialStatus(issuer.ctx, b.id)).status).toBe('valid');

    // Shorter than 8 characters: never taken as a start, even when one id begins with it.
    await rejectsCode(credentialStatus(issuer.ctx, a.id.slice(0, 7)), 'CREDENTIAL_NOT_FOUND');
    // Absent: not found, not ambiguous.
    await rejectsCode(credentialStatus(issuer.ctx, 'ffffffff-ffff'), 'CREDENTIAL_NOT_FOUND');
  });

  it('wallet present --credential takes an unambiguous start too, and names the candidates of an ambiguous one', async () => {
    const w = await newTestWallet();
    try {
      const a = await issueCredential(issuer.ctx, { holderDid: w.key.did, claims: sampleIdentityClaims({ birthdate: '1990-01-01' }) });
      const b = await issueCredential(issuer.ctx, { holderDid: w.key.did, claims: sampleIdentityClaims({ birthdate: '1991-01-01' }) });
      await importCredential(w.wallet, a.credential);
      await importCredential(w.wallet, b.credential);
      const shared = commonPrefix(a.id, b.id);
      expect(shared.length).toBeGreaterThanOrEqual(8);
      const p = await createPresentation(w.wallet, { profile: 'lite', aud: 'netcred:kiosk', nonce: 'n-1', credentialId: a.id.slice(0, shared.length + 1) });
      expect(p.credentialId).toBe(a.id);
      const e = await rejectsCode(
        createPresentation(w.wallet, { profile: 'lite', aud: 'netcred:kiosk', nonce: 'n-2', credentialId: shared }),
        'CREDENTIAL_ID_AMBIGUOUS',
      );
      expect(e.message).toContain(a.id);
      expect(e.message).toContain(b.id);
      await rejectsCode(
        createPresentation(w.wallet, { profile: 'lite', aud: 'netcred:kiosk', nonce: 'n-3', credentialId: a.id.slice(0, 7) }),
        'CREDENTIAL_NOT_FOUND',
      );
    } finally {
      await w.cleanup();
    }
  });
});
