import { generateKeyPairSync } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { publicJwkOf } from '../../core/index.js';
import { createPresentation, importCredential, listCredentials } from '../../holder/index.js';
import { RESIDENT_IDENTITY_VCT } from '../../schemas/index.js';
import { rejectsCode } from './helpers/assert.js';
import { createPeerIssuer, issueIdentity } from './helpers/issue.js';
import { newTestWallet, type TestWallet } from './helpers/wallet.js';

let t: TestWallet | undefined;
afterEach(async () => {
  await t?.cleanup();
  t = undefined;
});

describe('importCredential', () => {
  it('verifies and stores a credential with its metadata (P-256 and Ed25519 issuers, did:jwk and did:key holders)', async () => {
    t = await newTestWallet({ didMethod: 'key', alg: 'EdDSA' });
    expect(t.key.did.startsWith('did:key:z6Mk')).toBe(true);
    const second = await t.wallet.createKey('jwk', 'ES256');
    const status = { idx: 4711, uri: 'https://issuer.example/status/lists/abc' };
    const a = await importCredential(t.wallet, await issueIdentity(createPeerIssuer('ES256'), t.key.publicJwk, { status, decoys: 3 }));
    const b = await importCredential(t.wallet, await issueIdentity(createPeerIssuer('EdDSA'), second.publicJwk));
    expect(a).toMatchObject({ keyId: t.key.id, vct: RESIDENT_IDENTITY_VCT, format: 'dc+sd-jwt', status, state: 'valid' });
    expect(b.keyId).toBe(second.id);
    expect((await listCredentials(t.wallet)).map((c) => c.id).sort()).toEqual([a.id, b.id].sort());
  });

  it('accepts the legacy vc+sd-jwt typ and refuses any other typ', async () => {
    t = await newTestWallet();
    const issuer = createPeerIssuer();
    await importCredential(t.wallet, await issueIdentity(issuer, t.key.publicJwk, { typ: 'vc+sd-jwt' }));
    await rejectsCode(importCredential(t.wallet, await issueIdentity(issuer, t.key.publicJwk, { typ: 'JWT' })), 'CREDENTIAL_TYP_INVALID');
  });

  it('refuses a credential bound to another key', async () => {
    t = await newTestWallet();
    const other = publicJwkOf(generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey);
    await rejectsCode(importCredential(t.wallet, await issueIdentity(createPeerIssuer(), other)), 'CREDENTIAL_NOT_BOUND_TO_WALLET');
    expect(await listCredentials(t.wallet)).toEqual([]);
  });

  it('refuses an SD-JWT that already carries a KB-JWT', async () => {
    t = await newTestWallet();
    const cred = await issueIdentity(createPeerIssuer(), t.key.publicJwk);
    const stored = await importCredential(t.wallet, cred);
    const { presentation } = await createPresentation(t.wallet, { profile: 'lite', aud: 'x', nonce: 'y' });
    await rejectsCode(importCredential(t.wallet, presentation), 'KB_JWT_PRESENT');
    expect((await listCredentials(t.wallet)).map((c) => c.id)).toEqual([stored.id]);
  });

  it('refuses a bad signature, a foreign disclosure, an expired credential and a duplicate', async () => {
    t = await newTestWallet();
    const issuer = createPeerIssuer();
    const cred = await issueIdentity(issuer, t.key.publicJwk);
    const [h, p, s] = cred.split('~')[0]!.split('.');
    const payload = JSON.parse(Buffer.from(p!, 'base64url').toString()) as Record<string, unknown>;
    const forged = `${h}.${Buffer.from(JSON.stringify({ ...payload, vct: 'urn:x' })).toString('base64url')}.${s}~${cred.split('~').slice(1).join('~')}`;
    await rejectsCode(importCredential(t.wallet, forged), 'CREDENTIAL_SIGNATURE_INVALID');

    const impostor = createPeerIssuer();
    const signedByOther = await issueIdentity(impostor, t.key.publicJwk);
    const wrongKid = signedByOther.replace(/^[^.]+/, h!); // header (kid) of the real issuer on another issuer's signature
    await rejectsCode(importCredential(t.wallet, wrongKid), 'CREDENTIAL_SIGNATURE_INVALID');

    const foreign = (await issueIdentity(issuer, t.key.publicJwk)).split('~')[1]!;
    await rejectsCode(importCredential(t.wallet, `${cred}${foreign}~`), 'CREDENTIAL_INVALID');

    const now = Math.floor(Date.now() / 1000);
    await rejectsCode(importCredential(t.wallet, await issueIdentity(issuer, t.key.publicJwk, { iat: now - 100, exp: now - 10 })), 'CREDENTIAL_EXPIRED');

    await importCredential(t.wallet, cred);
    await rejectsCode(importCredential(t.wallet, cred), 'CREDENTIAL_EXISTS');
    await rejectsCode(importCredential(t.wallet, 'not an sd-jwt'), 'CREDENTIAL_INVALID');
  });

  it('refuses claims nested deeper than 64 levels with a typed error', async () => {
    t = await newTestWallet();
    const issuer = createPeerIssuer();
    let deep: unknown = 'bottom';
    for (let i = 0; i < 70; i++) deep = { d: deep };
    const cred = await issuer.sdjwt.issue(
      { iss: issuer.did, vct: RESIDENT_IDENTITY_VCT, cnf: { jwk: t.key.publicJwk }, deep, given_name: 'A' } as never,
      { _sd: ['given_name'] } as never,
      { header: { kid: issuer.kid, typ: 'dc+sd-jwt' } },
    );
    // The payload JSON is 71 levels deep: refused before parsing (core/encoding/json.ts).
    await rejectsCode(importCredential(t.wallet, cred), 'INPUT_TOO_DEEP');
  });
});
