/** Postal address of the holder; every member is individually disclosable. */
export type IdentityAddress = {
  formatted: string;
  region: string;
  locality: string;
  street_address: string;
  postal_code: string;
};

/** Validated claims of the resident identity credential (age_over_18 always set). */
export type IdentityClaims = {
  given_name: string;
  family_name: string;
  birthdate: string;
  age_over_18: boolean;
  /** ISO/IEC 5218: 0 not known, 1 male, 2 female, 9 not applicable. */
  sex: 0 | 1 | 2 | 9;
  nationality: string;
  id_number: string;
  address: IdentityAddress;
  portrait?: string;
  issuing_authority: string;
  issuing_country: string;
};

/** Top-level claim names, in the order they are minted. */
export const IDENTITY_CLAIM_NAMES = [
  'given_name',
  'family_name',
  'birthdate',
  'age_over_18',
  'sex',
  'nationality',
  'id_number',
  'address',
  'portrait',
  'issuing_authority',
  'issuing_country',
] as const satisfies readonly (keyof IdentityClaims)[];

export const ADDRESS_CLAIM_NAMES = ['formatted', 'region', 'locality', 'street_address', 'postal_code'] as const satisfies readonly (keyof IdentityAddress)[];

/** Upper bound on the portrait's JPEG bytes. */
export const PORTRAIT_MAX_BYTES = 64 * 1024;
