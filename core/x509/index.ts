export {
  certificatesFromPem,
  MAX_CERTIFICATE_BYTES,
  MAX_X5C_CERTIFICATES,
  parseX5c,
  verifyX5c,
  x509Hash,
  x5cOf,
  type VerifiedChain,
  type X5cOptions,
} from './chain.js';
export { createCertificate, createCertificateAuthority, type CaOptions, type CertificateAuthority, type CertificateOptions } from './create.js';
export { X509Error, type X509ErrorCode } from './errors.js';
export { certificateFacts, type CertificateFacts } from './extensions.js';
export { checkIssuerSan } from './issuer-san.js';
