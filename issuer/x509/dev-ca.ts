import type { X509Certificate } from 'node:crypto';
import { importPublicJwk, type PublicJwk } from '../../core/jose/jwk.js';
import { createCertificate, createCertificateAuthority } from '../../core/x509/index.js';

export const DEV_CA_DAYS = 3650;
export const DEV_LEAF_DAYS = 730;

/**
 * A development chain for the issuer key: a fresh self-signed CA (P-256) and a leaf certificate
 * for the issuer's signing key, with the issuer URL's host as DNS SAN and the URL itself as URI
 * SAN. Returns [leaf, root]. The CA's private key lives only in this function: nothing can sign
 * with it afterwards (a new leaf means a new CA, which verifiers must trust anew).
 */
export async function createDevChain(options: { jwk: PublicJwk; issuerUrl: string; leafDays?: number }): Promise<[X509Certificate, X509Certificate]> {
  const host = new URL(options.issuerUrl).hostname;
  const ca = await createCertificateAuthority({ name: `netcred development CA (${host})`, days: DEV_CA_DAYS, pathLength: 0 });
  const leaf = await createCertificate({
    issuer: ca,
    publicKey: importPublicJwk(options.jwk),
    subject: `netcred issuer ${host}`,
    dnsNames: [host],
    uris: [options.issuerUrl],
    days: options.leafDays ?? DEV_LEAF_DAYS,
  });
  return [leaf, ca.certificate];
}
