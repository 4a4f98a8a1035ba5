import type { X509Certificate } from 'node:crypto';
import { VerificationError } from '../verification-errors.js';
import { checkIssuerSan } from '../x509/issuer-san.js';
import { verifyX5c, type VerifiedChain } from '../x509/chain.js';
import { isUrlIssuer } from './jwt-vc-issuer.js';

/**
 * How the key that signed an issuer JWT (a credential, a status list) is found, in this order:
 *
 * 1. `x5c` in the header: the X.509 chain, validated against the relying party's trusted roots,
 *    its leaf naming `iss` (checkIssuerSan); the leaf's key verifies.
 * 2. `iss` an https URL: the issuer's JWT VC Issuer Metadata keys, by header `kid`.
 * 3. `iss` a DID: the DID's keys (did:key, did:jwk, did:web), by header `kid`.
 *
 * A header that carries `x5c` is never verified another way: the chain is the issuer's claim
 * about its key, and it either holds or the credential is refused.
 */
export type IssuerKeyMechanism = 'x5c' | 'jwt-vc-issuer-metadata' | 'did';

/**
 * How a credential names its issuer key: `x5c` in the header, a DID `iss`, or an https `iss` (metadata).
 *
 * @throws VerificationError `ISSUER_UNTRUSTED` when there is no `iss` or it is none of these.
 */
export function issuerKeyMechanism(header: Record<string, unknown>, iss: unknown): IssuerKeyMechanism {
  if (typeof iss !== 'string' || iss === '') throw new VerificationError('ISSUER_UNTRUSTED', 'the credential has no iss');
  if (header.x5c !== undefined) return 'x5c';
  if (iss.startsWith('did:')) return 'did';
  if (isUrlIssuer(iss)) return 'jwt-vc-issuer-metadata';
  throw new VerificationError('ISSUER_UNTRUSTED', `iss ${iss} is neither a DID nor an https issuer identifier, and the header has no x5c`);
}

/**
 * Mechanism 1: the leaf key of a valid `x5c` chain that ends at one of `anchors` and names `iss`.
 * Throws X509_* (chain, expiry, trust, CA flags, key usage, SAN).
 */
export function issuerKeyFromX5c(x5c: unknown, iss: string, options: { anchors: readonly X509Certificate[]; now: number }): VerifiedChain {
  const chain = verifyX5c(x5c, { anchors: options.anchors, now: options.now });
  checkIssuerSan(chain.leaf, iss);
  return chain;
}

/**
 * Mechanisms 2 and 3: the key named by `kid` among an issuer's keys; with no `kid`, the issuer's
 * only key. A DID issuer's relative kid (`#frag`) is resolved against the DID. KID_MISMATCH when
 * none fits.
 */
export function issuerKeyByKid<K extends { kid?: string }>(keys: readonly K[], kid: unknown, iss: string): K {
  if (kid === undefined) {
    if (keys.length === 1) return keys[0]!;
    throw new VerificationError('KID_MISMATCH', keys.length === 0 ? `${iss} has no key to verify with` : `${iss} has several keys and the JWT names none`);
  }
  if (typeof kid !== 'string') throw new VerificationError('KID_MISMATCH', 'kid must be a string');
  if (iss.startsWith('did:') && !kid.startsWith('#') && kid.split('#')[0] !== iss)
    throw new VerificationError('KID_MISMATCH', `kid ${kid} does not belong to ${iss}`);
  const absolute = kid.startsWith('#') ? `${iss}${kid}` : kid;
  const key = keys.find((k) => k.kid === absolute || k.kid === kid);
  if (!key) throw new VerificationError('KID_MISMATCH', `kid ${kid} is not a key of ${iss}`);
  return key;
}
