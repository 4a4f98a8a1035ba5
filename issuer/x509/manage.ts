import { existsSync } from 'node:fs';
import { InvalidInputError } from '../../core/errors.js';
import { certificateFacts, certificatesFromPem } from '../../core/x509/index.js';
import type { IssuerContext } from '../context.js';
import { chainFileOf, checkIssuerChain, readIssuerChain, writeIssuerChain, type IssuerChain } from './chain-file.js';
import { createDevChain } from './dev-ca.js';

/** Bounds an imported PEM file (a chain is a few KiB). */
export const MAX_CHAIN_PEM_BYTES = 256 * 1024;

function assertUrlIssuer(ctx: IssuerContext): void {
  if (ctx.config.issuerIdKind !== 'url') {
    throw new InvalidInputError(
      `this issuer's identifier is its DID (${ctx.issuerDid}), which no certificate can name: X.509 needs an issuer initialized with --issuer-id url (or --x509)`,
      [{ path: 'issuerId', message: 'must be url' }],
    );
  }
}

function assertReplaceable(ctx: IssuerContext, replace: boolean | undefined): void {
  const file = chainFileOf(ctx.config.dataDir);
  if (existsSync(file) && !replace)
    throw new InvalidInputError(`the issuer already has a certificate chain (${file}); --replace makes verifiers trust anew what they trusted`, [
      { path: 'replace', message: 'a chain exists' },
    ]);
}

/**
 * A development CA and a leaf certificate for the issuer key (issuer/x509/dev-ca.ts), stored as
 * the issuer's chain. The CA's private key is not kept. A running issuer uses a new chain when
 * restarted.
 */
export async function createIssuerCertificate(ctx: IssuerContext, options: { replace?: boolean; leafDays?: number } = {}): Promise<IssuerChain> {
  assertUrlIssuer(ctx);
  assertReplaceable(ctx, options.replace);
  const chain = checkIssuerChain(await createDevChain({ jwk: ctx.issuerJwk, issuerUrl: ctx.issuerId, leafDays: options.leafDays }), {
    jwk: ctx.issuerJwk,
    issuerId: ctx.issuerId,
  });
  writeIssuerChain(ctx.config.dataDir, chain.certificates);
  return chain;
}

/**
 * Imports a PEM chain from a real CA (leaf first, then intermediates, the root optional): refused
 * unless the leaf certifies the issuer's signing key (X509_KEY_MISMATCH), the chain holds
 * together and is valid now, and the leaf names the issuer URL (X509_*). Nothing is written
 * when refused.
 */
export function importIssuerCertificate(ctx: IssuerContext, pem: string, options: { replace?: boolean } = {}): IssuerChain {
  assertUrlIssuer(ctx);
  assertReplaceable(ctx, options.replace);
  if (Buffer.byteLength(pem) > MAX_CHAIN_PEM_BYTES) throw new InvalidInputError(`the chain file exceeds ${MAX_CHAIN_PEM_BYTES} bytes`);
  const chain = checkIssuerChain(certificatesFromPem(pem), { jwk: ctx.issuerJwk, issuerId: ctx.issuerId });
  writeIssuerChain(ctx.config.dataDir, chain.certificates);
  return chain;
}

/** The chain in the data dir now (what the next start signs with), or undefined. */
export function issuerCertificateChain(ctx: IssuerContext): IssuerChain | undefined {
  return readIssuerChain(ctx.config.dataDir, ctx.issuerJwk);
}

/** What `netcred issuer cert` shows of the issuer's chain: subject, issuer, validity, names, length and root. */
export type CertificateSummary = {
  subject: string;
  issuer: string;
  notBefore: string;
  notAfter: string;
  dnsNames: string[];
  uris: string[];
  certificates: number;
  root?: { subject: string; sha256: string };
};

/** What `issuer show` and `issuer cert` print about a chain. */
export function certificateSummary(chain: IssuerChain): CertificateSummary {
  const leaf = chain.certificates[0]!;
  const facts = certificateFacts(leaf);
  const line = (dn: string) => dn.replace(/\n/g, ', ');
  return {
    subject: line(leaf.subject),
    issuer: line(leaf.issuer),
    notBefore: new Date(leaf.validFrom).toISOString(),
    notAfter: new Date(leaf.validTo).toISOString(),
    dnsNames: facts.dnsNames,
    uris: facts.uris,
    certificates: chain.certificates.length,
    ...(chain.root ? { root: { subject: line(chain.root.subject), sha256: chain.root.fingerprint256 } } : {}),
  };
}
