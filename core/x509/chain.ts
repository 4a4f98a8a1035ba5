import { createHash, X509Certificate, type KeyObject } from 'node:crypto';
import { X509Error } from './errors.js';
import { certificateFacts } from './extensions.js';

/** Bounds on an `x5c` a peer sends: a few certificates of a few KiB each. */
export const MAX_X5C_CERTIFICATES = 6;
/** The largest certificate of an `x5c` chain netcred reads, in DER bytes (16 KiB). */
export const MAX_CERTIFICATE_BYTES = 16 * 1024;

/** What an `x5c` chain must satisfy: the trusted anchors, the time and the names the leaf must hold. */
export type X5cOptions = {
  /** Trusted roots (or intermediates the relying party pins): a chain must end at one of them. */
  anchors: readonly X509Certificate[];
  /** Seconds since the epoch (default: now). */
  now?: number;
  /** The leaf's subjectAltName must hold this DNS name (x509_san_dns, an issuer URL's host). */
  dnsName?: string;
  /** The leaf's subjectAltName must hold this URI (an issuer identifier URL). */
  uri?: string;
};

/** A verified `x5c` chain: its leaf, the leaf's public key, the chain and the anchor it ends at. */
export type VerifiedChain = { leaf: X509Certificate; publicKey: KeyObject; chain: X509Certificate[]; anchor: X509Certificate };

/** Parses the `x5c` header (RFC 7515 4.1.6: standard base64 of DER, leaf first). */
export function parseX5c(x5c: unknown): X509Certificate[] {
  if (!Array.isArray(x5c) || x5c.length === 0) throw new X509Error('X509_CHAIN_INVALID', 'x5c must be a non-empty array of base64 DER certificates');
  if (x5c.length > MAX_X5C_CERTIFICATES) throw new X509Error('X509_CHAIN_INVALID', `x5c holds more than ${MAX_X5C_CERTIFICATES} certificates`);
  return x5c.map((entry, i) => {
    if (typeof entry !== 'string' || !/^[A-Za-z0-9+/]+={0,2}$/.test(entry) || entry.length > (MAX_CERTIFICATE_BYTES * 4) / 3 + 4) {
      throw new X509Error('X509_CHAIN_INVALID', `x5c[${i}] is not standard base64 of at most ${MAX_CERTIFICATE_BYTES} bytes`);
    }
    try {
      return new X509Certificate(Buffer.from(entry, 'base64'));
    } catch (err) {
      throw new X509Error('X509_CHAIN_INVALID', `x5c[${i}] is not a DER certificate`, { cause: err });
    }
  });
}

function checkValidity(cert: X509Certificate, now: number, what: string): void {
  const from = Date.parse(cert.validFrom) / 1000;
  const to = Date.parse(cert.validTo) / 1000;
  if (!(now >= from && now <= to)) throw new X509Error('X509_CERT_EXPIRED', `${what} is valid from ${cert.validFrom} to ${cert.validTo}, not now`);
}

/** `issuer` may sign certificates: CA flag, keyCertSign if key usage is present, path length not exceeded. */
function checkIssuing(issuer: X509Certificate, below: number, what: string): void {
  const facts = certificateFacts(issuer);
  if (!facts.ca) throw new X509Error('X509_NOT_CA', `${what} signs a certificate but has no CA flag (basicConstraints)`);
  if (facts.keyUsage && !facts.keyUsage.keyCertSign) throw new X509Error('X509_NOT_CA', `${what} signs a certificate but its key usage lacks keyCertSign`);
  if (facts.pathLength !== undefined && below > facts.pathLength)
    throw new X509Error('X509_NOT_CA', `${what} allows ${facts.pathLength} intermediate(s) below it, the chain has ${below}`);
}

/** Names and signature only (checkIssued would also refuse a non-CA issuer, which deserves its own code). */
function signedBy(child: X509Certificate, issuer: X509Certificate): boolean {
  return child.issuer === issuer.subject && child.verify(issuer.publicKey);
}

/**
 * Validates an `x5c` chain (RFC 5280 path checks that matter for a signed JWT): every
 * certificate signed by the next, every issuing certificate a CA within its path length, every
 * one inside its validity period, the last one signed by (or equal to) a trust anchor, the leaf
 * no CA and usable for digitalSignature, and its subjectAltName naming what the caller expects.
 * Returns the leaf's public key, which then verifies the JWT.
 */
export function verifyX5c(x5c: unknown, options: X5cOptions): VerifiedChain {
  const chain = parseX5c(x5c);
  const now = options.now ?? Math.floor(Date.now() / 1000);
  const leaf = chain[0]!;
  chain.forEach((cert, i) => {
    checkValidity(cert, now, i === 0 ? 'the leaf certificate' : `x5c[${i}]`);
  });
  for (let i = 0; i + 1 < chain.length; i++) {
    if (!signedBy(chain[i]!, chain[i + 1]!))
      throw new X509Error('X509_CHAIN_INVALID', `x5c[${i}] is not signed by x5c[${i + 1}] (the chain must be leaf first, each certificate signed by the next)`);
    checkIssuing(chain[i + 1]!, i, `x5c[${i + 1}]`);
  }
  const last = chain[chain.length - 1]!;
  const anchor = options.anchors.find((a) => a.raw.equals(last.raw)) ?? options.anchors.find((a) => signedBy(last, a));
  if (!anchor) throw new X509Error('X509_UNTRUSTED', `the chain ends at "${last.issuer.replace(/\n/g, ', ')}", which is not a trusted root`);
  checkValidity(anchor, now, 'the trust anchor');
  if (!anchor.raw.equals(last.raw)) checkIssuing(anchor, chain.length - 1, 'the trust anchor');

  const facts = certificateFacts(leaf);
  if (facts.ca) throw new X509Error('X509_KEY_USAGE', 'the leaf certificate is a CA certificate; a JWT must be signed by an end-entity certificate');
  if (facts.keyUsage && !facts.keyUsage.digitalSignature) throw new X509Error('X509_KEY_USAGE', "the leaf certificate's key usage lacks digitalSignature");
  if (options.dnsName !== undefined && !facts.dnsNames.some((d) => d.toLowerCase() === options.dnsName!.toLowerCase())) {
    throw new X509Error(
      'X509_SAN_MISMATCH',
      `the leaf certificate's subjectAltName has no DNS name ${options.dnsName} (it has ${facts.dnsNames.join(', ') || 'none'})`,
    );
  }
  if (options.uri !== undefined && !facts.uris.includes(options.uri)) {
    throw new X509Error('X509_SAN_MISMATCH', `the leaf certificate's subjectAltName has no URI ${options.uri} (it has ${facts.uris.join(', ') || 'none'})`);
  }
  return { leaf, publicKey: leaf.publicKey, chain, anchor };
}

/** `x509_hash` client identifier value (OpenID4VP 1.0): base64url SHA-256 of the leaf's DER. */
export function x509Hash(cert: X509Certificate): string {
  return createHash('sha256').update(cert.raw).digest('base64url');
}

/** PEM text (one or several certificates) to certificates, for trust roots read from files. */
export function certificatesFromPem(pem: string): X509Certificate[] {
  const blocks = pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
  if (blocks.length === 0) throw new X509Error('X509_CHAIN_INVALID', 'no PEM certificate found (-----BEGIN CERTIFICATE-----)');
  return blocks.map((b, i) => {
    try {
      return new X509Certificate(b);
    } catch (err) {
      throw new X509Error('X509_CHAIN_INVALID', `PEM certificate ${i + 1} cannot be parsed`, { cause: err });
    }
  });
}

/** The `x5c` header value of a chain (leaf first, root left out by the caller). */
export function x5cOf(chain: readonly X509Certificate[]): string[] {
  return chain.map((c) => c.raw.toString('base64'));
}
