const regions = new Intl.DisplayNames(['en'], { type: 'region', fallback: 'none' });
// Codes CLDR names that are not ISO 3166-1 countries: user-assigned ranges and groupings.
const NOT_COUNTRIES = new Set(['EU', 'EZ', 'UN', 'ZZ', 'QO', 'AA', 'QM', 'XA', 'XB', 'XK']);

// Answers per code (at most 26 * 26): Intl.DisplayNames#of costs a few µs per call, and every issuance checks two codes.
const known = new Map<string, boolean>();

/** True for an assigned ISO 3166-1 alpha-2 code (ICU's region data; user-assigned codes excluded). */
export function isCountryCode(code: string): boolean {
  if (!/^[A-Z]{2}$/.test(code)) return false;
  let answer = known.get(code);
  if (answer === undefined) {
    const name = NOT_COUNTRIES.has(code) || code.startsWith('X') || /^Q[M-Z]$/.test(code) ? undefined : regions.of(code);
    answer = name !== undefined && name !== code && name !== 'Unknown Region';
    known.set(code, answer);
  }
  return answer;
}
