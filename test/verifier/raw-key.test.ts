// trustBundleForIssuerKey (verifier/trust/raw-key.ts, issue 15 item 2): the cases the CLI tests do not reach.
import { generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { didJwkFromJwk } from '../../core/index.js';
import type { PublicJwk } from '../../core/jose/jwk.js';
import { issueCredential } from '../../issuer/index.js';
import { sampleIdentityClaims } from '../../schemas/index.js';
import { TrustStore, trustBundleForIssuerKey, verifyPresentation } from '../../verifier/index.js';
import { initTestIssuer, type UnservedTestIssuer } from '../helpers/issuer.js';

let x509Issuer: UnservedTestIssuer;
let didIssuer: UnservedTestIssuer;
const HOLDER = didJwkFromJwk(generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ format: 'jwk' }) as PublicJwk);

beforeAll(async () => {
  [x509Issuer, didIssuer] = await Promise.all([initTestIssuer({ x509: true, publicUrl: 'https://x509-issuer.example' }), initTestIssuer()]);
}, 120_000);
afterAll(async () => {
  await x509Issuer?.close();
  await didIssuer?.close();
});

describe('trustBundleForIssuerKey', () => {
  it('refuses a credential that carries an x5c chain: its root belongs in a bundle', async () => {
    const { credential } = await issueCredential(x509Issuer.ctx, { holderDid: HOLDER, claims: sampleIdentityClaims() });
    expect(() => trustBundleForIssuerKey(credential, x509Issuer.ctx.issuerJwk)).toThrow(
      expect.objectContaining({ code: 'ISSUER_UNTRUSTED', message: expect.stringMatching(/x5c.*add-cert/) }),
    );
  });

  it('a private JWK is INVALID_INPUT; input that does not decode gives an empty bundle and MALFORMED', async () => {
    expect(() => trustBundleForIssuerKey('x', { ...didIssuer.ctx.issuerJwk, d: 'AAAA' })).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
    const bundle = trustBundleForIssuerKey('not a credential', didIssuer.ctx.issuerJwk);
    expect(bundle.issuers).toEqual([]);
    expect(verifyPresentation('not a credential', { trust: new TrustStore(bundle) })).toMatchObject({ valid: false, code: 'MALFORMED' });
  });

  it('trusts the issuer only for the type the credential claims, with its built-in type metadata', async () => {
    const { credential } = await issueCredential(didIssuer.ctx, { holderDid: HOLDER, claims: sampleIdentityClaims() });
    const bundle = trustBundleForIssuerKey(credential, didIssuer.ctx.issuerJwk);
    expect(bundle.issuers).toEqual([expect.objectContaining({ id: didIssuer.ctx.issuerId, vct: ['urn:netcred:vct:resident-identity:1'] })]);
    expect(bundle.typeMetadata.map((t) => t.vct)).toEqual(['urn:netcred:vct:resident-identity:1']);
    const result = verifyPresentation(credential, { trust: new TrustStore(bundle), requireKeyBinding: false, checkStatus: false });
    expect(result).toMatchObject({ valid: true, notChecked: ['keyBinding', 'status'] });
  });
});
