import { createHash } from 'node:crypto';
import type { Resolver } from 'did-resolver';
import { resolveIssuerKey } from './issuer-key.js';
import { isUrlIssuer } from '../core/vc/jwt-vc-issuer.js';
import { isNetcredError } from '../core/errors.js';
import { checkTimeClaims } from '../core/jose/claims.js';
import { assertPublicJwk, jwkThumbprint } from '../core/jose/jwk.js';
import { verifyDecoded } from '../core/jose/verify.js';
import { tokenStatusRef } from '../core/status/reference.js';
import { SD_JWT_VC_TYP } from '../core/vc/formats.js';
import { decodeCredential } from './credential.js';
import { WalletError } from './errors.js';
import { loopbackAwareResolver } from './net.js';
import { companionTarget, insertCompanion, insertCredential, readCredential, storedIssuerOf, type StoredCredentialInfo } from './store/credentials.js';
import { RESIDENT_IDENTITY_LITE_VCT } from '../schemas/profiles/index.js';
import type { Wallet } from './wallet.js';

/** How importCredential resolves the issuer's DID to check the credential's signature. */
export type ImportOptions = {
  /** DID resolver for the issuer (default: did:key/did:jwk offline, did:web over HTTPS, HTTP on loopback only). */
  resolver?: Resolver;
};

/** Local id of a credential whose issuer gave it none: SHA-256 of its issuer-signed JWT, hex, 32 characters. */
export function credentialId(jwt: string): string {
  return createHash('sha256').update(jwt, 'ascii').digest('hex').slice(0, 32);
}

/** What a wallet accepts as an issuer's credential id: printable ASCII without spaces, as the issuer's status commands take it. */
const ISSUER_ID = /^[\x21-\x7e]{1,200}$/;

/**
 * The issuer's id of a credential, the one its status commands take: `jti` (RFC 7519) of an
 * SD-JWT VC, or the `id` of a VCDM 2.0 credential (`urn:uuid:` dropped: the issuer's records
 * name the bare UUID). Undefined when the credential has none the wallet can show.
 */
export function issuerCredentialId(payload: Record<string, unknown>, format: string): string | undefined {
  const raw = format === SD_JWT_VC_TYP ? payload.jti : payload.id;
  if (typeof raw !== 'string') return undefined;
  const id = format === SD_JWT_VC_TYP ? raw : raw.replace(/^urn:uuid:/, '');
  return ISSUER_ID.test(id) ? id : undefined;
}

/**
 * Checks an issued SD-JWT and stores it encrypted: issuer signature (key from the `iss` DID, or
 * from an https `iss`'s JWT VC Issuer Metadata, and header `kid`), `typ` dc+sd-jwt or vc+sd-jwt,
 * every disclosure referenced by a digest, not expired, no KB-JWT attached, and `cnf.jwk` one of
 * this wallet's keys. A lite companion (vct RESIDENT_IDENTITY_LITE_VCT) whose credential the
 * wallet holds (same issuer, key and status entry) is filed under that credential, whose info
 * is returned; without it, it is stored as a credential of its own.
 */
export async function importCredential(wallet: Wallet, sdJwt: string, options: ImportOptions = {}): Promise<StoredCredentialInfo> {
  wallet.requireKey();
  const cred = decodeCredential(sdJwt);
  if (cred.parsed.kbJwt !== undefined) throw new WalletError('KB_JWT_PRESENT', 'the SD-JWT already carries a KB-JWT: a wallet imports issued credentials only');
  const { header, payload } = cred.jws;
  const iss = payload.iss;
  if (typeof iss !== 'string' || !(iss.startsWith('did:') || isUrlIssuer(iss)))
    throw new WalletError('CREDENTIAL_INVALID', 'iss must be a DID or an https issuer identifier');
  const kid = typeof header.kid === 'string' ? header.kid : undefined;
  const resolver = options.resolver ?? loopbackAwareResolver();
  try {
    const { key } = await resolveIssuerKey(resolver, iss, kid);
    verifyDecoded(cred.jws, key);
  } catch (cause) {
    if (isNetcredError(cause)) throw new WalletError('CREDENTIAL_SIGNATURE_INVALID', `issuer signature does not verify: ${cause.message}`, { cause });
    throw cause;
  }
  // Only exp: a credential not valid yet (nbf) is worth keeping for later.
  checkTimeClaims(
    { exp: payload.exp },
    {
      now: Math.floor(wallet.now() / 1000),
      error: (e) => new WalletError(e.reason === 'invalid' ? 'CREDENTIAL_INVALID' : 'CREDENTIAL_EXPIRED', `the credential ${e.message}`, { cause: e }),
    },
  );
  if (cred.format === SD_JWT_VC_TYP && typeof payload.vct !== 'string') throw new WalletError('CREDENTIAL_INVALID', 'an SD-JWT VC must have a vct');

  const cnfJwk = (payload.cnf as { jwk?: unknown } | undefined)?.jwk;
  let thumbprint: string;
  try {
    assertPublicJwk(cnfJwk, 'cnf.jwk');
    thumbprint = jwkThumbprint(cnfJwk);
  } catch (cause) {
    throw new WalletError('CREDENTIAL_NOT_BOUND_TO_WALLET', 'the credential has no usable cnf.jwk', { cause });
  }
  const keys = await wallet.listKeys();
  const holderKey = keys.find((k) => k.id === thumbprint);
  if (!holderKey) throw new WalletError('CREDENTIAL_NOT_BOUND_TO_WALLET', 'cnf.jwk is not a key of this wallet');

  let statusRef: { uri: string; idx: number } | undefined;
  try {
    statusRef = tokenStatusRef(payload);
  } catch (cause) {
    throw new WalletError('CREDENTIAL_INVALID', `malformed status claim: ${(cause as Error).message}`, { cause });
  }
  // A lite companion is filed under the credential it accompanies (same issuer, key, status entry).
  if (cred.format === SD_JWT_VC_TYP && payload.vct === RESIDENT_IDENTITY_LITE_VCT) {
    const target = await companionTarget(wallet, { iss, keyId: holderKey.id, status: statusRef });
    if (target !== undefined) {
      await insertCompanion(wallet, target, RESIDENT_IDENTITY_LITE_VCT, cred.sdJwt);
      return (await readCredential(wallet, target)).info;
    }
  }
  // The issuer's id when it gave one (and no other issuer's credential here has it), else the local hash.
  const issuerId = issuerCredentialId(payload, cred.format);
  const taken = issuerId === undefined ? undefined : await storedIssuerOf(wallet, issuerId);
  return insertCredential(wallet, {
    id: issuerId !== undefined && (taken === undefined || taken === iss) ? issuerId : credentialId(cred.parsed.jwt),
    keyId: holderKey.id,
    format: cred.format,
    vct: typeof payload.vct === 'string' ? payload.vct : undefined,
    iss,
    issuerKid: kid,
    status: statusRef,
    expiresAt: typeof payload.exp === 'number' ? payload.exp : undefined,
    sdJwt: cred.sdJwt,
  });
}
