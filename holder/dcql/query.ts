import { assertDcqlQuery as assertDcql, type DcqlQuery, type DcqlValidationOptions } from '../../core/dcql/index.js';

export type { ClaimsPathPointer, DcqlClaimQuery, DcqlCredentialQuery, DcqlQuery } from '../../core/dcql/index.js';

/**
 * The wallet reads queries verifiers wrote: any format (it matches only what it holds) and
 * credential_sets, but not the author's duties (`meta`, no claim queried twice).
 */
const WALLET_DCQL: DcqlValidationOptions = { asAuthor: false };

/** Checks a verifier's (or a profile's) DCQL query before matching it: DCQL_INVALID when it breaks a rule. */
export function assertDcqlQuery(value: unknown): asserts value is DcqlQuery {
  assertDcql(value, WALLET_DCQL);
}
