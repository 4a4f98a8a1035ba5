import type { X509Certificate } from 'node:crypto';
import { peculiar } from './peculiar.js';

/** The names a person can recognise in a certificate: subject CN and O (the first of each). */
export type CertificateNames = { commonName?: string; organization?: string };

const clean = (v: string | undefined): string | undefined => {
  const s = v
    ?.replace(/[\u0000-\u001f\u007f]/g, ' ')
    .trim()
    .slice(0, 128);
  return s ? s : undefined;
};

/** Subject CN and O of a certificate, control characters removed, bounded, for a consent prompt. */
export function certificateNames(cert: X509Certificate, of: 'subject' | 'issuer' = 'subject'): CertificateNames {
  const parsed = new (peculiar().X509Certificate)(new Uint8Array(cert.raw));
  const name = of === 'subject' ? parsed.subjectName : parsed.issuerName;
  const commonName = clean(name.getField('CN')[0]);
  const organization = clean(name.getField('O')[0]);
  return { ...(commonName ? { commonName } : {}), ...(organization ? { organization } : {}) };
}

/** "CN (O)", "CN", "O" or undefined. */
export function displayName(names: CertificateNames): string | undefined {
  if (names.commonName && names.organization && names.organization !== names.commonName) return `${names.commonName} (${names.organization})`;
  return names.commonName ?? names.organization;
}
