/**
 * The 18-character resident identity number (GB 11643): 6-digit region code, birth date
 * YYYYMMDD, 3-digit sequence (odd for men, even for women) and an ISO 7064 MOD 11-2 check
 * character.
 */
const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;
const CHECK_CHARS = '10X98765432';

/** The MOD 11-2 check character of the first 17 digits. */
export function idNumberCheckChar(first17: string): string {
  if (!/^[0-9]{17}$/.test(first17)) throw new RangeError('expected 17 digits');
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * WEIGHTS[i]!;
  return CHECK_CHARS[sum % 11]!;
}

export type IdNumberParts = { region: string; birthdate: string; sequence: number; check: string };

/** Splits a syntactically valid number; `birthdate` comes back as YYYY-MM-DD. */
export function parseIdNumber(idNumber: string): IdNumberParts | undefined {
  const m = /^([0-9]{6})([0-9]{4})([0-9]{2})([0-9]{2})([0-9]{3})([0-9X])$/.exec(idNumber);
  if (!m) return undefined;
  return { region: m[1]!, birthdate: `${m[2]}-${m[3]}-${m[4]}`, sequence: Number(m[5]), check: m[6]! };
}

/** Builds a valid number from its parts (tests, demo data). */
export function makeIdNumber(region: string, birthdate: string, sequence: number): string {
  const first17 = `${region}${birthdate.replaceAll('-', '')}${String(sequence).padStart(3, '0')}`;
  return first17 + idNumberCheckChar(first17);
}
