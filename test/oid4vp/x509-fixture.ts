import { generateKeyPairSync, sign as nodeSign, type KeyObject, type X509Certificate } from 'node:crypto';
import { createCertificate, createCertificateAuthority, type CertificateAuthority } from '../../core/index.js';

/**
 * Verifier certificate chains for the HAIP tests: a root CA, an intermediate CA and a leaf for
 * a DNS name (what a real verifier gets from its CA), and the broken variants the wallet must
 * refuse. The request objects are signed here with node:crypto (ES256, JOSE r||s), not with
 * netcred's signer.
 */

export type Leaf = { certificate: X509Certificate; privateKey: KeyObject };

export type VerifierPki = {
  root: CertificateAuthority;
  intermediate: CertificateAuthority;
  leaf: Leaf;
  /** x5c order: leaf, intermediate (the root left out). */
  chain: X509Certificate[];
};

const DAY = 86_400_000;

async function leafUnder(issuer: CertificateAuthority, dns: string[], options: { subject?: string; notBefore?: Date; days?: number } = {}): Promise<Leaf> {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const certificate = await createCertificate({
    issuer,
    publicKey,
    subject: options.subject ?? 'Kiosk Verifier',
    dnsNames: dns,
    ...(options.notBefore ? { notBefore: options.notBefore } : {}),
    ...(options.days ? { days: options.days } : {}),
  });
  return { certificate, privateKey };
}

async function intermediateUnder(root: CertificateAuthority, name: string, asCa = true): Promise<CertificateAuthority> {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const certificate = await createCertificate({ issuer: root, publicKey, subject: name, ...(asCa ? { ca: { pathLength: 0 } } : {}) });
  return { certificate, privateKey };
}

/** A good chain: root -> intermediate -> leaf (SAN DNS `dns`). */
export async function verifierPki(dns = 'localhost', subject = 'Kiosk Verifier'): Promise<VerifierPki> {
  const root = await createCertificateAuthority({ name: 'Test Verifier Root CA' });
  const intermediate = await intermediateUnder(root, 'Test Verifier Issuing CA');
  const leaf = await leafUnder(intermediate, [dns], { subject });
  return { root, intermediate, leaf, chain: [leaf.certificate, intermediate.certificate] };
}

/** The variants a wallet must refuse, each under `pki.root` unless said otherwise. */
export async function brokenChains(pki: VerifierPki, dns = 'localhost') {
  // Expired: valid for one day, two days ago.
  const expired = await leafUnder(pki.intermediate, [dns], { notBefore: new Date(Date.now() - 3 * DAY), days: 1 });
  // Another root the wallet does not trust.
  const otherRoot = await createCertificateAuthority({ name: 'Some Other Root CA' });
  const otherIntermediate = await intermediateUnder(otherRoot, 'Some Other Issuing CA');
  const untrusted = await leafUnder(otherIntermediate, [dns]);
  // An "intermediate" that is an end-entity certificate (no CA flag) signing the leaf.
  const notCa = await intermediateUnder(pki.root, 'Not A CA', false);
  const underNotCa = await leafUnder(notCa, [dns]);
  // A certificate for another DNS name.
  const otherName = await leafUnder(pki.intermediate, ['elsewhere.example']);
  // A leaf that names the intermediate as its issuer but is signed by another key of the same name.
  const impostor = await createCertificateAuthority({ name: 'Test Verifier Issuing CA' });
  const forged = await leafUnder(impostor, [dns]);
  return {
    expired: { leaf: expired, chain: [expired.certificate, pki.intermediate.certificate] },
    untrusted: { leaf: untrusted, chain: [untrusted.certificate, otherIntermediate.certificate] },
    notCa: { leaf: underNotCa, chain: [underNotCa.certificate, notCa.certificate] },
    otherName: { leaf: otherName, chain: [otherName.certificate, pki.intermediate.certificate] },
    forged: { leaf: forged, chain: [forged.certificate, pki.intermediate.certificate] },
  };
}

const b64u = (v: object | Buffer): string => (Buffer.isBuffer(v) ? v : Buffer.from(JSON.stringify(v))).toString('base64url');

/** A request object signed with ES256 by `key`, the chain in x5c (standard base64 DER, leaf first). */
export function signRequestObject(payload: object, key: KeyObject, chain: readonly X509Certificate[], header: Record<string, unknown> = {}): string {
  const input = `${b64u({ alg: 'ES256', typ: 'oauth-authz-req+jwt', x5c: chain.map((c) => c.raw.toString('base64')), ...header })}.${b64u(payload)}`;
  const sig = nodeSign('sha256', Buffer.from(input), { key, dsaEncoding: 'ieee-p1363' });
  return `${input}.${b64u(sig)}`;
}

/** The DNS names of a certificate's subjectAltName, read with node:crypto. */
export function sanDnsNames(cert: X509Certificate): string[] {
  return (cert.subjectAltName ?? '')
    .split(', ')
    .filter((e) => e.startsWith('DNS:'))
    .map((e) => e.slice(4));
}
