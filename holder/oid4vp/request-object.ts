import type { X509Certificate } from 'node:crypto';
import type { Resolver } from 'did-resolver';
import { resolvePublicKey } from '../../core/did/resolve.js';
import { isNetcredError } from '../../core/errors.js';
import { decodeCompact, type DecodedJws } from '../../core/jose/decode.js';
import { verifyDecoded } from '../../core/jose/verify.js';
import { isX509Prefix, splitClientId } from '../../core/oid4vp/client-id.js';
import { REQUEST_OBJECT_TYP, verifyX509RequestObject, type X509RequestSigner } from '../../core/oid4vp/request-object.js';
import { X509Error } from '../../core/x509/errors.js';
import { oid4vpError } from './errors.js';
import { assertJsonDepth } from '../../core/encoding/json.js';

export { REQUEST_OBJECT_TYP, splitClientId };

export type DecodedRequestObject = {
  payload: Record<string, unknown>;
  /** The DID whose key signed the request object, or the x509 client value (DNS name, hash); absent for an unsigned one. */
  signedBy?: string;
  /** An x509_san_dns / x509_hash request: the verified chain and the names it gives the verifier. */
  x509?: X509RequestSigner;
};

export type DecodeRequestOptions = {
  /** The roots this wallet trusts for verifier certificates (x509_san_dns, x509_hash). */
  trustedRoots?: readonly X509Certificate[];
  /** Seconds since the epoch (certificate validity). */
  now?: number;
};

/** An x509 request: chain to a trusted root, client_id against the leaf, signature with the leaf key. */
function decodeX509(decoded: DecodedJws<Record<string, unknown>>, clientId: string, options: DecodeRequestOptions): DecodedRequestObject {
  const anchors = options.trustedRoots ?? [];
  try {
    const x509 = verifyX509RequestObject(decoded, clientId, { anchors, now: options.now ?? Math.floor(Date.now() / 1000) });
    return { payload: decoded.payload, signedBy: x509.value, x509 };
  } catch (err) {
    if (err instanceof X509Error && err.code === 'X509_UNTRUSTED' && anchors.length === 0) {
      throw new X509Error(
        'X509_UNTRUSTED',
        `${err.message}: this wallet trusts no verifier root yet (netcred wallet trust add-cert ROOT.pem, or --trust-root)`,
        { cause: err },
      );
    }
    throw err;
  }
}

function parseJsonObject(text: string): Record<string, unknown> {
  let value: unknown;
  assertJsonDepth(text, 'the request object');
  try {
    value = JSON.parse(text);
  } catch (cause) {
    throw oid4vpError('OID4VP_REQUEST_INVALID', 'the request object is not JSON', { cause });
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw oid4vpError('OID4VP_REQUEST_INVALID', 'the request object is not a JSON object');
  return value as Record<string, unknown>;
}

/**
 * Decodes the request object fetched from request_uri (or passed as `request`). A signed one
 * (JAR, RFC 9101) is accepted only for a `decentralized_identifier` client, verified with a key
 * of that very DID, or an `x509_san_dns` / `x509_hash` client, verified with the leaf of its
 * `x5c` chain up to a root this wallet trusts; an unsigned one (`alg: none`, or plain JSON) only
 * for `redirect_uri`, whose answer can go nowhere but the client_id itself (OpenID4VP 1.0
 * section 5.9.3).
 */
export async function decodeRequestObject(
  text: string,
  clientId: string,
  resolver: Resolver,
  options: DecodeRequestOptions = {},
): Promise<DecodedRequestObject> {
  const { prefix, value } = splitClientId(clientId);
  const body = text.trim();
  if (body.startsWith('{')) {
    if (prefix !== 'redirect_uri') throw oid4vpError('OID4VP_REQUEST_INVALID', `a ${prefix} request must be a signed request object`);
    return { payload: parseJsonObject(body) };
  }
  if (body.split('.').length === 5) throw oid4vpError('OID4VP_UNSUPPORTED', 'encrypted request objects are not supported');
  let decoded: DecodedJws<Record<string, unknown>>;
  try {
    decoded = decodeCompact(body);
  } catch (cause) {
    throw oid4vpError('OID4VP_REQUEST_INVALID', 'the request object is neither a JWT nor JSON', { cause });
  }
  const typ = decoded.header.typ;
  if (decoded.header.alg === 'none') {
    if (prefix !== 'redirect_uri') throw oid4vpError('OID4VP_REQUEST_INVALID', `a ${prefix} request must be signed; this one is not`);
    if (decoded.signature.length !== 0) throw oid4vpError('OID4VP_REQUEST_INVALID', 'an unsecured request object must have an empty signature');
    if (typ !== undefined && typ !== REQUEST_OBJECT_TYP) throw oid4vpError('OID4VP_REQUEST_INVALID', `request object typ must be ${REQUEST_OBJECT_TYP}`);
    return { payload: decoded.payload };
  }
  if (prefix === 'redirect_uri') throw oid4vpError('OID4VP_CLIENT_INVALID', 'a redirect_uri client cannot sign its request (OpenID4VP 1.0 section 5.9.3)');
  if (isX509Prefix(prefix)) return decodeX509(decoded, clientId, options);
  if (prefix !== 'decentralized_identifier')
    throw oid4vpError('OID4VP_UNSUPPORTED', `client_id prefix ${prefix} is not supported (redirect_uri, decentralized_identifier, x509_san_dns, x509_hash)`);
  if (typ !== REQUEST_OBJECT_TYP) throw oid4vpError('OID4VP_REQUEST_INVALID', `request object typ must be ${REQUEST_OBJECT_TYP}, got ${String(typ)}`);
  if (decoded.header.crit !== undefined) throw oid4vpError('OID4VP_REQUEST_INVALID', 'request object has critical header parameters we do not understand');
  const kid = decoded.header.kid;
  if (typeof kid !== 'string' || kid.split('#')[0] !== value || !kid.includes('#')) {
    throw oid4vpError('OID4VP_CLIENT_INVALID', `the request object kid must be a DID URL of ${value}`);
  }
  try {
    const { key } = await resolvePublicKey(resolver, value, kid);
    verifyDecoded(decoded, key, { typ: REQUEST_OBJECT_TYP });
  } catch (cause) {
    const why = isNetcredError(cause) ? `${cause.code}: ${cause.message}` : String(cause);
    throw oid4vpError('OID4VP_REQUEST_INVALID', `the request object signature does not verify with ${kid} (${why})`, { cause });
  }
  return { payload: decoded.payload, signedBy: value };
}
