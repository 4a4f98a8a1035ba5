import type { X509Certificate } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { certificatesFromPem } from '../../core/x509/chain.js';
import { X509Error } from '../../core/x509/errors.js';
import { certificateFacts } from '../../core/x509/extensions.js';
import { certificateNames, displayName } from '../../core/x509/names.js';
import { WalletError } from '../errors.js';
import { walletFile } from '../wallet.js';

/**
 * The roots this wallet trusts to vouch for verifiers (x509_san_dns / x509_hash requests), as
 * PEM in `<dataDir>/wallet/verifier-roots.pem` (mode 0600). Public certificates, so readable
 * without the PIN; whoever can write the wallet folder can change them, as they could the
 * wallet database itself.
 */
export function verifierRootsFile(dataDir: string): string {
  return path.join(path.dirname(walletFile(dataDir)), 'verifier-roots.pem');
}

/** A trusted verifier root as describeRoot shows it. */
export type VerifierRootInfo = { name?: string; subject: string; fingerprint: string; validTo: string };

/** What `netcred wallet trust list` shows of a trusted verifier root: name, subject, SHA-256 fingerprint, expiry. */
export function describeRoot(cert: X509Certificate): VerifierRootInfo {
  const name = displayName(certificateNames(cert));
  return { ...(name ? { name } : {}), subject: cert.subject.replace(/\n/g, ', '), fingerprint: cert.fingerprint256, validTo: cert.validTo };
}

/** The trusted verifier roots; none when the file does not exist. */
export function readVerifierRoots(dataDir: string): X509Certificate[] {
  const file = verifierRootsFile(dataDir);
  if (!existsSync(file)) return [];
  let pem: string;
  try {
    pem = readFileSync(file, 'utf8');
  } catch (cause) {
    throw new WalletError('WALLET_IO', `cannot read ${file}`, { cause });
  }
  if (pem.trim() === '') return [];
  try {
    return certificatesFromPem(pem);
  } catch (cause) {
    throw new WalletError('WALLET_CORRUPT', `${file} holds a certificate that cannot be read; remove it or fix it`, { cause });
  }
}

/**
 * Checks that each certificate can anchor a verifier chain: a CA certificate (basicConstraints,
 * keyCertSign when key usage is present) valid now. A leaf is refused: trusting one verifier
 * goes through its CA.
 */
export function assertUsableRoot(cert: X509Certificate, nowSeconds = Math.floor(Date.now() / 1000)): void {
  const facts = certificateFacts(cert);
  const who = cert.subject.replace(/\n/g, ', ');
  if (!facts.ca || (facts.keyUsage && !facts.keyUsage.keyCertSign))
    throw new X509Error('X509_NOT_CA', `${who} is not a CA certificate: a trusted root must be able to sign certificates`);
  if (!(nowSeconds >= Date.parse(cert.validFrom) / 1000 && nowSeconds <= Date.parse(cert.validTo) / 1000)) {
    throw new X509Error('X509_CERT_EXPIRED', `${who} is valid from ${cert.validFrom} to ${cert.validTo}, not now`);
  }
}

function write(dataDir: string, certs: readonly X509Certificate[]): void {
  const file = verifierRootsFile(dataDir);
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    writeFileSync(tmp, certs.map((c) => c.toString()).join(''), { mode: 0o600 });
    chmodSync(tmp, 0o600);
    renameSync(tmp, file);
  } catch (cause) {
    throw new WalletError('WALLET_IO', `cannot write ${file}`, { cause });
  }
}

function requireWallet(dataDir: string): void {
  if (!existsSync(walletFile(dataDir))) throw new WalletError('WALLET_NOT_INITIALIZED', `no wallet in ${path.resolve(dataDir)}: run netcred wallet init`);
}

/** Adds the CA certificates of a PEM text (one or several) to the trusted verifier roots; already trusted ones are left as they are. */
export function addVerifierRoots(dataDir: string, pem: string, nowSeconds?: number): { added: VerifierRootInfo[]; alreadyTrusted: VerifierRootInfo[] } {
  requireWallet(dataDir);
  const incoming = certificatesFromPem(pem);
  for (const c of incoming) assertUsableRoot(c, nowSeconds);
  const current = readVerifierRoots(dataDir);
  const known = new Set(current.map((c) => c.fingerprint256));
  const added: X509Certificate[] = [];
  const alreadyTrusted: X509Certificate[] = [];
  for (const c of incoming) {
    if (known.has(c.fingerprint256)) alreadyTrusted.push(c);
    else {
      known.add(c.fingerprint256);
      added.push(c);
    }
  }
  if (added.length) write(dataDir, [...current, ...added]);
  return { added: added.map(describeRoot), alreadyTrusted: alreadyTrusted.map(describeRoot) };
}

/** Removes a trusted root by its SHA-256 fingerprint (as `wallet trust list` shows it, colons optional). */
export function removeVerifierRoot(dataDir: string, fingerprint: string): VerifierRootInfo | undefined {
  requireWallet(dataDir);
  const norm = (f: string) => f.replace(/:/g, '').toUpperCase();
  const current = readVerifierRoots(dataDir);
  const gone = current.find((c) => norm(c.fingerprint256) === norm(fingerprint));
  if (!gone) return undefined;
  write(
    dataDir,
    current.filter((c) => c !== gone),
  );
  return describeRoot(gone);
}
