import { InvalidInputError } from '../core/errors.js';
import { jwkThumbprint, type PublicJwk } from '../core/jose/jwk.js';
import { isUrlIssuer } from '../core/vc/jwt-vc-issuer.js';

/**
 * What the issuer puts in `iss` (config.json `issuerId`, chosen at `issuer init`):
 *
 * - `did` (the default): the issuer DID; verifiers resolve its key from the DID.
 * - `url`: the public URL; the issuer serves JWT VC Issuer Metadata (`/.well-known/jwt-vc-issuer`)
 *   with its key, and credentials name that key by `kid` (its RFC 7638 thumbprint). Needed for
 *   X.509 (`x5c`): the leaf certificate names the URL, never a DID.
 *
 * Credentials, status list tokens and W3C list credentials all carry the same identifier.
 */
export type IssuerIdKind = 'did' | 'url';
/** What an issuer puts in `iss`: its DID (`did`) or its public URL (`url`, with JWT VC Issuer Metadata). */
export const ISSUER_ID_KINDS: readonly IssuerIdKind[] = ['did', 'url'];

export function isIssuerIdKind(value: unknown): value is IssuerIdKind {
  return value === 'did' || value === 'url';
}

/**
 * The issuer identifier kind `value` names.
 *
 * @throws InvalidInputError `INVALID_INPUT` unless it is `did` or `url`.
 */
export function parseIssuerIdKind(value: unknown): IssuerIdKind {
  if (isIssuerIdKind(value)) return value;
  throw new InvalidInputError(`unknown issuer identifier ${JSON.stringify(value)} (expected: ${ISSUER_ID_KINDS.join(', ')})`, [
    { path: 'issuerId', message: 'must be did or url' },
  ]);
}

/**
 * Why an identifier kind does not fit the public URL, or undefined. A URL identifier must be one
 * JWT VC Issuer Metadata can be found for: https (plain http only on a loopback host, for tests).
 */
export function issuerIdProblem(kind: IssuerIdKind, publicUrl: string): { path: string; message: string } | undefined {
  if (kind === 'url' && !isUrlIssuer(publicUrl))
    return { path: 'issuerId', message: `a URL issuer identifier needs an https public URL (http only on 127.0.0.1 / localhost), not ${publicUrl}` };
  return undefined;
}

/** The `kid` of the issuer key under a URL identifier: its JWK thumbprint, stable as long as the key. */
export function urlIssuerKid(jwk: PublicJwk): string {
  return jwkThumbprint(jwk);
}

/** `iss` and header `kid` of what the issuer signs. */
export function issuerIdentifier(kind: IssuerIdKind, identity: { did: string; kid: string; jwk: PublicJwk }, publicUrl: string): { id: string; kid: string } {
  return kind === 'url' ? { id: publicUrl, kid: urlIssuerKid(identity.jwk) } : { id: identity.did, kid: identity.kid };
}

/** The JWK Set of JWT VC Issuer Metadata: the issuer's one key, named by its kid. */
export function issuerJwks(jwk: PublicJwk, kid: string): { keys: PublicJwk[] } {
  const { kid: _kid, ...bare } = jwk as PublicJwk & { kid?: string };
  return { keys: [{ ...bare, kid } as PublicJwk] };
}
