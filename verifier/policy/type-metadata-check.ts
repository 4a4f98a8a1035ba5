import { claimValues, type ClaimsPathPointer } from '../../core/dcql/claim-path.js';
import { VerificationError } from '../errors.js';
import type { CompiledTypeMetadata } from '../trust/type-metadata.js';

/** Claims of the JWT/VC envelope, not of the credential type: never checked against its schema. */
const ENVELOPE = ['iss', 'sub', 'iat', 'nbf', 'exp', 'jti', 'aud', 'cnf', 'vct', 'vct#integrity', 'status', '_sd_alg'];

/** True when the path is present in the issuer-signed payload in plain text (not through a disclosure). */
function plainInPayload(payload: unknown, path: ClaimsPathPointer): boolean {
  return claimValues(payload, path).length > 0;
}

/**
 * The type metadata's claim rules and the JSON Schema, over the DISCLOSED claims: a claim
 * with `sd: never` must be in plain text (and present when mandatory), one with `sd: always`
 * must not be; an undisclosed selectively disclosable claim is not a missing mandatory one.
 */
export function checkTypeMetadata(meta: CompiledTypeMetadata, payload: Record<string, unknown>, claims: Record<string, unknown>): void {
  for (const c of meta.claims) {
    const inPlain = plainInPayload(payload, c.path);
    const present = claimValues(claims, c.path).length > 0;
    if (c.sd === 'always' && inPlain) throw new VerificationError('SCHEMA_INVALID', `claim ${JSON.stringify(c.path)} must be selectively disclosable`);
    if (c.sd === 'never' && present && !inPlain)
      throw new VerificationError('SCHEMA_INVALID', `claim ${JSON.stringify(c.path)} must not be selectively disclosable`);
    if (c.sd === 'never' && c.mandatory && !present) throw new VerificationError('SCHEMA_INVALID', `mandatory claim ${JSON.stringify(c.path)} is missing`);
  }
  if (meta.validate) {
    const subject: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(claims)) if (!ENVELOPE.includes(k)) subject[k] = v;
    if (!meta.validate(subject)) {
      const e = meta.validate.errors?.[0];
      throw new VerificationError(
        'SCHEMA_INVALID',
        `disclosed claims do not match the schema of ${meta.vct}: ${e ? `${e.instancePath || '/'} ${e.message ?? ''}` : 'invalid'}`,
      );
    }
  }
}
