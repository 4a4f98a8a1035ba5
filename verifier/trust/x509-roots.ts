import type { X509Certificate } from 'node:crypto';
import { NetcredError } from '../../core/errors.js';
import { certificateFacts, certificatesFromPem, X509Error } from '../../core/x509/index.js';
import { RESIDENT_IDENTITY_LITE_VCT, RESIDENT_IDENTITY_VCT } from '../../schemas/index.js';
import { builtInTypeMetadata } from './add.js';
import { TrustBundleError, type TrustBundle, type X509RootEntry } from './bundle.js';

/** Roots a bundle holds at most: each is tried for every x5c chain. */
export const MAX_X509_ROOTS = 64;

const oneLine = (dn: string) => dn.replace(/\n/g, ', ');

/** A trust root: a CA certificate (basicConstraints CA) whose key may sign certificates. */
function checkRoot(cert: X509Certificate, what: string): void {
  const facts = certificateFacts(cert);
  if (!facts.ca) throw new X509Error('X509_NOT_CA', `${what} (${oneLine(cert.subject)}) is not a CA certificate: a trust root must have the CA flag`);
  if (facts.keyUsage && !facts.keyUsage.keyCertSign)
    throw new X509Error('X509_NOT_CA', `${what} (${oneLine(cert.subject)}) may not sign certificates (no keyCertSign)`);
}

/** The bundle's roots as node:crypto certificates, parsed and checked once at load. */
export function loadX509Roots(entries: readonly X509RootEntry[] | undefined): X509Certificate[] {
  if (!entries) return [];
  if (entries.length > MAX_X509_ROOTS) throw new TrustBundleError(`the bundle holds more than ${MAX_X509_ROOTS} X.509 roots`);
  return entries.map((entry, n) => {
    try {
      const certs = certificatesFromPem(entry.pem);
      if (certs.length !== 1) throw new Error('pem must hold exactly one certificate');
      const cert = certs[0]!;
      if (cert.fingerprint256 !== entry.sha256) throw new Error(`sha256 is ${entry.sha256}, the certificate's is ${cert.fingerprint256}`);
      checkRoot(cert, 'the root');
      return cert;
    } catch (cause) {
      throw new TrustBundleError(`x509Roots[${n}]: ${(cause as Error).message}`, cause);
    }
  });
}

/**
 * Adds the CA certificate(s) of a PEM file as trust roots for `vcts` (no network): each must be a
 * CA (X509_NOT_CA) valid now (X509_CERT_EXPIRED). A root already there gets the types added.
 * Type metadata netcred ships for a type comes along, as with `trust add`.
 */
export function addX509Roots(
  bundle: TrustBundle,
  pem: string,
  vcts: readonly string[] = [RESIDENT_IDENTITY_VCT, RESIDENT_IDENTITY_LITE_VCT],
  now = new Date(),
): { bundle: TrustBundle; added: X509RootEntry[] } {
  if (vcts.length === 0 || vcts.some((v) => typeof v !== 'string' || v === ''))
    throw new NetcredError('INVALID_INPUT', '--vct values must be non-empty strings');
  const certs = certificatesFromPem(pem);
  const stamp = now.toISOString();
  const roots = [...(bundle.x509Roots ?? [])];
  const added: X509RootEntry[] = [];
  certs.forEach((cert, i) => {
    const what = certs.length > 1 ? `certificate ${i + 1}` : 'the certificate';
    checkRoot(cert, what);
    const t = now.getTime();
    if (!(t >= Date.parse(cert.validFrom) && t <= Date.parse(cert.validTo)))
      throw new X509Error('X509_CERT_EXPIRED', `${what} (${oneLine(cert.subject)}) is valid from ${cert.validFrom} to ${cert.validTo}, not now`);
    const at = roots.findIndex((r) => r.sha256 === cert.fingerprint256);
    const entry: X509RootEntry = {
      pem: cert.toString().trim(),
      vct: [...new Set([...(at >= 0 ? roots[at]!.vct : []), ...vcts])],
      subject: oneLine(cert.subject),
      sha256: cert.fingerprint256,
      addedAt: at >= 0 ? roots[at]!.addedAt : stamp,
    };
    if (at >= 0) roots[at] = entry;
    else roots.push(entry);
    added.push(entry);
  });
  if (roots.length > MAX_X509_ROOTS) throw new NetcredError('INVALID_INPUT', `a bundle holds at most ${MAX_X509_ROOTS} X.509 roots`);
  const typeMetadata = [...bundle.typeMetadata];
  for (const vct of vcts) {
    const builtIn = builtInTypeMetadata(vct);
    if (builtIn && !typeMetadata.some((t) => t.vct === vct)) typeMetadata.push(builtIn);
  }
  return { bundle: { ...bundle, updatedAt: stamp, x509Roots: roots, typeMetadata }, added };
}
