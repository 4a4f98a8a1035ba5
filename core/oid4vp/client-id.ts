import { Oid4vpRuleError } from './errors.js';

/** The Client Identifier Prefixes OpenID4VP 1.0 defines (section 5.9.3); anything else is a pre-registered client id. */
export const CLIENT_ID_PREFIXES = [
  'redirect_uri',
  'decentralized_identifier',
  'x509_san_dns',
  'x509_hash',
  'verifier_attestation',
  'openid_federation',
  'origin',
] as const;

/** The OpenID4VP client_id prefixes of a verifier identified by an X.509 certificate. */
export type X509ClientIdPrefix = 'x509_san_dns' | 'x509_hash';

const PREFIXED = new RegExp(`^(${CLIENT_ID_PREFIXES.join('|')}):(.+)$`, 's');

/** The prefix and value of a client_id; a client_id with no known prefix is pre-registered (section 5.9.2). */
export function splitClientId(clientId: string): { prefix: string; value: string } {
  const m = PREFIXED.exec(clientId);
  return m ? { prefix: m[1]!, value: m[2]! } : { prefix: 'pre-registered', value: clientId };
}

/** Whether an OpenID4VP client_id prefix is one of the X.509 ones (`x509_san_dns`, `x509_hash`). */
export function isX509Prefix(prefix: unknown): prefix is X509ClientIdPrefix {
  return prefix === 'x509_san_dns' || prefix === 'x509_hash';
}

const LABEL = /^(?!-)[A-Za-z0-9-]{1,63}(?<!-)$/;

/** An RFC 1123 host name (what a dNSName SAN holds): LDH labels, at most 253 characters, not an IPv4 address. */
export function isDnsName(value: string): boolean {
  if (value.length === 0 || value.length > 253 || /^[0-9.]+$/.test(value)) return false;
  return value.split('.').every((label) => LABEL.test(label));
}

/** `x509_san_dns:<dns>`, after checking the name. */
export function x509SanDnsClientId(dnsName: string): string {
  if (!isDnsName(dnsName)) throw new Oid4vpRuleError('CLIENT_ID_MISMATCH', `x509_san_dns needs a DNS name, not ${JSON.stringify(dnsName)}`);
  return `x509_san_dns:${dnsName.toLowerCase()}`;
}

/**
 * With x509_san_dns and a Wallet that keeps no list of trusted client ids, the host of the
 * response_uri must be the DNS name itself (OpenID4VP 1.0 section 5.9.3): a certificate for
 * kiosk.example does not let its holder collect answers anywhere else.
 */
export function assertResponseUriOnHost(dnsName: string, responseUri: string): void {
  let host: string;
  try {
    host = new URL(responseUri).hostname;
  } catch (cause) {
    throw new Oid4vpRuleError('OID4VP_REQUEST_INVALID', 'response_uri is not a URL', { cause });
  }
  if (host.toLowerCase() !== dnsName.toLowerCase()) {
    throw new Oid4vpRuleError(
      'RESPONSE_URI_MISMATCH',
      `the response_uri host ${host} is not ${dnsName}, the DNS name the client_id x509_san_dns:${dnsName} is certified for`,
    );
  }
}
