import type { ErrorObject } from 'ajv';
import type { ErrorDetail } from '../../core/errors.js';
import { isCountryCode } from './countries.js';
import { ageOn, isRealDate, todayUtc } from './dates.js';
import { idNumberCheckChar, parseIdNumber } from './id-number.js';
import { ADDRESS_CLAIM_NAMES, IDENTITY_CLAIM_NAMES, PORTRAIT_MAX_BYTES, type IdentityClaims } from './types.js';

/**
 * The identity claims rules after the JSON Schema: the schema's errors as field messages, the
 * cross-field rules, normalization. Pure (no Node API), so the enrollment console runs exactly
 * these checks in the browser, handed a validator compiled ahead of time from the same schema
 * (ajv-options.ts); the server hands the one ajv compiles at load (validate.ts).
 */

/** An ajv validate function of claims.schema.json (compiled at run time or ahead of time). */
export type ClaimsSchemaValidator = ((data: unknown) => boolean) & { errors?: ErrorObject[] | null };

export type ClaimsCheck = { ok: true; claims: IdentityClaims } | { ok: false; details: ErrorDetail[]; notAnObject: boolean };

const PORTRAIT_PREFIX = 'data:image/jpeg;base64,';

/** The dotted claim path an ajv error is about (`address.locality`; the member itself for required and additionalProperties). */
export function pathOf(e: ErrorObject): string {
  const base = e.instancePath
    .split('/')
    .slice(1)
    .map((s) => s.replaceAll('~1', '/').replaceAll('~0', '~'));
  if (e.keyword === 'required') base.push(String(e.params.missingProperty));
  if (e.keyword === 'additionalProperties') base.push(String(e.params.additionalProperty));
  return base.length ? base.join('.') : '$';
}

function messageOf(e: ErrorObject, path: string): string {
  switch (e.keyword) {
    case 'required':
      return 'is required';
    case 'additionalProperties':
      return 'is not a known claim';
    case 'enum':
      return `must be one of ${(e.params.allowedValues as unknown[]).join(', ')}`;
    case 'maxLength':
      return path === 'portrait' ? `must be a JPEG of at most ${PORTRAIT_MAX_BYTES} bytes` : `must be at most ${e.params.limit} characters`;
    case 'pattern':
      if (path === 'portrait') return `must be a data URL "${PORTRAIT_PREFIX}..."`;
      if (path === 'birthdate') return 'must be a date YYYY-MM-DD';
      if (path === 'id_number') return 'must be 17 digits followed by a digit or X';
      if (path === 'nationality' || path === 'issuing_country') return 'must be an ISO 3166-1 alpha-2 code';
      return `must match ${e.params.pattern}`;
    case 'format':
      return 'must be a real calendar date YYYY-MM-DD';
    default:
      return e.message ?? 'is invalid';
  }
}

/** Bytes of a base64 payload the schema accepted (length and padding; no decoding). */
function base64Length(b64: string): number {
  return (b64.length / 4) * 3 - (b64.endsWith('==') ? 2 : b64.endsWith('=') ? 1 : 0);
}

/** The first three bytes of a base64 payload (one 4-character group). */
function firstBytes(b64: string): number[] {
  const s = atob(b64.slice(0, 4));
  return [s.charCodeAt(0), s.charCodeAt(1), s.charCodeAt(2)];
}

/** Rules JSON Schema cannot express; run only on fields that passed the schema. */
function crossCheck(c: IdentityClaims, failed: Set<string>, now: Date): ErrorDetail[] {
  const errors: ErrorDetail[] = [];
  const ok = (p: string) => !failed.has(p);
  if (ok('birthdate') && c.birthdate > todayUtc(now)) errors.push({ path: 'birthdate', message: 'must not be in the future' });
  for (const p of ['nationality', 'issuing_country'] as const) {
    if (ok(p) && !isCountryCode(c[p])) errors.push({ path: p, message: `${c[p]} is not an ISO 3166-1 alpha-2 country code` });
  }
  if (ok('id_number')) {
    const parts = parseIdNumber(c.id_number)!;
    const expected = idNumberCheckChar(c.id_number.slice(0, 17));
    if (parts.check !== expected) errors.push({ path: 'id_number', message: `check character is ${parts.check}, MOD 11-2 gives ${expected}` });
    if (!isRealDate(parts.birthdate)) errors.push({ path: 'id_number', message: `birth date part ${parts.birthdate} is not a real date` });
    else if (ok('birthdate') && parts.birthdate !== c.birthdate) {
      errors.push({ path: 'id_number', message: `birth date part ${parts.birthdate} does not equal birthdate ${c.birthdate}` });
    }
    if (ok('sex') && (c.sex === 1 || c.sex === 2) && parts.sequence % 2 !== c.sex % 2) {
      errors.push({
        path: 'id_number',
        message: `sequence ${String(parts.sequence).padStart(3, '0')} is ${parts.sequence % 2 ? 'odd' : 'even'}, which disagrees with sex ${c.sex}`,
      });
    }
  }
  if (ok('birthdate') && ok('age_over_18') && c.age_over_18 !== undefined) {
    const derived = ageOn(c.birthdate, now) >= 18;
    if (c.age_over_18 !== derived) errors.push({ path: 'age_over_18', message: `is ${c.age_over_18}, but birthdate ${c.birthdate} gives ${derived}` });
  }
  if (ok('portrait') && c.portrait !== undefined) {
    const b64 = c.portrait.slice(PORTRAIT_PREFIX.length);
    const bytes = b64.length >= 4 ? firstBytes(b64) : [];
    if (base64Length(b64) > PORTRAIT_MAX_BYTES) errors.push({ path: 'portrait', message: `must be a JPEG of at most ${PORTRAIT_MAX_BYTES} bytes` });
    else if (!(bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff)) errors.push({ path: 'portrait', message: 'is not JPEG data' });
  }
  return errors;
}

/** Copies the known claims in a fixed order, deriving age_over_18 from birthdate when absent. */
function normalize(c: IdentityClaims, now: Date): IdentityClaims {
  const out: Record<string, unknown> = {};
  for (const name of IDENTITY_CLAIM_NAMES) {
    if (name === 'address') out.address = Object.fromEntries(ADDRESS_CLAIM_NAMES.map((k) => [k, c.address[k]]));
    else if (name === 'age_over_18') out.age_over_18 = c.age_over_18 ?? ageOn(c.birthdate, now) >= 18;
    else if (c[name] !== undefined) out[name] = c[name];
  }
  return out as IdentityClaims;
}

/** Checks claims against the schema (through `validateSchema`) and the cross-field rules: every failing field, or the normalized claims. */
export function checkIdentityClaims(validateSchema: ClaimsSchemaValidator, input: unknown, now: Date): ClaimsCheck {
  const details: ErrorDetail[] = [];
  const failed = new Set<string>();
  if (!validateSchema(input)) {
    for (const e of validateSchema.errors ?? []) {
      const path = pathOf(e);
      const message = messageOf(e, path);
      if (details.some((d) => d.path === path && d.message === message)) continue;
      details.push({ path, message });
      failed.add(path);
      failed.add(path.split('.')[0]!);
    }
  }
  if (!input || typeof input !== 'object' || Array.isArray(input)) return { ok: false, details, notAnObject: true };
  details.push(...crossCheck(input as IdentityClaims, failed, now));
  if (details.length) return { ok: false, details, notAnObject: false };
  return { ok: true, claims: normalize(input as IdentityClaims, now) };
}
