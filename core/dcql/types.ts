/** A claims path pointer (OpenID4VP 1.0 section 7): a member name, an array index, or null for every element. */
export type ClaimsPathPointer = (string | number | null)[];

/** A Claims Query (section 6.3). */
export type DcqlClaimQuery = { id?: string; path: ClaimsPathPointer; values?: (string | number | boolean)[] };

/** A Credential Query (section 6.1); `meta` holds format-specific members such as `vct_values`. */
export type DcqlCredentialQuery = {
  id: string;
  format: string;
  meta?: { vct_values?: string[]; [k: string]: unknown };
  claims?: DcqlClaimQuery[];
  claim_sets?: string[][];
  multiple?: boolean;
  require_cryptographic_holder_binding?: boolean;
  trusted_authorities?: { type: string; values: string[] }[];
};

/** A Credential Set Query (section 6.2); `required` defaults to true. */
export type DcqlCredentialSetQuery = { options: string[][]; required?: boolean };

/** A DCQL query (section 6). */
export type DcqlQuery = { credentials: DcqlCredentialQuery[]; credential_sets?: DcqlCredentialSetQuery[] };
