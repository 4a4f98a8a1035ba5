import { afterAll, describe, expect, it } from 'vitest';
import { issuerKeyMechanism, isUrlIssuer, jwtVcIssuerMetadataUrl, parseJwkSet, parseJwtVcIssuerMetadata } from '../../core/index.js';
import { initIssuer, serveIssuer } from '../../issuer/index.js';
import { emptyTrustBundle, syncIssuer } from '../../verifier/index.js';
import { freePort } from '../helpers/issuer.js';
import { tempDir } from '../helpers/tmp.js';

const KEY = { kty: 'OKP', crv: 'Ed25519', x: '11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo' };

describe('JWT VC Issuer Metadata rules (core/vc/jwt-vc-issuer.ts)', () => {
  it('puts the well-known segment between host and path, without a trailing slash', () => {
    expect(jwtVcIssuerMetadataUrl('https://example.com')).toBe('https://example.com/.well-known/jwt-vc-issuer');
    expect(jwtVcIssuerMetadataUrl('https://example.com/')).toBe('https://example.com/.well-known/jwt-vc-issuer');
    expect(jwtVcIssuerMetadataUrl('https://example.com/tenant/1234')).toBe('https://example.com/.well-known/jwt-vc-issuer/tenant/1234');
    expect(jwtVcIssuerMetadataUrl('https://example.com:8443/tenant/')).toBe('https://example.com:8443/.well-known/jwt-vc-issuer/tenant');
    expect(jwtVcIssuerMetadataUrl('http://127.0.0.1:8080/id')).toBe('http://127.0.0.1:8080/.well-known/jwt-vc-issuer/id');
  });

  it('only https identifiers (http on loopback) without query, fragment or credentials qualify', () => {
    for (const bad of [
      'did:key:z6Mk',
      'http://issuer.example',
      'https://issuer.example?x=1',
      'https://issuer.example#k',
      'https://u:p@issuer.example',
      'urn:x',
      '',
      42,
    ])
      expect(isUrlIssuer(bad), String(bad)).toBe(false);
    expect(isUrlIssuer('https://issuer.example/a')).toBe(true);
    expect(isUrlIssuer('http://localhost:9')).toBe(true);
  });

  it('metadata: issuer identical to iss, exactly one of jwks / jwks_uri, a JWK Set of public keys with distinct kids', () => {
    const iss = 'https://issuer.example';
    expect(parseJwtVcIssuerMetadata({ issuer: iss, jwks: { keys: [KEY] } }, iss)).toEqual({ issuer: iss, jwks: { keys: [KEY] } });
    expect(parseJwtVcIssuerMetadata({ issuer: iss, jwks_uri: 'https://keys.example/jwks' }, iss)).toEqual({
      issuer: iss,
      jwks_uri: 'https://keys.example/jwks',
    });
    const refused = [
      { issuer: `${iss}/`, jwks: { keys: [KEY] } },
      { issuer: iss },
      { issuer: iss, jwks: { keys: [KEY] }, jwks_uri: 'https://keys.example/jwks' },
      { issuer: iss, jwks_uri: 'http://keys.example/jwks' },
      { issuer: iss, jwks: { keys: [] } },
      { issuer: iss, jwks: { keys: [{ ...KEY, d: 'secret' }] } },
      {
        issuer: iss,
        jwks: {
          keys: [
            { ...KEY, kid: 'a' },
            { ...KEY, kid: 'a' },
          ],
        },
      },
      { issuer: iss, jwks: { keys: [KEY, { ...KEY, kid: 'b' }] } },
      [iss],
    ];
    for (const m of refused)
      expect(() => parseJwtVcIssuerMetadata(m, iss), JSON.stringify(m)).toThrow(expect.objectContaining({ code: 'ISSUER_METADATA_INVALID' }));
    expect(() => parseJwkSet({ keys: new Array(33).fill(KEY).map((k, i) => ({ ...k, kid: String(i) })) })).toThrow(
      expect.objectContaining({ code: 'ISSUER_METADATA_INVALID' }),
    );
  });

  it('the key mechanism: x5c first, then an https iss, then a DID; nothing else', () => {
    expect(issuerKeyMechanism({ x5c: ['MII'], kid: 'k' }, 'https://issuer.example')).toBe('x5c');
    expect(issuerKeyMechanism({ x5c: ['MII'] }, 'did:key:z6Mk')).toBe('x5c');
    expect(issuerKeyMechanism({ kid: 'k' }, 'https://issuer.example')).toBe('jwt-vc-issuer-metadata');
    expect(issuerKeyMechanism({ kid: 'did:key:z6Mk#z6Mk' }, 'did:key:z6Mk')).toBe('did');
    for (const iss of ['urn:x', 'http://issuer.example', undefined, 7])
      expect(() => issuerKeyMechanism({}, iss)).toThrow(expect.objectContaining({ code: 'ISSUER_UNTRUSTED' }));
  });
});

describe('an issuer whose public URL has a path', () => {
  const tmp = tempDir('netcred-path-issuer-');
  afterAll(() => tmp.cleanup());

  it('serves its metadata at /.well-known/jwt-vc-issuer/<path> (host root), and a verifier syncs it from there', async () => {
    const port = await freePort();
    const publicUrl = `http://127.0.0.1:${port}/tenant/a`;
    const ctx = await initIssuer({ dataDir: tmp.dir, publicUrl, issuerId: 'url', secret: 'path-issuer-test-secret-0123456789' });
    const server = await serveIssuer(ctx, { host: '127.0.0.1', port });
    try {
      const metadata = await (await fetch(`http://127.0.0.1:${port}/.well-known/jwt-vc-issuer/tenant/a`)).json();
      expect(metadata).toMatchObject({ issuer: publicUrl, jwks: { keys: [{ kid: ctx.signer.kid }] } });
      expect((await fetch(`http://127.0.0.1:${port}/.well-known/jwt-vc-issuer`)).status).toBe(404);
      expect((await fetch(`${publicUrl}/.well-known/jwt-vc-issuer`)).status).toBe(404);
      const { report, bundle } = await syncIssuer(emptyTrustBundle(), publicUrl);
      expect(report.issuer).toBe(publicUrl);
      expect(bundle.issuers[0]!.jwtVcIssuer?.uri).toBe(`http://127.0.0.1:${port}/.well-known/jwt-vc-issuer/tenant/a`);
    } finally {
      await server.close();
      await ctx.close();
    }
  });
});
