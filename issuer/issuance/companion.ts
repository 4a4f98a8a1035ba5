import { issueSdJwt, type DisclosureFrame } from '../../core/sd-jwt/issue.js';
import { SD_JWT_VC_TYP } from '../../core/vc/formats.js';
import { RESIDENT_IDENTITY_LITE_VCT } from '../../schemas/profiles/index.js';
import type { IssuedCredential, PreparedIssuance } from './prepare.js';

/** Frozen: signCompact keeps its encoding per signer (core/jose/sign.ts). */
const HEADER = Object.freeze({ typ: SD_JWT_VC_TYP });
/** The lite claims, each selectively disclosable (a bar may ask for age_over_18 alone), and no decoys: the digests reveal only that there are three, which the type says anyway. */
const LITE_FRAME = { _sd: ['given_name', 'family_name', 'age_over_18'] } as unknown as DisclosureFrame<Record<string, unknown>>;

/**
 * The lite companion of an identity credential (SD-JWT VC, vct RESIDENT_IDENTITY_LITE_VCT):
 * `iss`, `iat`, `exp`, `cnf` and `status` of the credential it accompanies (the SAME status
 * list entry, so a revocation, suspension, re-issue or lost device changes both at once, in
 * the transaction that changes the one entry), and only the lite claims: a kiosk QR of
 * version 18 where the full credential needs 24-25 (docs/qr-transport.md). No `jti`: a JWT id
 * names one JWT (RFC 7519), and the wallet files the companion under its credential by issuer,
 * key and status entry.
 */
export function mintLiteCompanion(job: PreparedIssuance, issued: IssuedCredential, holder: PreparedIssuance['holders'][number]): Promise<string> {
  const payload: Record<string, unknown> = {
    iss: job.ctx.issuerId,
    vct: RESIDENT_IDENTITY_LITE_VCT,
    iat: job.issuedAt,
    exp: job.expiresAt,
    cnf: { jwk: holder.jwk },
    given_name: job.claims.given_name,
    family_name: job.claims.family_name,
    age_over_18: job.claims.age_over_18,
  };
  if (issued.status) payload.status = issued.status.tokenStatus;
  return issueSdJwt({ header: HEADER, payload, disclosureFrame: LITE_FRAME, signer: job.ctx.signer });
}

/**
 * Adds its lite companion to each SD-JWT VC of an issuance (`vc+sd-jwt` has none: its lite
 * presentations stay on the credential itself), for issueCredential(s) with `liteCompanion`.
 * Runs once the issuance is written: the
 * companion needs no write of its own (it shares the credential's record and status entry),
 * and its signature stays out of the write lock.
 */
export async function withLiteCompanions(job: PreparedIssuance, issued: IssuedCredential[]): Promise<IssuedCredential[]> {
  if (job.format !== SD_JWT_VC_TYP) return issued;
  for (const [k, c] of issued.entries()) {
    try {
      c.companion = await mintLiteCompanion(job, c, job.holders[k]!);
    } catch {
      // The credential is committed (and has superseded the person's previous one): it is
      // delivered without a companion rather than lost, and its wallet presents it for lite.
    }
  }
  return issued;
}
