import { NetcredError } from '../errors.js';

/** Why an X.509 chain (an `x5c` header, a trust root) was refused. */
export type X509ErrorCode =
  | 'X509_CHAIN_INVALID' // not DER, empty, too long, out of order, or a signature that does not verify
  | 'X509_CERT_EXPIRED' // a certificate of the chain (or its anchor) is outside its validity period
  | 'X509_UNTRUSTED' // the chain ends at no trusted root
  | 'X509_NOT_CA' // an issuing certificate without the CA flag, keyCertSign, or past its path length
  | 'X509_KEY_USAGE' // the leaf is a CA, or its key usage lacks digitalSignature
  | 'X509_SAN_MISMATCH' // the leaf's subjectAltName does not name the expected DNS name or URI
  | 'X509_KEY_MISMATCH'; // the leaf certificate is for another key than the one it must certify

/** A certificate or chain that cannot be used: `X509_CHAIN_INVALID`, `X509_CERT_EXPIRED`, ... (X509ErrorCode). */
export class X509Error extends NetcredError {
  declare readonly code: X509ErrorCode;
  constructor(code: X509ErrorCode, message: string, options: { cause?: unknown } = {}) {
    super(code, message, options);
  }
}
