import type { JwsSigner } from '../../core/jose/signer.js';
import type { PublicJwk } from '../../core/jose/jwk.js';
import { decoyCount, issueSdJwt, type DisclosureFrame } from '../../core/sd-jwt/issue.js';
import { RESIDENT_IDENTITY_VCT } from '../../schemas/profiles/index.js';
import { ADDRESS_CLAIM_NAMES, type IdentityClaims } from '../../schemas/resident-identity/types.js';
import type { StatusAssignment } from '../status/index.js';
import { SD_JWT_VC_TYP } from '../../core/vc/formats.js';
import { VC_V2_CONTEXT } from '../../core/vc/vcdm2.js';
import type { Vcdm2Credential } from '../w3c/credential.js';

export const RESIDENT_IDENTITY_W3C_TYPE = 'ResidentIdentityCredential';

/** Frozen: signCompact keeps its encoding per signer (core/jose/sign.ts). */
const SD_JWT_VC_HEADER = Object.freeze({ typ: SD_JWT_VC_TYP });

export type MintIdentityInput = {
  issuerDid: string;
  /**
   * The credential id (the issuance record's UUIDv7): `jti` of an SD-JWT VC, `id` (`urn:uuid:`)
   * of a VCDM 2.0 credential, never disclosable, so the wallet shows the id the issuer's
   * status commands take (docs/conformance.md, Credential id).
   */
  id?: string;
  /** Signs as the issuer; its `kid` (DID URL of the issuer key) goes in the header. */
  signer: JwsSigner;
  /** Validated claims (validateIdentityClaims). */
  claims: IdentityClaims;
  holderDid: string;
  /** The holder key resolved from holderDid: `cnf.jwk`. */
  holderJwk: PublicJwk;
  /** Epoch seconds. */
  iat: number;
  exp: number;
  status?: StatusAssignment;
};

/** `sub` and every personal claim disclosable; address disclosable as a whole and member by member; decoys at both levels. */
export function identityDisclosureFrame(claims: IdentityClaims): DisclosureFrame<Record<string, unknown>> {
  return {
    _sd: ['sub', ...Object.keys(claims)],
    _sd_decoy: decoyCount(2, 5),
    address: { _sd: ADDRESS_CLAIM_NAMES.filter((k) => claims.address[k] !== undefined), _sd_decoy: decoyCount(1, 3) },
  } as unknown as DisclosureFrame<Record<string, unknown>>;
}

/**
 * The resident identity credential as an SD-JWT VC (`typ: dc+sd-jwt`): `iss`, `vct`, `iat`,
 * `exp`, `cnf` and `status` in the clear; `sub` (the holder DID) and the claims disclosable.
 */
export function mintIdentitySdJwtVc(input: MintIdentityInput): Promise<string> {
  const payload: Record<string, unknown> = {
    iss: input.issuerDid,
    ...(input.id !== undefined ? { jti: input.id } : {}),
    vct: RESIDENT_IDENTITY_VCT,
    iat: input.iat,
    exp: input.exp,
    cnf: { jwk: input.holderJwk },
    sub: input.holderDid,
    ...input.claims,
  };
  if (input.status) payload.status = input.status.tokenStatus;
  return issueSdJwt({ header: SD_JWT_VC_HEADER, payload, disclosureFrame: identityDisclosureFrame(input.claims), signer: input.signer });
}

/** The same claims as a VCDM 2.0 credential (secured as vc+sd-jwt by the W3C provider). */
export function identityVcdm2Credential(input: Omit<MintIdentityInput, 'signer' | 'holderJwk'>): Vcdm2Credential {
  const vc: Vcdm2Credential = {
    '@context': [VC_V2_CONTEXT],
    ...(input.id !== undefined ? { id: `urn:uuid:${input.id}` } : {}),
    type: ['VerifiableCredential', RESIDENT_IDENTITY_W3C_TYPE],
    issuer: input.issuerDid,
    validFrom: new Date(input.iat * 1000).toISOString(),
    validUntil: new Date(input.exp * 1000).toISOString(),
    credentialSubject: { id: input.holderDid, ...input.claims },
  };
  if (input.status?.bitstringEntries.length) vc.credentialStatus = input.status.bitstringEntries;
  return vc;
}
