import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createPublicKey, generateKeyPairSync, type KeyObject, type X509Certificate } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createCertificate,
  createCertificateAuthority,
  generateSalt,
  keyObjectSigner,
  parseSdJwt,
  sdDigest,
  signCompact,
  x5cOf,
  type CertificateAuthority,
} from '../../core/index.js';
import { createIssuerCertificate, initIssuer, issueCredential, issuerCertificateChain, openIssuer, pemOf } from '../../issuer/index.js';
import { RESIDENT_IDENTITY_VCT, sampleIdentityClaims } from '../../schemas/index.js';
import { addX509Roots, emptyTrustBundle, syncIssuer, TrustStore, verifyPresentation, type TrustBundle } from '../../verifier/index.js';
import { startTestIssuer, type TestIssuer } from '../helpers/issuer.js';
import { tempDir } from '../helpers/tmp.js';
import { AUD, encodeDisclosure, kbJwt, NOW, NOW_S, party } from './helpers/fixture.js';

/**
 * Issuer key discovery at the verifier: JWT VC Issuer Metadata synced from a real issuer whose
 * `iss` is its URL, and X.509 (`x5c`) from a real issuer with a development CA, then verified
 * offline; and every refusal, each with its code.
 */

const holder = party('p256');
const LITE = ['given_name', 'family_name', 'age_over_18'];

/** The holder's side: keep the disclosures named, add a KB-JWT now. */
async function presentIssued(credential: string, names: string[]): Promise<string> {
  const parsed = parseSdJwt(credential);
  const keep = parsed.disclosures.filter((d) => d.name !== undefined && names.includes(d.name));
  const sdJwt = `${[parsed.jwt, ...keep.map((d) => d.encoded)].join('~')}~`;
  return sdJwt + (await kbJwt(sdJwt, holder.priv, { iat: Math.floor(Date.now() / 1000) }));
}

let urlIssuer: TestIssuer;
let x509Issuer: TestIssuer;

beforeAll(async () => {
  [urlIssuer, x509Issuer] = await Promise.all([
    startTestIssuer({ issuerId: 'url', alg: 'ES256', tmpPrefix: 'netcred-url-issuer-' }),
    startTestIssuer({ x509: true, alg: 'ES256', tmpPrefix: 'netcred-x509-issuer-' }),
  ]);
}, 60_000);

afterAll(async () => {
  await Promise.all([urlIssuer?.close(), x509Issuer?.close()]);
});

describe('JWT VC Issuer Metadata: a real issuer whose iss is its URL', () => {
  it('serves {issuer, jwks} at /.well-known/jwt-vc-issuer; its credentials carry iss = URL and a kid of that JWKS', async () => {
    const res = await fetch(`${urlIssuer.url}/.well-known/jwt-vc-issuer`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    const metadata = (await res.json()) as { issuer: string; jwks: { keys: { kid: string }[] } };
    expect(metadata.issuer).toBe(urlIssuer.url);
    expect(metadata.jwks.keys).toHaveLength(1);
    const issued = await issueCredential(urlIssuer.ctx, { holderDid: holder.did, claims: sampleIdentityClaims() });
    const jwt = parseSdJwt(issued.credential).jwt;
    const header = JSON.parse(Buffer.from(jwt.split('.')[0]!, 'base64url').toString());
    const payload = JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString());
    expect(payload.iss).toBe(urlIssuer.url);
    expect(header.kid).toBe(metadata.jwks.keys[0]!.kid);
    expect(header.x5c).toBeUndefined();
    // a DID issuer serves none: no metadata could name its iss
    const didIssuer = await startTestIssuer({ tmpPrefix: 'netcred-did-issuer-' });
    try {
      expect((await fetch(`${didIssuer.url}/.well-known/jwt-vc-issuer`)).status).toBe(404);
    } finally {
      await didIssuer.close();
    }
  });

  it('verifier sync keeps the metadata keys in the bundle; credentials, status lists and W3C lists then verify offline', async () => {
    const { bundle, report } = await syncIssuer(emptyTrustBundle(), urlIssuer.url);
    expect(report).toMatchObject({ issuer: urlIssuer.url, statusLists: 1, bitstringLists: 2 });
    const entry = bundle.issuers.find((i) => i.id === urlIssuer.url)!;
    expect(entry.jwtVcIssuer).toMatchObject({ uri: `${urlIssuer.url}/.well-known/jwt-vc-issuer`, issuer: urlIssuer.url });
    expect(entry.jwks?.keys).toHaveLength(1);
    const store = new TrustStore(JSON.parse(JSON.stringify(bundle)));
    for (const format of ['dc+sd-jwt', 'vc+sd-jwt'] as const) {
      const issued = await issueCredential(urlIssuer.ctx, { holderDid: holder.did, claims: sampleIdentityClaims(), format });
      const names = format === 'dc+sd-jwt' ? LITE : parseSdJwt(issued.credential).disclosures.flatMap((d) => (d.name && LITE.includes(d.name) ? [d.name] : []));
      const result = verifyPresentation(await presentIssued(issued.credential, names), { trust: store, aud: AUD });
      expect(result, result.message).toMatchObject({ valid: true, issuer: urlIssuer.url, format, status: { value: 0 } });
    }
  });

  it('sync refuses metadata whose issuer is not identical to iss (ISSUER_METADATA_INVALID), and a bundle holding such metadata does not use it', async () => {
    // An issuer that answers with another issuer's identifier (a trailing slash is another identifier).
    const server = createServer((req, res) => {
      const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      res.setHeader('content-type', 'application/json');
      if (req.url === '/.well-known/netcred-issuer') res.end(JSON.stringify({ issuer: base, credential_types: [{ vct: RESIDENT_IDENTITY_VCT }] }));
      else if (req.url === '/.well-known/jwt-vc-issuer') res.end(JSON.stringify({ issuer: `${base}/`, jwks: { keys: [{ ...holder.pub, kid: 'k1' }] } }));
      else res.writeHead(404).end('{}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      await expect(syncIssuer(emptyTrustBundle(), base)).rejects.toMatchObject({ code: 'ISSUER_METADATA_INVALID' });
    } finally {
      server.close();
    }

    const { bundle } = await syncIssuer(emptyTrustBundle(), urlIssuer.url);
    const tampered: TrustBundle = {
      ...bundle,
      issuers: bundle.issuers.map((i) => ({ ...i, jwtVcIssuer: { ...i.jwtVcIssuer!, issuer: 'https://impostor.example' } })),
    };
    const store = new TrustStore(tampered);
    expect(store.refusedStatusLists().length).toBeGreaterThan(0);
    const issued = await issueCredential(urlIssuer.ctx, { holderDid: holder.did, claims: sampleIdentityClaims() });
    expect(verifyPresentation(await presentIssued(issued.credential, LITE), { trust: store, aud: AUD }).code).toBe('ISSUER_METADATA_INVALID');
  });

  it('a kid that is not in the JWKS is KID_MISMATCH; a URL issuer that is not in the bundle is ISSUER_UNTRUSTED', async () => {
    const { bundle } = await syncIssuer(emptyTrustBundle(), urlIssuer.url);
    const store = new TrustStore(bundle);
    const other = party('p256');
    const forged = await mintSd({ iss: urlIssuer.url, key: other.priv, header: { kid: 'not-in-the-jwks' } });
    expect(verifyPresentation(await presentSd(forged), { trust: store, aud: AUD, requireStatus: false }).code).toBe('KID_MISMATCH');
    const stranger = await mintSd({ iss: 'https://stranger.example', key: other.priv, header: { kid: 'k' } });
    expect(verifyPresentation(await presentSd(stranger), { trust: store, aud: AUD, requireStatus: false }).code).toBe('ISSUER_UNTRUSTED');
  });
});

describe('X.509: a real issuer with a development CA', () => {
  it('credentials and status list tokens carry x5c (leaf first, no root); the leaf names the issuer URL', async () => {
    const chain = issuerCertificateChain(x509Issuer.ctx)!;
    expect(chain.root).toBeDefined();
    expect(chain.x5c).toHaveLength(1);
    const issued = await issueCredential(x509Issuer.ctx, { holderDid: holder.did, claims: sampleIdentityClaims() });
    const header = JSON.parse(Buffer.from(parseSdJwt(issued.credential).jwt.split('.')[0]!, 'base64url').toString());
    expect(header.x5c).toEqual(chain.x5c);
    const agg = (await (await fetch(`${x509Issuer.url}/status/aggregation`)).json()) as { status_lists: string[] };
    const token = await (await fetch(agg.status_lists[0]!)).text();
    const tokenHeader = JSON.parse(Buffer.from(token.split('.')[0]!, 'base64url').toString());
    expect(tokenHeader.x5c).toEqual(chain.x5c);
    expect(JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()).iss).toBe(x509Issuer.url);
  });

  it('after sync and trust add-cert of the root, credentials verify offline through x5c; without the root they are X509_UNTRUSTED', async () => {
    const issued = await issueCredential(x509Issuer.ctx, { holderDid: holder.did, claims: sampleIdentityClaims() });
    const { bundle } = await syncIssuer(emptyTrustBundle(), x509Issuer.url);
    const presentation = await presentIssued(issued.credential, LITE);
    expect(verifyPresentation(presentation, { trust: new TrustStore(bundle), aud: AUD }).code).toBe('X509_UNTRUSTED');
    const root = pemOf(issuerCertificateChain(x509Issuer.ctx)!.root!);
    const trusted = new TrustStore(addX509Roots(bundle, root).bundle);
    const ok = verifyPresentation(presentation, { trust: trusted, aud: AUD, profile: 'lite' });
    expect(ok, ok.message).toMatchObject({ valid: true, issuer: x509Issuer.url, status: { value: 0 } });
    // The root alone (no sync) vouches for the issuer its leaf names: the signature holds, the
    // status list is missing (a sync brings it).
    const rootOnly = verifyPresentation(presentation, { trust: new TrustStore(addX509Roots(emptyTrustBundle(), root).bundle), aud: AUD });
    expect(rootOnly).toMatchObject({ valid: false, code: 'STATUS_UNKNOWN', issuer: x509Issuer.url });
  });
});

describe('issuer cert after init', () => {
  it('a URL issuer gets a development chain later (refused when one exists, unless replaced), and signs with it once reopened; a DID issuer cannot take one', async () => {
    const dir = tempDir('netcred-cert-later-');
    try {
      const ctx = await initIssuer({ dataDir: dir.dir, issuerId: 'url', publicUrl: 'https://id.example.org', secret: 'cert-later-test-secret-0123456789' });
      let chain;
      try {
        expect(ctx.x5c).toBeUndefined();
        chain = await createIssuerCertificate(ctx, { leafDays: 30 });
        await expect(createIssuerCertificate(ctx)).rejects.toMatchObject({ code: 'INVALID_INPUT' });
        const replaced = await createIssuerCertificate(ctx, { replace: true });
        expect(replaced.root!.fingerprint256).not.toBe(chain.root!.fingerprint256);
        chain = replaced;
      } finally {
        await ctx.close();
      }
      const reopened = await openIssuer({ dataDir: dir.dir, secret: 'cert-later-test-secret-0123456789' });
      try {
        expect(reopened.x5c).toEqual(chain.x5c);
        const issued = await issueCredential(reopened, { holderDid: holder.did, claims: sampleIdentityClaims() });
        const header = JSON.parse(Buffer.from(issued.credential.split('.')[0]!, 'base64url').toString());
        expect(header).toMatchObject({ x5c: chain.x5c, kid: reopened.signer.kid });
      } finally {
        await reopened.close();
      }
    } finally {
      dir.cleanup();
    }
    const didIssuer = await startTestIssuer({ tmpPrefix: 'netcred-did-cert-' });
    try {
      await expect(createIssuerCertificate(didIssuer.ctx)).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    } finally {
      await didIssuer.close();
    }
  });
});

// ---- chains made here, credentials signed here: one refusal each ----

const ISS = 'https://issuer.example.org';
let root: CertificateAuthority;
let trust: TrustStore;
const leafKey = party('p256');

/** An SD-JWT VC signed with `key`, its header members as given (x5c, kid), lite claims disclosable. */
async function mintSd(opts: { iss: string; key: KeyObject; header: Record<string, unknown> }): Promise<{ jwt: string; disclosures: string[] }> {
  const claims = { given_name: 'Ada', family_name: 'Lovelace', age_over_18: true };
  const disclosures = Object.entries(claims).map(([k, v]) => encodeDisclosure([generateSalt(), k, v]));
  const payload = {
    iss: opts.iss,
    iat: NOW_S - 60,
    exp: NOW_S + 86400,
    vct: RESIDENT_IDENTITY_VCT,
    cnf: { jwk: holder.pub },
    _sd: disclosures.map((d) => sdDigest(d)).sort(),
    _sd_alg: 'sha-256',
  };
  const jwt = await signCompact({ typ: 'dc+sd-jwt', ...opts.header }, payload, keyObjectSigner(opts.key));
  return { jwt, disclosures };
}

async function presentSd(issued: { jwt: string; disclosures: string[] }, iat = NOW_S - 5): Promise<string> {
  const sdJwt = `${[issued.jwt, ...issued.disclosures].join('~')}~`;
  return sdJwt + (await kbJwt(sdJwt, holder.priv, { iat }));
}

function verifyAtNow(presentation: string, store = trust) {
  return verifyPresentation(presentation, { trust: store, aud: AUD, now: NOW, requireStatus: false });
}

async function leafFor(
  issuer: CertificateAuthority,
  opts: { key?: KeyObject; dnsNames?: string[]; uris?: string[]; days?: number; notBefore?: Date } = {},
): Promise<X509Certificate> {
  return createCertificate({
    issuer,
    publicKey: opts.key ?? createPublicKey(leafKey.priv),
    subject: 'test issuer',
    dnsNames: opts.dnsNames ?? ['issuer.example.org'],
    uris: opts.uris,
    days: opts.days,
    notBefore: opts.notBefore ?? new Date(NOW.getTime() - 86400_000),
  });
}

describe('X.509 refusals at verification, each with its code', () => {
  beforeAll(async () => {
    root = await createCertificateAuthority({ name: 'Test Root', notBefore: new Date(NOW.getTime() - 86400_000) });
    trust = new TrustStore(addX509Roots(emptyTrustBundle(NOW), root.certificate.toString(), [RESIDENT_IDENTITY_VCT], NOW).bundle);
  });

  it('a good chain verifies: DNS SAN = the host of an https iss, or URI SAN = iss exactly', async () => {
    const byDns = await leafFor(root);
    expect(verifyAtNow(await presentSd(await mintSd({ iss: ISS, key: leafKey.priv, header: { x5c: x5cOf([byDns]) } })))).toMatchObject({
      valid: true,
      issuer: ISS,
    });
    const byUri = await leafFor(root, { dnsNames: [], uris: [`${ISS}/tenant`] });
    expect(verifyAtNow(await presentSd(await mintSd({ iss: `${ISS}/tenant`, key: leafKey.priv, header: { x5c: x5cOf([byUri]) } })))).toMatchObject({
      valid: true,
    });
  });

  it('expired leaf: X509_CERT_EXPIRED', async () => {
    const expired = await leafFor(root, { days: 1, notBefore: new Date(NOW.getTime() - 3 * 86400_000) });
    expect(verifyAtNow(await presentSd(await mintSd({ iss: ISS, key: leafKey.priv, header: { x5c: x5cOf([expired]) } }))).code).toBe('X509_CERT_EXPIRED');
  });

  it('a chain to another root: X509_UNTRUSTED', async () => {
    const otherRoot = await createCertificateAuthority({ name: 'Test Root', notBefore: new Date(NOW.getTime() - 86400_000) });
    const leaf = await leafFor(otherRoot);
    expect(verifyAtNow(await presentSd(await mintSd({ iss: ISS, key: leafKey.priv, header: { x5c: x5cOf([leaf]) } }))).code).toBe('X509_UNTRUSTED');
  });

  it('an intermediate without the CA flag: X509_NOT_CA', async () => {
    const mid = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    // An end-entity certificate (no CA flag) used to sign the leaf.
    const notCa = await createCertificate({
      issuer: root,
      publicKey: createPublicKey(mid.privateKey),
      subject: 'not a CA',
      notBefore: new Date(NOW.getTime() - 86400_000),
    });
    const leaf = await leafFor({ certificate: notCa, privateKey: mid.privateKey });
    expect(verifyAtNow(await presentSd(await mintSd({ iss: ISS, key: leafKey.priv, header: { x5c: x5cOf([leaf, notCa]) } }))).code).toBe('X509_NOT_CA');
  });

  it('a SAN that does not name iss: X509_SAN_MISMATCH (another host, a URI of another path, an http iss by DNS)', async () => {
    const leaf = await leafFor(root, { dnsNames: ['other.example.org'], uris: ['https://issuer.example.org/other'] });
    const code = async (iss: string) => verifyAtNow(await presentSd(await mintSd({ iss, key: leafKey.priv, header: { x5c: x5cOf([leaf]) } }))).code;
    expect(await code(ISS)).toBe('X509_SAN_MISMATCH');
    expect(await code('https://issuer.example.org/tenant')).toBe('X509_SAN_MISMATCH');
    const dnsOnly = await leafFor(root, { dnsNames: ['127.0.0.1'] });
    expect(verifyAtNow(await presentSd(await mintSd({ iss: 'http://127.0.0.1:8080', key: leafKey.priv, header: { x5c: x5cOf([dnsOnly]) } }))).code).toBe(
      'X509_SAN_MISMATCH',
    );
  });

  it('a chain signed by another key: a certificate not signed by the next is X509_CHAIN_INVALID; a JWT not signed by the leaf key is SIGNATURE_INVALID', async () => {
    const intermediate = await createCertificateAuthority({ name: 'Intermediate', notBefore: new Date(NOW.getTime() - 86400_000) });
    const leaf = await leafFor(intermediate); // signed by a key that is not the one of the certificate after it
    const otherKey = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey;
    const midCert = await createCertificate({
      issuer: root,
      publicKey: otherKey,
      subject: 'Intermediate',
      ca: {},
      notBefore: new Date(NOW.getTime() - 86400_000),
    });
    expect(verifyAtNow(await presentSd(await mintSd({ iss: ISS, key: leafKey.priv, header: { x5c: x5cOf([leaf, midCert]) } }))).code).toBe(
      'X509_CHAIN_INVALID',
    );
    const good = await leafFor(root);
    expect(verifyAtNow(await presentSd(await mintSd({ iss: ISS, key: party('p256').priv, header: { x5c: x5cOf([good]) } }))).code).toBe('SIGNATURE_INVALID');
  });

  it('x5c wins over kid: a chain that fails is never rescued by the JWKS of the same issuer', async () => {
    const bundle: TrustBundle = {
      ...trust.bundle,
      issuers: [{ id: ISS, vct: [RESIDENT_IDENTITY_VCT], jwks: { keys: [{ ...leafKey.pub, kid: 'k1' }] }, addedAt: NOW.toISOString() }],
    };
    const store = new TrustStore(bundle);
    const expired = await leafFor(root, { days: 1, notBefore: new Date(NOW.getTime() - 3 * 86400_000) });
    expect(verifyAtNow(await presentSd(await mintSd({ iss: ISS, key: leafKey.priv, header: { kid: 'k1', x5c: x5cOf([expired]) } })), store).code).toBe(
      'X509_CERT_EXPIRED',
    );
    expect(verifyAtNow(await presentSd(await mintSd({ iss: ISS, key: leafKey.priv, header: { kid: 'k1' } })), store)).toMatchObject({ valid: true });
  });

  it('a root trusted for other types only does not vouch for this type (ISSUER_UNTRUSTED)', async () => {
    const store = new TrustStore(addX509Roots(emptyTrustBundle(NOW), root.certificate.toString(), ['urn:example:other'], NOW).bundle);
    const leaf = await leafFor(root);
    expect(verifyAtNow(await presentSd(await mintSd({ iss: ISS, key: leafKey.priv, header: { x5c: x5cOf([leaf]) } })), store).code).toBe('ISSUER_UNTRUSTED');
  });

  it('trust add-cert refuses what cannot be a root: an end-entity certificate (X509_NOT_CA), an expired one (X509_CERT_EXPIRED)', async () => {
    const leaf = await leafFor(root);
    expect(() => addX509Roots(emptyTrustBundle(NOW), leaf.toString(), undefined, NOW)).toThrow(expect.objectContaining({ code: 'X509_NOT_CA' }));
    const old = await createCertificateAuthority({ name: 'Old Root', days: 1, notBefore: new Date(NOW.getTime() - 3 * 86400_000) });
    expect(() => addX509Roots(emptyTrustBundle(NOW), old.certificate.toString(), undefined, NOW)).toThrow(
      expect.objectContaining({ code: 'X509_CERT_EXPIRED' }),
    );
    expect(() => addX509Roots(emptyTrustBundle(NOW), 'not a pem', undefined, NOW)).toThrow(expect.objectContaining({ code: 'X509_CHAIN_INVALID' }));
  });
});
