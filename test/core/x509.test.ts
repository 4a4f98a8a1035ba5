import { execFileSync } from 'node:child_process';
import { generateKeyPairSync, type X509Certificate } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { certificatesFromPem, createCertificate, createCertificateAuthority, verifyX5c, x509Hash, x5cOf, type CertificateAuthority } from '../../core/index.js';
import { tempDir } from '../helpers/tmp.js';

let root: CertificateAuthority;
let intermediate: CertificateAuthority;
const leafKey = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
let leaf: X509Certificate;
let dir: string;
let cleanup: () => void;
const pem = (c: X509Certificate) => c.toString();

beforeAll(async () => {
  ({ dir, cleanup } = tempDir('netcred-x509-'));
  root = await createCertificateAuthority({ name: 'netcred test root' });
  const interKey = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  intermediate = {
    certificate: await createCertificate({ issuer: root, publicKey: interKey.publicKey, subject: 'netcred test intermediate', ca: { pathLength: 0 } }),
    privateKey: interKey.privateKey,
  };
  leaf = await createCertificate({
    issuer: intermediate,
    publicKey: leafKey.publicKey,
    subject: 'issuer.example',
    dnsNames: ['issuer.example'],
    uris: ['https://issuer.example/id'],
  });
});
afterAll(() => cleanup?.());

describe('X.509 chains (x5c)', () => {
  it('OpenSSL, an independent implementation, validates the chains we create', () => {
    for (const [name, cert] of [
      ['root', root.certificate],
      ['inter', intermediate.certificate],
      ['leaf', leaf],
    ] as const)
      writeFileSync(path.join(dir, `${name}.pem`), pem(cert));
    const out = execFileSync('openssl', [
      'verify',
      '-x509_strict',
      '-CAfile',
      path.join(dir, 'root.pem'),
      '-untrusted',
      path.join(dir, 'inter.pem'),
      path.join(dir, 'leaf.pem'),
    ]).toString();
    expect(out.trim()).toBe(`${path.join(dir, 'leaf.pem')}: OK`);
  });

  it('accepts a chain to a trusted root, returns the leaf key, checks the SAN DNS name and URI', () => {
    const v = verifyX5c(x5cOf([leaf, intermediate.certificate]), { anchors: [root.certificate], dnsName: 'ISSUER.example', uri: 'https://issuer.example/id' });
    expect(v.publicKey.export({ format: 'jwk' })).toEqual(leafKey.publicKey.export({ format: 'jwk' }));
    expect(v.anchor.raw.equals(root.certificate.raw)).toBe(true);
    // the root may be sent too; it must still be one of the anchors
    expect(() => verifyX5c(x5cOf([leaf, intermediate.certificate, root.certificate]), { anchors: [root.certificate] })).not.toThrow();
  });

  it('accepts a chain OpenSSL made (root and a leaf with a DNS SAN)', () => {
    const o = (args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
    o([
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:P-256',
      '-nodes',
      '-keyout',
      'oroot.key',
      '-out',
      'oroot.pem',
      '-days',
      '30',
      '-subj',
      '/CN=openssl root',
      '-addext',
      'basicConstraints=critical,CA:TRUE',
      '-addext',
      'keyUsage=critical,keyCertSign',
    ]);
    o(['req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', 'oleaf.key', '-out', 'oleaf.csr', '-subj', '/CN=verifier.example']);
    writeFileSync(path.join(dir, 'ext.cnf'), 'basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\nsubjectAltName=DNS:verifier.example\n');
    o([
      'x509',
      '-req',
      '-in',
      'oleaf.csr',
      '-CA',
      'oroot.pem',
      '-CAkey',
      'oroot.key',
      '-CAcreateserial',
      '-out',
      'oleaf.pem',
      '-days',
      '10',
      '-extfile',
      'ext.cnf',
    ]);
    const [oleaf] = certificatesFromPem(readFileSync(path.join(dir, 'oleaf.pem'), 'utf8'));
    const [oroot] = certificatesFromPem(readFileSync(path.join(dir, 'oroot.pem'), 'utf8'));
    expect(() => verifyX5c(x5cOf([oleaf!]), { anchors: [oroot!], dnsName: 'verifier.example' })).not.toThrow();
    expect(() => verifyX5c(x5cOf([oleaf!]), { anchors: [root.certificate] })).toThrow(expect.objectContaining({ code: 'X509_UNTRUSTED' }));
  });

  it('refuses an expired (or not yet valid) leaf: X509_CERT_EXPIRED', () => {
    const later = Date.parse(leaf.validTo) / 1000 + 1;
    expect(() => verifyX5c(x5cOf([leaf, intermediate.certificate]), { anchors: [root.certificate], now: later })).toThrow(
      expect.objectContaining({ code: 'X509_CERT_EXPIRED' }),
    );
    const earlier = Date.parse(leaf.validFrom) / 1000 - 1;
    expect(() => verifyX5c(x5cOf([leaf, intermediate.certificate]), { anchors: [root.certificate], now: earlier })).toThrow(
      expect.objectContaining({ code: 'X509_CERT_EXPIRED' }),
    );
  });

  it('refuses a chain to another root: X509_UNTRUSTED', async () => {
    const other = await createCertificateAuthority({ name: 'someone else' });
    expect(() => verifyX5c(x5cOf([leaf, intermediate.certificate]), { anchors: [other.certificate] })).toThrow(
      expect.objectContaining({ code: 'X509_UNTRUSTED' }),
    );
  });

  it('refuses an intermediate without the CA flag, and a path longer than its pathLength: X509_NOT_CA', async () => {
    const k = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    const notCa = { certificate: await createCertificate({ issuer: root, publicKey: k.publicKey, subject: 'not a ca' }), privateKey: k.privateKey };
    const under = await createCertificate({ issuer: notCa, publicKey: leafKey.publicKey, subject: 'leaf', dnsNames: ['issuer.example'] });
    expect(() => verifyX5c(x5cOf([under, notCa.certificate]), { anchors: [root.certificate] })).toThrow(expect.objectContaining({ code: 'X509_NOT_CA' }));
    // intermediate (pathLength 0) -> sub-CA -> leaf: one intermediate too many below it
    const k2 = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    const sub = {
      certificate: await createCertificate({ issuer: intermediate, publicKey: k2.publicKey, subject: 'sub ca', ca: {} }),
      privateKey: k2.privateKey,
    };
    const deep = await createCertificate({ issuer: sub, publicKey: leafKey.publicKey, subject: 'leaf' });
    expect(() => verifyX5c(x5cOf([deep, sub.certificate, intermediate.certificate]), { anchors: [root.certificate] })).toThrow(
      expect.objectContaining({ code: 'X509_NOT_CA' }),
    );
  });

  it('refuses a SAN that does not match: X509_SAN_MISMATCH', () => {
    expect(() => verifyX5c(x5cOf([leaf, intermediate.certificate]), { anchors: [root.certificate], dnsName: 'evil.example' })).toThrow(
      expect.objectContaining({ code: 'X509_SAN_MISMATCH' }),
    );
    expect(() => verifyX5c(x5cOf([leaf, intermediate.certificate]), { anchors: [root.certificate], uri: 'https://issuer.example/other' })).toThrow(
      expect.objectContaining({ code: 'X509_SAN_MISMATCH' }),
    );
  });

  it("refuses a certificate signed by another key than its issuer's, and a chain out of order: X509_CHAIN_INVALID", async () => {
    const impostor = { certificate: intermediate.certificate, privateKey: generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey };
    const forged = await createCertificate({ issuer: impostor, publicKey: leafKey.publicKey, subject: 'issuer.example', dnsNames: ['issuer.example'] });
    expect(() => verifyX5c(x5cOf([forged, intermediate.certificate]), { anchors: [root.certificate] })).toThrow(
      expect.objectContaining({ code: 'X509_CHAIN_INVALID' }),
    );
    expect(() => verifyX5c(x5cOf([intermediate.certificate, leaf]), { anchors: [root.certificate] })).toThrow(
      expect.objectContaining({ code: 'X509_CHAIN_INVALID' }),
    );
    for (const bad of [[], 'x', ['not base64!'], [Buffer.from('garbage').toString('base64')], Array(7).fill(x5cOf([leaf])[0])]) {
      expect(() => verifyX5c(bad, { anchors: [root.certificate] })).toThrow(expect.objectContaining({ code: 'X509_CHAIN_INVALID' }));
    }
  });

  it('refuses a CA certificate as the signing leaf: X509_KEY_USAGE', () => {
    expect(() => verifyX5c(x5cOf([intermediate.certificate]), { anchors: [root.certificate] })).toThrow(expect.objectContaining({ code: 'X509_KEY_USAGE' }));
  });

  it('x509_hash is the base64url SHA-256 of the leaf DER (as OpenSSL computes it)', () => {
    const fp = execFileSync('openssl', ['x509', '-in', path.join(dir, 'leaf.pem'), '-noout', '-fingerprint', '-sha256'])
      .toString()
      .trim()
      .split('=')[1]!
      .replace(/:/g, '');
    expect(x509Hash(leaf)).toBe(Buffer.from(fp, 'hex').toString('base64url'));
  });

  it('an Ed25519 leaf works too', async () => {
    const ed = generateKeyPairSync('ed25519');
    const edLeaf = await createCertificate({ issuer: intermediate, publicKey: ed.publicKey, subject: 'ed', dnsNames: ['ed.example'] });
    expect(verifyX5c(x5cOf([edLeaf, intermediate.certificate]), { anchors: [root.certificate], dnsName: 'ed.example' }).publicKey.asymmetricKeyType).toBe(
      'ed25519',
    );
  });
});
