const regions = new Intl.DisplayNames(['en'], { type: 'region', fallback: 'none' });
// Codes CLDR names that are not ISO 3166-1 countries: user-assigned ranges and groupings.
const NOT_COUNTRIES = new Set(['EU', 'EZ', 'UN', 'ZZ', 'QO', 'AA', 'QM', 'XA', 'XB', 'XK']);

/** True for an assigned ISO 3166-1 alpha-2 code (ICU's region data; user-assigned codes excluded). */
export function isCountryCode(code: string): boolean {
  if (!/^[A-Z]{2}$/.test(code) || NOT_COUNTRIES.has(code) || code.startsWith('X') || /^Q[M-Z]$/.test(code)) return false;
  const name = regions.of(code);
  return name !== undefined && name !== code && name !== 'Unknown Region';
}
