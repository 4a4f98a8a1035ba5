import type { X509Certificate } from 'node:crypto';
import { peculiar } from './peculiar.js';

/** What the chain checks need beyond node:crypto's X509Certificate (which does not expose them). */
export type CertificateFacts = {
  /** basicConstraints: absent means "not a CA". */
  ca: boolean;
  pathLength?: number;
  /** keyUsage bits, or undefined when the extension is absent (any usage). */
  keyUsage?: { digitalSignature: boolean; keyCertSign: boolean };
  dnsNames: string[];
  uris: string[];
};

/** Reads basicConstraints, keyUsage and subjectAltName with @peculiar/x509 (never our own ASN.1). */
export function certificateFacts(cert: X509Certificate): CertificateFacts {
  const { BasicConstraintsExtension, KeyUsageFlags, KeyUsagesExtension, SubjectAlternativeNameExtension, X509Certificate: ParsedCertificate } = peculiar();
  const parsed = new ParsedCertificate(new Uint8Array(cert.raw));
  const basic = parsed.getExtension(BasicConstraintsExtension);
  const usage = parsed.getExtension(KeyUsagesExtension);
  const san = parsed.getExtension(SubjectAlternativeNameExtension);
  const names = san?.names.items ?? [];
  return {
    ca: basic?.ca ?? false,
    ...(basic?.pathLength !== undefined ? { pathLength: basic.pathLength } : {}),
    ...(usage
      ? { keyUsage: { digitalSignature: (usage.usages & KeyUsageFlags.digitalSignature) !== 0, keyCertSign: (usage.usages & KeyUsageFlags.keyCertSign) !== 0 } }
      : {}),
    dnsNames: names.filter((n) => n.type === 'dns').map((n) => n.value),
    uris: names.filter((n) => n.type === 'url').map((n) => n.value),
  };
}
