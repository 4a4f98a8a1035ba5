import type { JsonGeneralName } from '@peculiar/x509';
import { generateKeyPairSync, webcrypto, X509Certificate, type KeyObject } from 'node:crypto';
import { peculiar } from './peculiar.js';

type CryptoKey = webcrypto.CryptoKey;
type Algorithm = webcrypto.Algorithm;
type EcdsaParams = webcrypto.EcdsaParams;
type EcKeyImportParams = webcrypto.EcKeyImportParams;

/** WebCrypto parameters of the keys netcred signs certificates and JWTs with. */
function algorithmOf(key: KeyObject): { import: EcKeyImportParams | Algorithm; sign: EcdsaParams | Algorithm } {
  if (key.asymmetricKeyType === 'ec' && key.asymmetricKeyDetails?.namedCurve === 'prime256v1') {
    return { import: { name: 'ECDSA', namedCurve: 'P-256' }, sign: { name: 'ECDSA', hash: 'SHA-256' } as EcdsaParams };
  }
  if (key.asymmetricKeyType === 'ed25519') return { import: { name: 'Ed25519' }, sign: { name: 'Ed25519' } };
  throw new TypeError(`certificates are made for P-256 and Ed25519 keys, not ${key.asymmetricKeyType}`);
}

async function cryptoKeys(privateKey: KeyObject, publicKey: KeyObject): Promise<{ signing: CryptoKey; public: CryptoKey; sign: Algorithm }> {
  const alg = algorithmOf(privateKey);
  const pub = algorithmOf(publicKey);
  const signing = await webcrypto.subtle.importKey('pkcs8', privateKey.export({ format: 'der', type: 'pkcs8' }), alg.import, false, ['sign']);
  const pubKey = await webcrypto.subtle.importKey('spki', publicKey.export({ format: 'der', type: 'spki' }), pub.import, true, ['verify']);
  return { signing: signing as CryptoKey, public: pubKey as CryptoKey, sign: alg.sign };
}

/** A CA certificate with its private key, to sign certificates. */
export type CertificateAuthority = { certificate: X509Certificate; privateKey: KeyObject };

/** A development CA to create: its name, validity in days, path length and start. */
export type CaOptions = { name: string; days?: number; pathLength?: number; notBefore?: Date };

const DAY = 86_400_000;

/**
 * A development CA (self-signed, P-256): what `netcred issuer init --x509` and the tests use
 * where a real deployment imports a chain from its CA.
 */
export async function createCertificateAuthority(options: CaOptions): Promise<CertificateAuthority> {
  const { BasicConstraintsExtension, KeyUsageFlags, KeyUsagesExtension, SubjectKeyIdentifierExtension, X509CertificateGenerator } = peculiar();
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const keys = await cryptoKeys(privateKey, publicKey);
  const notBefore = options.notBefore ?? new Date(Date.now() - 60_000);
  const cert = await X509CertificateGenerator.createSelfSigned({
    name: `CN=${escapeDn(options.name)}`,
    notBefore,
    notAfter: new Date(notBefore.getTime() + (options.days ?? 3650) * DAY),
    keys: { privateKey: keys.signing, publicKey: keys.public },
    signingAlgorithm: keys.sign,
    extensions: [
      new BasicConstraintsExtension(true, options.pathLength, true),
      new KeyUsagesExtension(KeyUsageFlags.keyCertSign | KeyUsageFlags.cRLSign, true),
      await SubjectKeyIdentifierExtension.create(keys.public),
    ],
  });
  return { certificate: new X509Certificate(Buffer.from(cert.rawData)), privateKey };
}

/** A certificate to create: the CA that signs it, the key it is for, its subject and names, its validity. */
export type CertificateOptions = {
  /** The CA (or intermediate) that signs the new certificate. */
  issuer: CertificateAuthority;
  /** The key the certificate is for. */
  publicKey: KeyObject;
  subject: string;
  dnsNames?: string[];
  uris?: string[];
  days?: number;
  notBefore?: Date;
  /** An intermediate CA (default: an end-entity certificate for digital signatures). */
  ca?: { pathLength?: number };
};

/** A certificate signed by `issuer`: an end-entity leaf (digitalSignature) or an intermediate CA. */
export async function createCertificate(options: CertificateOptions): Promise<X509Certificate> {
  const {
    AuthorityKeyIdentifierExtension,
    BasicConstraintsExtension,
    KeyUsageFlags,
    KeyUsagesExtension,
    SubjectAlternativeNameExtension,
    SubjectKeyIdentifierExtension,
    X509CertificateGenerator,
  } = peculiar();
  const issuerKeys = await cryptoKeys(options.issuer.privateKey, options.issuer.certificate.publicKey);
  const subjectKey = await webcrypto.subtle.importKey(
    'spki',
    options.publicKey.export({ format: 'der', type: 'spki' }),
    algorithmOf(options.publicKey).import,
    true,
    ['verify'],
  );
  const names: JsonGeneralName[] = [
    ...(options.dnsNames ?? []).map((value) => ({ type: 'dns' as const, value })),
    ...(options.uris ?? []).map((value) => ({ type: 'url' as const, value })),
  ];
  const notBefore = options.notBefore ?? new Date(Date.now() - 60_000);
  const cert = await X509CertificateGenerator.create({
    subject: `CN=${escapeDn(options.subject)}`,
    issuer: options.issuer.certificate.subject.replace(/\n/g, ', '),
    notBefore,
    notAfter: new Date(notBefore.getTime() + (options.days ?? 365) * DAY),
    publicKey: subjectKey as CryptoKey,
    signingKey: issuerKeys.signing,
    signingAlgorithm: issuerKeys.sign,
    extensions: [
      new BasicConstraintsExtension(options.ca !== undefined, options.ca?.pathLength, true),
      new KeyUsagesExtension(options.ca ? KeyUsageFlags.keyCertSign | KeyUsageFlags.cRLSign : KeyUsageFlags.digitalSignature, true),
      ...(names.length ? [new SubjectAlternativeNameExtension(names, false)] : []),
      await SubjectKeyIdentifierExtension.create(subjectKey as CryptoKey),
      await AuthorityKeyIdentifierExtension.create(issuerKeys.public),
    ],
  });
  return new X509Certificate(Buffer.from(cert.rawData));
}

/** A DN attribute value with RFC 4514 special characters escaped. */
function escapeDn(value: string): string {
  return value
    .replace(/([,+"\\<>;=])/g, '\\$1')
    .replace(/^([ #])/, '\\$1')
    .replace(/ $/, '\\ ');
}
