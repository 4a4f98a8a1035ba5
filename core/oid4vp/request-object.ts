import type { X509Certificate } from 'node:crypto';
import { isNetcredError } from '../errors.js';
import type { DecodedJws } from '../jose/decode.js';
import { signCompact } from '../jose/sign.js';
import type { JwsSigner } from '../jose/signer.js';
import { verifyDecoded } from '../jose/verify.js';
import { verifyX5c, x509Hash, x5cOf } from '../x509/chain.js';
import { certificateNames, displayName } from '../x509/names.js';
import { isDnsName, isX509Prefix, splitClientId, type X509ClientIdPrefix } from './client-id.js';
import { Oid4vpRuleError } from './errors.js';

/** `typ` of a request object (RFC 9101 section 10.8, required by OpenID4VP 1.0 section 5.10). */
export const REQUEST_OBJECT_TYP = 'oauth-authz-req+jwt';
export const REQUEST_OBJECT_MEDIA_TYPE = 'application/oauth-authz-req+jwt';

/**
 * A request object signed for an `x509_san_dns` / `x509_hash` client: `typ` oauth-authz-req+jwt
 * and the verifier's chain in `x5c` (RFC 7515 4.1.6: leaf first, standard base64 DER; the trust
 * anchor left out). No `kid`: the key is the leaf's.
 */
export async function signX509RequestObject(payload: object, signer: JwsSigner, chain: readonly X509Certificate[]): Promise<string> {
  if (chain.length === 0) throw new Oid4vpRuleError('OID4VP_REQUEST_INVALID', 'an x509 request object needs the signing certificate chain');
  const keyless: JwsSigner = { alg: signer.alg, sign: (data) => signer.sign(data) };
  return signCompact({ typ: REQUEST_OBJECT_TYP, x5c: x5cOf(chain) }, payload, keyless);
}

export type X509RequestSigner = {
  prefix: X509ClientIdPrefix;
  /** The DNS name (x509_san_dns) or the leaf hash (x509_hash). */
  value: string;
  leaf: X509Certificate;
  chain: X509Certificate[];
  anchor: X509Certificate;
  /** Subject CN / O of the leaf, for the consent prompt ("CN (O)"). */
  name?: string;
  /** Who vouches for it: the trust anchor's subject CN / O. */
  certifiedBy?: string;
};

export type VerifyX509RequestOptions = {
  /** The roots the wallet trusts for verifiers. */
  anchors: readonly X509Certificate[];
  /** Seconds since the epoch. */
  now: number;
};

/**
 * Checks a signed request object of an x509 client (OpenID4VP 1.0 section 5.9.3): `typ`, the
 * `x5c` chain up to a trusted root (verifyX5c: X509_* codes), the client_id against the leaf
 * (x509_san_dns: a dNSName SAN, X509_SAN_MISMATCH; x509_hash: the base64url SHA-256 of the
 * leaf DER, CLIENT_ID_MISMATCH), then the signature with the leaf's key (REQUEST_SIGNATURE_INVALID).
 */
export function verifyX509RequestObject(decoded: DecodedJws<Record<string, unknown>>, clientId: string, options: VerifyX509RequestOptions): X509RequestSigner {
  const { prefix, value } = splitClientId(clientId);
  if (!isX509Prefix(prefix)) throw new Oid4vpRuleError('OID4VP_UNSUPPORTED', `client_id ${clientId} is not an x509_san_dns or x509_hash client`);
  if (prefix === 'x509_san_dns' && !isDnsName(value)) throw new Oid4vpRuleError('CLIENT_ID_MISMATCH', `x509_san_dns:${value}: the value is not a DNS name`);
  if (decoded.header.typ !== REQUEST_OBJECT_TYP)
    throw new Oid4vpRuleError('OID4VP_REQUEST_INVALID', `request object typ must be ${REQUEST_OBJECT_TYP}, got ${String(decoded.header.typ)}`);
  if (decoded.header.crit !== undefined)
    throw new Oid4vpRuleError('OID4VP_REQUEST_INVALID', 'request object has critical header parameters we do not understand');
  if (decoded.header.x5c === undefined)
    throw new Oid4vpRuleError('OID4VP_REQUEST_INVALID', `a ${prefix} request object must carry its certificate chain in x5c`);
  const { leaf, chain, anchor } = verifyX5c(decoded.header.x5c, {
    anchors: options.anchors,
    now: options.now,
    ...(prefix === 'x509_san_dns' ? { dnsName: value } : {}),
  });
  if (prefix === 'x509_hash' && x509Hash(leaf) !== value) {
    throw new Oid4vpRuleError('CLIENT_ID_MISMATCH', `client_id x509_hash:${value} is not the hash of the signing certificate (${x509Hash(leaf)})`);
  }
  try {
    verifyDecoded(decoded, leaf.publicKey, { typ: REQUEST_OBJECT_TYP });
  } catch (cause) {
    const why = isNetcredError(cause) ? `${cause.code}: ${cause.message}` : String(cause);
    throw new Oid4vpRuleError('REQUEST_SIGNATURE_INVALID', `the request object signature does not verify with the key of its x5c leaf certificate (${why})`, {
      cause,
    });
  }
  const name = displayName(certificateNames(leaf));
  const certifiedBy = displayName(certificateNames(anchor));
  return { prefix, value, leaf, chain, anchor, ...(name ? { name } : {}), ...(certifiedBy ? { certifiedBy } : {}) };
}
