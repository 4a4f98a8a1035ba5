import { jwkFromDidJwk } from '../../core/did/did-jwk.js';
import { jwkFromDidKey } from '../../core/did/did-key.js';
import type { DIDDocument } from '../../core/did/document.js';
import { NetcredError } from '../../core/errors.js';
import { assertPublicJwk, sameJwk, type PublicJwk } from '../../core/jose/jwk.js';
import { decodeQrTransport, isQrTransport } from '../../core/qr/transport.js';
import { decodeSdJwt } from '../../core/sd-jwt/decode.js';
import { isUrlIssuer } from '../../core/vc/jwt-vc-issuer.js';
import { issuerIdOf } from '../../core/vc/vcdm2.js';
import { VerificationError } from '../errors.js';
import { builtInTypeMetadata } from './add.js';
import { emptyTrustBundle, type TrustBundle, type TrustedIssuer } from './bundle.js';

/** The members that define a public key (kid, alg, use kept when given), after checking it is one. */
function publicKey(jwk: unknown): PublicJwk {
  try {
    assertPublicJwk(jwk, 'the issuer key');
  } catch (cause) {
    throw new NetcredError('INVALID_INPUT', `${(cause as Error).message}: give the issuer's public JWK (Ed25519 or P-256)`, { cause });
  }
  return jwk;
}

/** The issuer JWT's header and payload, or undefined when the input does not decode (the pipeline then says why). */
function issuerJwtOf(presentation: string): { header: Record<string, unknown>; payload: Record<string, unknown> } | undefined {
  try {
    const text = isQrTransport(presentation) ? decodeQrTransport(presentation.trim()) : presentation.trim();
    const { header, payload } = decodeSdJwt(text);
    return { header, payload };
  } catch {
    return undefined;
  }
}

/** The types the credential claims (`vct`, or the W3C `type` list): what the one-issuer bundle trusts it for. */
function typesOf(payload: Record<string, unknown>): string[] {
  if (typeof payload.vct === 'string' && payload.vct !== '') return [payload.vct];
  const type = payload.type;
  return Array.isArray(type) ? type.filter((t): t is string => typeof t === 'string' && t !== '') : [];
}

/**
 * A trust bundle in memory whose one issuer is the credential's `iss`, holding `jwk` (what
 * `netcred verify --issuer-key` verifies against: a raw public key, no bundle file):
 *
 * - `iss` an https issuer identifier: `jwk` as its JWT VC Issuer Metadata `jwks` (with the
 *   header's `kid` when the JWK names none);
 * - `iss` a did:key or did:jwk: the key is in the DID itself; `jwk` must be that key, else
 *   ISSUER_UNTRUSTED (the credential's issuer holds another key);
 * - `iss` a did:web: a DID document pinned in memory with `jwk` as its one assertion key (under
 *   the header's `kid`, or `#issuer-key`): nothing is fetched, `jwk` stands for the document;
 * - a header with `x5c`, or any other `iss`: ISSUER_UNTRUSTED (a chain needs its root: a bundle).
 *
 * The credential is only decoded here, never trusted: the pipeline verifies it against this
 * bundle. Input that does not decode gives an empty bundle (the pipeline reports MALFORMED).
 * The bundle holds no status list: verify with `checkStatus: false`, or a credential with a
 * status reference is STATUS_UNKNOWN.
 *
 * @throws NetcredError `INVALID_INPUT` (not a public JWK); VerificationError `ISSUER_UNTRUSTED`.
 */
export function trustBundleForIssuerKey(presentation: string, jwk: unknown, now = new Date()): TrustBundle {
  const key = publicKey(jwk);
  const bundle = emptyTrustBundle(now);
  const jwt = issuerJwtOf(presentation);
  if (!jwt) return bundle;
  const { header, payload } = jwt;
  const iss = payload.iss ?? issuerIdOf(payload.issuer);
  const vct = typesOf(payload);
  if (typeof iss !== 'string' || iss === '' || vct.length === 0) return bundle;
  if (header.x5c !== undefined) {
    throw new VerificationError(
      'ISSUER_UNTRUSTED',
      'the credential carries an x5c chain: trust its root certificate in a bundle (netcred verifier trust add-cert ROOT.pem --bundle FILE), not with --issuer-key',
    );
  }
  const stamp = now.toISOString();
  const issuer: TrustedIssuer = { id: iss, vct, addedAt: stamp };
  const kid = typeof header.kid === 'string' && header.kid !== '' ? header.kid : undefined;
  if (iss.startsWith('did:key:') || iss.startsWith('did:jwk:')) {
    const own = iss.startsWith('did:key:') ? jwkFromDidKey(iss) : jwkFromDidJwk(iss);
    if (!sameJwk(own, key))
      throw new VerificationError(
        'ISSUER_UNTRUSTED',
        `the credential's issuer ${iss} holds another key than the one given (--issuer-key): its key is in the DID itself`,
      );
  } else if (iss.startsWith('did:web:')) {
    const id = kid?.startsWith('#') ? `${iss}${kid}` : kid?.split('#')[0] === iss ? kid : `${iss}#issuer-key`;
    const document: DIDDocument = {
      id: iss,
      verificationMethod: [{ id, type: 'JsonWebKey2020', controller: iss, publicKeyJwk: withoutKid(key) }],
      assertionMethod: [id],
    } as DIDDocument;
    issuer.didDocument = document;
  } else if (isUrlIssuer(iss)) {
    issuer.jwks = { keys: [key.kid === undefined && kid !== undefined ? { ...key, kid } : key] };
  } else {
    throw new VerificationError(
      'ISSUER_UNTRUSTED',
      `iss ${iss} is neither a DID (did:key, did:jwk, did:web) nor an https issuer identifier: --issuer-key cannot stand for it`,
    );
  }
  const typeMetadata = vct.map(builtInTypeMetadata).filter((t) => t !== undefined);
  return { ...bundle, issuers: [issuer], typeMetadata };
}

function withoutKid(jwk: PublicJwk): PublicJwk {
  const { kid: _kid, ...rest } = jwk;
  return rest as PublicJwk;
}
