import {
  assertDcqlQuery as assertDcql,
  DcqlError,
  matchCredentialQuery,
  type DcqlCredentialQuery,
  type DcqlQuery,
  type DcqlValidationOptions,
} from '../../core/dcql/index.js';
import { InvalidInputError } from '../../core/errors.js';
import { CREDENTIAL_FORMATS } from '../../core/vc/formats.js';

/**
 * The queries this verifier sends: SD-JWT credentials, at most 8 credential queries, and no
 * credential_sets, since every credential query must be answered (vp-token.ts). It writes them,
 * so it owes all of section 6 (`meta` included).
 */
const VERIFIER_DCQL: DcqlValidationOptions = { formats: CREDENTIAL_FORMATS, credentialSets: false, maxCredentials: 8 };

/** Checks a query before it goes into a request: INVALID_INPUT (the caller's query) when it breaks a rule. */
export function assertDcqlQuery(value: unknown): asserts value is DcqlQuery {
  try {
    assertDcql(value, VERIFIER_DCQL);
  } catch (err) {
    if (err instanceof DcqlError) throw new InvalidInputError(err.message, err.details, err);
    throw err;
  }
}

/** Why the disclosed claims do not satisfy the credential query (vct, claims, claim_sets), or undefined when they do. */
export function unsatisfiedClaim(query: DcqlCredentialQuery, presented: { vct?: string; claims: Record<string, unknown> }): string | undefined {
  const match = matchCredentialQuery({ vct: presented.vct, claims: presented.claims }, query);
  return match.ok ? undefined : match.reason;
}
