import type { KeyObject } from 'node:crypto';
import type { Resolver } from 'did-resolver';
import { resolvePublicKey } from '../core/did/resolve.js';
import { fetchBounded } from '../core/http/fetch-bounded.js';
import { importPublicJwk, type PublicJwk } from '../core/jose/jwk.js';
import { issuerKeyByKid } from '../core/vc/issuer-key.js';
import { isUrlIssuer, jwtVcIssuerMetadataUrl, parseJwkSet, parseJwtVcIssuerMetadata } from '../core/vc/jwt-vc-issuer.js';
import { WalletError } from './errors.js';

const LIMITS = { maxBytes: 256 * 1024, timeoutMs: 10_000 };

async function getJson(uri: string): Promise<unknown> {
  const res = await fetchBounded(uri, { headers: { accept: 'application/json' } }, LIMITS);
  if (!res.ok) throw new WalletError('ISSUER_METADATA_INVALID', `GET ${uri} answered ${res.status}`);
  try {
    return JSON.parse(res.text);
  } catch (cause) {
    throw new WalletError('ISSUER_METADATA_INVALID', `GET ${uri} did not answer JSON`, { cause });
  }
}

/**
 * The key an issuer signs with, online (the wallet checks what it stores and syncs): a DID
 * issuer's key from its DID (did:key, did:jwk offline, did:web over HTTPS), an https issuer's
 * from its JWT VC Issuer Metadata (`issuer` identical to `iss`, the key named by `kid`).
 * Throws a NetcredError with the reason's code.
 */
export async function resolveIssuerKey(resolver: Resolver, iss: string, kid?: string): Promise<{ jwk: PublicJwk; key: KeyObject }> {
  if (iss.startsWith('did:')) return resolvePublicKey(resolver, iss, kid);
  if (!isUrlIssuer(iss)) throw new WalletError('CREDENTIAL_INVALID', `iss ${iss} is neither a DID nor an https issuer identifier`);
  const metadata = parseJwtVcIssuerMetadata(await getJson(jwtVcIssuerMetadataUrl(iss)), iss);
  const jwks = 'jwks' in metadata ? metadata.jwks : parseJwkSet(await getJson(metadata.jwks_uri), `the JWK Set at ${metadata.jwks_uri}`);
  const jwk = issuerKeyByKid(jwks.keys, kid, iss);
  return { jwk, key: importPublicJwk(jwk) };
}
