import { generateKeyPairSync } from 'node:crypto';
import { isDnsName } from '../../core/oid4vp/client-id.js';
import { InvalidInputError } from '../../core/errors.js';
import { createCertificate, createCertificateAuthority } from '../../core/x509/create.js';

export type VerifierDevChain = {
  /** The development root: what wallets add to their trusted verifier roots. */
  caPem: string;
  /** The leaf certificate for the DNS name (what `verifier serve --x509-cert` takes). */
  chainPem: string;
  /** The leaf's P-256 private key, PKCS#8 PEM (keep it 0600). */
  keyPem: string;
};

/**
 * A development CA and a leaf certificate for `dnsName` (P-256, digitalSignature, SAN DNS), for
 * trying x509_san_dns / x509_hash requests without a real CA. A deployment gets its leaf from
 * a CA the wallets already trust and passes it to `verifier serve` the same way.
 */
export async function createVerifierDevChain(options: { dnsName: string; name?: string; days?: number }): Promise<VerifierDevChain> {
  if (!isDnsName(options.dnsName)) throw new InvalidInputError(`not a DNS name: ${options.dnsName}`, [{ path: 'dns', message: options.dnsName }]);
  const name = options.name ?? options.dnsName;
  const days = options.days ?? 365;
  const ca = await createCertificateAuthority({ name: `${name} development verifier CA`, days: Math.max(days, 30) + 1, pathLength: 0 });
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const leaf = await createCertificate({ issuer: ca, publicKey, subject: name, dnsNames: [options.dnsName.toLowerCase()], days });
  return {
    caPem: ca.certificate.toString(),
    chainPem: leaf.toString(),
    keyPem: privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
  };
}
