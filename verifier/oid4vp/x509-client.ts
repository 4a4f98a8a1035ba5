import { createPrivateKey, type KeyObject, type X509Certificate } from 'node:crypto';
import { NetcredError } from '../../core/errors.js';
import { algForKey } from '../../core/jose/alg.js';
import { keyObjectSigner, type JwsSigner } from '../../core/jose/signer.js';
import { isDnsName, splitClientId, x509SanDnsClientId, type X509ClientIdPrefix } from '../../core/oid4vp/client-id.js';
import { certificatesFromPem, x509Hash } from '../../core/x509/chain.js';
import { certificateFacts } from '../../core/x509/extensions.js';
import { certificateNames, displayName } from '../../core/x509/names.js';

/**
 * The verifier's X.509 identity for `x509_san_dns` / `x509_hash` client ids (OpenID4VP 1.0
 * section 5.9.3, HAIP 1.0): a leaf certificate for its DNS name under a CA the wallets trust, and
 * the leaf's private key, which signs every request object (`x5c` header, leaf first).
 */
export type VerifierX509 = {
  /** Leaf first, each certificate signed by the next; the self-signed root left out. */
  chain: X509Certificate[];
  /** The leaf's private key (no `kid`: the key is named by x5c). */
  signer: JwsSigner;
  /** The DNS name of `x509_san_dns:<dns>` (a dNSName SAN of the leaf), lower case. */
  dnsName?: string;
  /** The value of `x509_hash:<hash>`: base64url SHA-256 of the leaf DER. */
  hash: string;
  /** Subject CN / O of the leaf, as wallets show it. */
  name?: string;
};

function invalid(message: string, cause?: unknown): NetcredError {
  return new NetcredError('VERIFIER_X509_INVALID', message, cause === undefined ? {} : { cause });
}

const selfSigned = (c: X509Certificate): boolean => c.subject === c.issuer && c.verify(c.publicKey);

export type VerifierX509Options = {
  chain: readonly X509Certificate[];
  privateKey: KeyObject;
  /** For x509_san_dns: must be a dNSName SAN of the leaf. */
  dnsName?: string;
  /** Seconds since the epoch (default: now). */
  now?: number;
};

/**
 * Checks the verifier's own chain and key before it signs anything with them: the key is the
 * leaf's, the leaf is an end-entity certificate for digital signatures, valid now, naming the DNS
 * name, and the chain is in order. A mistake here is VERIFIER_X509_INVALID, at start-up.
 */
export function verifierX509(options: VerifierX509Options): VerifierX509 {
  const chain = [...options.chain];
  if (chain.length === 0) throw invalid('no certificate: the chain must hold the leaf (first) and its intermediates');
  while (chain.length > 1 && selfSigned(chain[chain.length - 1]!)) chain.pop();
  const leaf = chain[0]!;
  if (!leaf.checkPrivateKey(options.privateKey)) throw invalid('the private key is not the key of the first certificate (the leaf must come first)');
  try {
    algForKey(options.privateKey);
  } catch (cause) {
    throw invalid('the leaf key must be P-256 (ES256) or Ed25519 (EdDSA)', cause);
  }
  const facts = certificateFacts(leaf);
  if (facts.ca) throw invalid('the first certificate is a CA certificate; requests are signed by an end-entity (leaf) certificate');
  if (facts.keyUsage && !facts.keyUsage.digitalSignature) throw invalid("the leaf certificate's key usage lacks digitalSignature");
  for (let i = 0; i + 1 < chain.length; i++) {
    if (chain[i]!.issuer !== chain[i + 1]!.subject || !chain[i]!.verify(chain[i + 1]!.publicKey))
      throw invalid(`certificate ${i + 1} is not signed by certificate ${i + 2}: give the chain leaf first`);
  }
  const now = options.now ?? Math.floor(Date.now() / 1000);
  for (const [i, c] of chain.entries()) {
    if (!(now >= Date.parse(c.validFrom) / 1000 && now <= Date.parse(c.validTo) / 1000))
      throw invalid(`certificate ${i + 1} is valid from ${c.validFrom} to ${c.validTo}, not now`);
  }
  let dnsName: string | undefined;
  if (options.dnsName !== undefined) {
    dnsName = options.dnsName.toLowerCase();
    if (!isDnsName(dnsName)) throw invalid(`${options.dnsName} is not a DNS name`);
    if (!facts.dnsNames.some((d) => d.toLowerCase() === dnsName))
      throw invalid(`the leaf certificate has no DNS name ${dnsName} in its subjectAltName (it has ${facts.dnsNames.join(', ') || 'none'})`);
  }
  const name = displayName(certificateNames(leaf));
  return { chain, signer: keyObjectSigner(options.privateKey), ...(dnsName ? { dnsName } : {}), hash: x509Hash(leaf), ...(name ? { name } : {}) };
}

/** The client_id of this identity under a prefix: `x509_san_dns:<dns>` or `x509_hash:<hash>`. */
export function x509ClientId(x509: VerifierX509, prefix: X509ClientIdPrefix): string {
  if (prefix === 'x509_hash') return `x509_hash:${x509.hash}`;
  if (!x509.dnsName) throw invalid("x509_san_dns needs the verifier's DNS name (--client-id x509_san_dns:<host>)");
  return x509SanDnsClientId(x509.dnsName);
}

/**
 * The identity from PEM text (a chain, leaf first; a PKCS#8 or SEC1 private key) and a client
 * id: `x509_san_dns:<host>`, `x509_hash:<hash>` (checked against the leaf) or just `x509_hash`.
 */
export function loadVerifierX509(input: { certPem: string; keyPem: string; clientId: string; now?: number }): {
  x509: VerifierX509;
  prefix: X509ClientIdPrefix;
  clientId: string;
} {
  let chain: X509Certificate[];
  try {
    chain = certificatesFromPem(input.certPem);
  } catch (cause) {
    throw invalid('the certificate file holds no readable PEM certificate', cause);
  }
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey(input.keyPem);
  } catch (cause) {
    throw invalid('the key file holds no readable PEM private key', cause);
  }
  const { prefix, value } = input.clientId === 'x509_hash' ? { prefix: 'x509_hash', value: '' } : splitClientId(input.clientId);
  if (prefix === 'x509_san_dns') {
    const x509 = verifierX509({ chain, privateKey, dnsName: value, ...(input.now !== undefined ? { now: input.now } : {}) });
    return { x509, prefix, clientId: x509ClientId(x509, prefix) };
  }
  if (prefix === 'x509_hash') {
    const x509 = verifierX509({ chain, privateKey, ...(input.now !== undefined ? { now: input.now } : {}) });
    if (value && value !== x509.hash) throw invalid(`client id x509_hash:${value} is not the hash of the leaf certificate (x509_hash:${x509.hash})`);
    return { x509, prefix, clientId: x509ClientId(x509, prefix) };
  }
  throw invalid(`the client id must be x509_san_dns:<host> or x509_hash[:<hash>], not ${input.clientId}`);
}
