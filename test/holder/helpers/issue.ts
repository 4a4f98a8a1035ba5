import { generateKeyPairSync, sign as nodeSign, type KeyObject } from 'node:crypto';
import { SDJwtVcInstance } from '@sd-jwt/sd-jwt-vc';
import { algForKey, didKeyFromJwk, generateSalt, nodeSignParams, publicJwkOf, sdJwtHasher, type PublicJwk } from '../../../core/index.js';
import { RESIDENT_IDENTITY_VCT, sampleIdentityClaims, type IdentityClaims } from '../../../schemas/index.js';

/** A did:key issuer that signs SD-JWT VCs with @sd-jwt/sd-jwt-vc: an independent peer, not netcred's issuer (test/helpers/issuer.ts). */
export type PeerIssuer = { did: string; kid: string; privateKey: KeyObject; publicJwk: PublicJwk; sdjwt: SDJwtVcInstance };

export function createPeerIssuer(alg: 'ES256' | 'EdDSA' = 'ES256'): PeerIssuer {
  const { privateKey } = alg === 'ES256' ? generateKeyPairSync('ec', { namedCurve: 'prime256v1' }) : generateKeyPairSync('ed25519');
  const publicJwk = publicJwkOf(privateKey);
  const did = didKeyFromJwk(publicJwk);
  const kid = `${did}#${did.slice('did:key:'.length)}`;
  const a = algForKey(privateKey);
  const { digest, dsaEncoding } = nodeSignParams(a);
  const sdjwt = new SDJwtVcInstance({
    hasher: sdJwtHasher,
    hashAlg: 'sha-256',
    saltGenerator: () => generateSalt(),
    signAlg: a,
    signer: (data: string) => nodeSign(digest, Buffer.from(data, 'ascii'), dsaEncoding ? { key: privateKey, dsaEncoding } : privateKey).toString('base64url'),
  });
  return { did, kid, privateKey, publicJwk, sdjwt };
}

/** The identity claims the real issuer mints (schemas/), with overrides. */
export function identityClaims(overrides: Partial<IdentityClaims> = {}): IdentityClaims {
  return sampleIdentityClaims(overrides);
}

export type IssueOptions = {
  vct?: string;
  claims?: Record<string, unknown>;
  status?: { idx: number; uri: string };
  decoys?: number;
  typ?: string;
  iat?: number;
  exp?: number;
};

/** Issues an identity SD-JWT VC bound to `holderJwk` (every claim selectively disclosable, address members too). */
export async function issueIdentity(issuer: PeerIssuer, holderJwk: PublicJwk, options: IssueOptions = {}): Promise<string> {
  const claims = (options.claims ?? identityClaims()) as Record<string, unknown>;
  const now = options.iat ?? Math.floor(Date.now() / 1000);
  const payload: Record<string, unknown> = {
    iss: issuer.did,
    vct: options.vct ?? RESIDENT_IDENTITY_VCT,
    iat: now,
    exp: options.exp ?? now + 365 * 86400,
    cnf: { jwk: holderJwk },
    ...(options.status ? { status: { status_list: options.status } } : {}),
    ...claims,
  };
  const topLevel = Object.keys(claims);
  const frame: Record<string, unknown> = { _sd: topLevel, _sd_decoy: options.decoys ?? 0 };
  if (claims.address && typeof claims.address === 'object') frame.address = { _sd: Object.keys(claims.address as object) };
  return issuer.sdjwt.issue(payload as never, frame as never, { header: { kid: issuer.kid, typ: options.typ ?? 'dc+sd-jwt' } });
}
