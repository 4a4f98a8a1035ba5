import type { X509Certificate } from 'node:crypto';
import { X509Error } from './errors.js';
import { certificateFacts } from './extensions.js';

/**
 * The leaf certificate of an issuer's `x5c` must name the issuer it signs for (`iss`): an HTTPS
 * issuer's host as a dNSName subjectAltName, or `iss` itself, exactly, as a
 * uniformResourceIdentifier subjectAltName (SD-JWT VC's X.509 mechanism, HAIP 1.0). Either
 * suffices; anything else is X509_SAN_MISMATCH, so a certificate for one name never vouches for
 * a credential that claims another.
 */
export function checkIssuerSan(leaf: X509Certificate, iss: string): void {
  const facts = certificateFacts(leaf);
  if (facts.uris.includes(iss)) return;
  let host: string | undefined;
  try {
    const url = new URL(iss);
    if (url.protocol === 'https:') host = url.hostname.toLowerCase();
  } catch {
    // not a URL: only an exact URI SAN can name it
  }
  if (host !== undefined && facts.dnsNames.some((d) => d.toLowerCase() === host)) return;
  const has = [...facts.dnsNames.map((d) => `DNS:${d}`), ...facts.uris.map((u) => `URI:${u}`)].join(', ') || 'none';
  throw new X509Error(
    'X509_SAN_MISMATCH',
    `the leaf certificate's subjectAltName does not name the issuer ${iss}${host ? ` (DNS:${host} or URI:${iss})` : ` (URI:${iss})`}; it has ${has}`,
  );
}
