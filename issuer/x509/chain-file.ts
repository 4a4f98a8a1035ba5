import { existsSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { X509Certificate } from 'node:crypto';
import { NetcredError } from '../../core/errors.js';
import { publicJwkOf, sameJwk, type PublicJwk } from '../../core/jose/jwk.js';
import { certificatesFromPem, checkIssuerSan, MAX_X5C_CERTIFICATES, verifyX5c, X509Error, x5cOf } from '../../core/x509/index.js';
import { issuerPaths } from '../config.js';

/**
 * The issuer's certificate chain, `<data>/issuer/x509-chain.pem`: the leaf certificate of the
 * signing key first, then its intermediates, then (optionally) the root. Public material (mode
 * 0644); no private key of any CA is ever kept here.
 */
export const CHAIN_FILE = 'x509-chain.pem';
const MAX_CHAIN_FILE_BYTES = 256 * 1024;

export function chainFileOf(dataDir: string): string {
  return path.join(issuerPaths(dataDir).dir, CHAIN_FILE);
}

/** Self-signed: its own issuer, its signature verifying with its own key (a root). */
export function isSelfSigned(cert: X509Certificate): boolean {
  try {
    return cert.issuer === cert.subject && cert.verify(cert.publicKey);
  } catch {
    return false;
  }
}

/** The issuer's certificate chain: the certificates (leaf first), their `x5c` values and the root when kept. */
export type IssuerChain = {
  /** Leaf first, as stored (the root included when the operator's chain has it). */
  certificates: X509Certificate[];
  /** The `x5c` header: leaf first, without a self-signed root (a verifier has its own copy). */
  x5c: string[];
  /** The self-signed root at the end of the chain, when it is there. */
  root?: X509Certificate;
};

export function chainOf(certificates: X509Certificate[]): IssuerChain {
  const last = certificates[certificates.length - 1]!;
  const root = certificates.length > 1 && isSelfSigned(last) ? last : undefined;
  const x5c = x5cOf(root ? certificates.slice(0, -1) : certificates);
  return root ? { certificates, x5c, root } : { certificates, x5c };
}

/** The PEM text of a certificate. */
export function pemOf(cert: X509Certificate): string {
  return cert.toString().trim();
}

/** The chain a data dir holds, or undefined; a chain that is not for `jwk` is ISSUER_CORRUPT. */
export function readIssuerChain(dataDir: string, jwk: PublicJwk): IssuerChain | undefined {
  const file = chainFileOf(dataDir);
  if (!existsSync(file)) return undefined;
  let certificates: X509Certificate[];
  try {
    if (statSync(file).size > MAX_CHAIN_FILE_BYTES) throw new Error(`larger than ${MAX_CHAIN_FILE_BYTES} bytes`);
    certificates = certificatesFromPem(readFileSync(file, 'utf8'));
  } catch (cause) {
    throw new NetcredError('ISSUER_CORRUPT', `the issuer certificate chain ${file} cannot be read: ${(cause as Error).message}`, { cause });
  }
  if (!sameJwk(publicJwkOf(certificates[0]!.publicKey), jwk)) {
    throw new NetcredError('ISSUER_CORRUPT', `the leaf certificate in ${file} is not for the issuer's signing key`);
  }
  return chainOf(certificates);
}

/** Writes the chain atomically (temp file + rename), leaf first, PEM. */
export function writeIssuerChain(dataDir: string, certificates: readonly X509Certificate[]): void {
  const file = chainFileOf(dataDir);
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, `${certificates.map(pemOf).join('\n')}\n`, { mode: 0o644 });
  renameSync(tmp, file);
}

/**
 * What must hold before a chain is used to sign: the leaf is a certificate for the issuer's
 * signing key (X509_KEY_MISMATCH), each certificate is signed by the next, the issuing ones
 * are CAs, every one is valid now, the leaf may sign (digitalSignature, no CA) and names the
 * issuer identifier (X509_SAN_MISMATCH). Trust in the top certificate is the verifiers' call.
 */
export function checkIssuerChain(certificates: X509Certificate[], options: { jwk: PublicJwk; issuerId: string; now?: number }): IssuerChain {
  if (certificates.length === 0) throw new X509Error('X509_CHAIN_INVALID', 'the chain holds no certificate');
  if (certificates.length > MAX_X5C_CERTIFICATES + 1)
    throw new X509Error('X509_CHAIN_INVALID', `the chain holds more than ${MAX_X5C_CERTIFICATES + 1} certificates`);
  const leaf = certificates[0]!;
  let leafJwk: PublicJwk;
  try {
    leafJwk = publicJwkOf(leaf.publicKey);
  } catch (cause) {
    throw new X509Error('X509_KEY_MISMATCH', `the leaf certificate's key is not an Ed25519 or P-256 key`, { cause });
  }
  if (!sameJwk(leafJwk, options.jwk)) {
    throw new X509Error(
      'X509_KEY_MISMATCH',
      `the first certificate (${leaf.subject.replace(/\n/g, ', ')}) is not for the issuer's signing key: put the issuer's leaf certificate first`,
    );
  }
  const chain = chainOf(certificates);
  // The top certificate stands in for the anchor: every link below it is checked.
  const top = chain.root ?? certificates[certificates.length - 1]!;
  verifyX5c(chain.x5c, { anchors: [top], now: options.now });
  checkIssuerSan(leaf, options.issuerId);
  return chain;
}
