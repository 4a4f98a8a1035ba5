import type { PublicJwk } from '../../core/jose/jwk.js';
import type { JwsSigner } from '../../core/jose/signer.js';
import { issueSdJwt } from '../../core/sd-jwt/issue.js';
import { SD_JWT_VC_TYP } from '../../core/vc/formats.js';
import type { StatusAssignment } from '../status/index.js';
import { typedDisclosureFrame, type CompiledCredentialType } from './claims.js';

/** Frozen: signCompact keeps its encoding per signer (core/jose/sign.ts). */
const HEADER = Object.freeze({ typ: SD_JWT_VC_TYP });

export type MintTypedInput = {
  type: CompiledCredentialType;
  issuerId: string;
  id: string;
  signer: JwsSigner;
  claims: Record<string, unknown>;
  holderDid: string;
  holderJwk: PublicJwk;
  iat: number;
  exp: number;
  status?: StatusAssignment;
};

/**
 * A registered type's credential as an SD-JWT VC (`typ: dc+sd-jwt`), the resident identity's
 * envelope (`iss`, `jti`, `vct`, `iat`, `exp`, `cnf`, `status` in the clear, `sub` disclosable)
 * around the type's validated claims, disclosable as its type metadata says (claims.ts).
 */
export function mintTypedSdJwtVc(input: MintTypedInput): Promise<string> {
  const payload: Record<string, unknown> = {
    iss: input.issuerId,
    jti: input.id,
    vct: input.type.definition.vct,
    iat: input.iat,
    exp: input.exp,
    cnf: { jwk: input.holderJwk },
    sub: input.holderDid,
    ...input.claims,
  };
  if (input.status) payload.status = input.status.tokenStatus;
  return issueSdJwt({ header: HEADER, payload, disclosureFrame: typedDisclosureFrame(input.type, input.claims), signer: input.signer });
}
