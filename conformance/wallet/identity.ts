import { generateKeyPairSync, type KeyObject, type X509Certificate } from 'node:crypto';
import { createCertificate, createCertificateAuthority } from '../../core/index.js';

/** An X.509 verifier identity: the leaf's key and chain (x5c order, root left out) under a CA. */
export type SigningIdentity = { key: KeyObject; chain: X509Certificate[] };

/**
 * The hostile verifier's identities: a CA the wallet is told to trust ({trust_root}) with a leaf
 * for the DNS name the verifier serves on (its client_id is `x509_san_dns:<dns>`), and the same
 * name certified by a CA the wallet was never told about.
 */
export type VerifierIdentities = {
  dnsName: string;
  trusted: SigningIdentity;
  /** The trust root, PEM: what the wallet gets as {trust_root}. */
  caPem: string;
  untrusted: SigningIdentity;
};

async function leafUnder(caName: string, dnsName: string): Promise<{ caPem: string; identity: SigningIdentity }> {
  const ca = await createCertificateAuthority({ name: caName, days: 2 });
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const leaf = await createCertificate({ issuer: ca, publicKey, subject: 'netcred conformance hostile verifier', dnsNames: [dnsName], days: 1 });
  return { caPem: ca.certificate.toString(), identity: { key: privateKey, chain: [leaf] } };
}

export async function createVerifierIdentities(dnsName: string): Promise<VerifierIdentities> {
  const trusted = await leafUnder('netcred conformance verifier CA', dnsName);
  const untrusted = await leafUnder('netcred conformance untrusted CA', dnsName);
  return { dnsName, trusted: trusted.identity, caPem: trusted.caPem, untrusted: untrusted.identity };
}
