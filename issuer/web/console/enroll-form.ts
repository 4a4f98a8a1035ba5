/** The enrollment form's fields and how their values become the request (claims, evidence). */

export type FieldKind = 'text' | 'date' | 'sex' | 'method' | 'datetime' | 'portrait';
export type FieldSpec = { path: string; kind: FieldKind; optional?: boolean; hint?: 'hint.id_number' | 'hint.station'; autocomplete?: string };

export const IDENTITY_FIELDS: FieldSpec[] = [
  { path: 'family_name', kind: 'text', autocomplete: 'off' },
  { path: 'given_name', kind: 'text', autocomplete: 'off' },
  { path: 'birthdate', kind: 'date' },
  { path: 'sex', kind: 'sex' },
  { path: 'id_number', kind: 'text', hint: 'hint.id_number', autocomplete: 'off' },
  { path: 'nationality', kind: 'text' },
  { path: 'issuing_authority', kind: 'text' },
  { path: 'issuing_country', kind: 'text' },
  { path: 'portrait', kind: 'portrait', optional: true },
];

export const ADDRESS_FIELDS: FieldSpec[] = [
  { path: 'address.formatted', kind: 'text' },
  { path: 'address.region', kind: 'text' },
  { path: 'address.locality', kind: 'text' },
  { path: 'address.street_address', kind: 'text' },
  { path: 'address.postal_code', kind: 'text' },
];

export const EVIDENCE_FIELDS: FieldSpec[] = [
  { path: 'evidence.method', kind: 'method' },
  { path: 'evidence.station', kind: 'text', hint: 'hint.station' },
  { path: 'evidence.time', kind: 'datetime' },
];

export type FormValues = Record<string, string>;

/** `date` as the value of an <input type="datetime-local"> (local time, minutes). */
export function localDateTime(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

export function initialValues(now = new Date()): FormValues {
  return { sex: '', nationality: 'CN', issuing_country: 'CN', 'evidence.method': 'chip+face', 'evidence.station': '', 'evidence.time': localDateTime(now) };
}

/**
 * The claims object the form stands for: text as typed (empty optional fields left out, empty
 * required ones too, so the schema names them), sex as its number. Nothing is corrected here:
 * the shared validator judges it.
 */
export function claimsOf(values: FormValues): Record<string, unknown> {
  const claims: Record<string, unknown> = {};
  const address: Record<string, unknown> = {};
  for (const f of [...IDENTITY_FIELDS, ...ADDRESS_FIELDS]) {
    const v = values[f.path] ?? '';
    if (v === '') continue;
    if (f.path.startsWith('address.')) address[f.path.slice('address.'.length)] = v;
    else claims[f.path] = f.kind === 'sex' ? Number(v) : v;
  }
  claims.address = address;
  return claims;
}

/** The evidence object: the local date-time as RFC 3339 UTC (left as typed when it is not a date, for the server to name). */
export function evidenceOf(values: FormValues): Record<string, unknown> {
  const raw = values['evidence.time'] ?? '';
  const time = new Date(raw);
  return { method: values['evidence.method'], station: values['evidence.station'] ?? '', time: Number.isNaN(time.getTime()) ? raw : time.toISOString() };
}
