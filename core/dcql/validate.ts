import { NetcredError } from '../errors.js';
import { isClaimsPathPointer } from './claim-path.js';
import type { DcqlQuery } from './types.js';

/** A DCQL query that breaks a rule of OpenID4VP 1.0 section 6 or one of our bounds; `details` names where. */
export class DcqlError extends NetcredError {
  constructor(path: string, message: string) {
    super('DCQL_INVALID', `invalid DCQL query: ${path} ${message}`, { details: [{ path, message }] });
  }
}

/** Where wallet and verifier differ; the defaults are the whole of section 6. */
export type DcqlValidationOptions = {
  /** Credential formats the caller handles; any other is refused. Default: any (appendix B leaves the list open). */
  formats?: readonly string[];
  /** Whether `credential_sets` may be used (default true). */
  credentialSets?: boolean;
  /** At most this many credential queries (default 64). */
  maxCredentials?: number;
  /**
   * Whether to hold the query to what section 6 asks of its author (default true): `meta` with
   * the members its format requires, and no claim queried twice in one credential query. A
   * wallet reading someone else's query sets false: `meta` was OPTIONAL until draft 29, and
   * section 6.1 says wallets SHOULD ignore duplicate claim queries.
   */
  asAuthor?: boolean;
};

/** Sections 6.1 and 6.3: non-empty, alphanumeric, `_` or `-`; at most 64 characters is our bound. */
const ID = /^[A-Za-z0-9_-]{1,64}$/;
const MAX_CLAIMS = 64;
const MAX_PATH = 16;

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
const isStrings = (v: unknown): v is string[] => Array.isArray(v) && v.length > 0 && v.every((s) => typeof s === 'string');
/** Section 6.3: `values` holds strings, integers or booleans. */
const isValue = (v: unknown): boolean => typeof v === 'string' || typeof v === 'boolean' || Number.isSafeInteger(v);

type MetaRule = { name: string; required: boolean; ok: (v: unknown) => boolean; is: string };
const vctValues = (required: boolean): MetaRule => ({ name: 'vct_values', required, ok: isStrings, is: 'a non-empty array of strings' });
const TYPE_VALUES: MetaRule = {
  name: 'type_values',
  required: true,
  ok: (v) => Array.isArray(v) && v.length > 0 && v.every(isStrings),
  is: 'a non-empty array of non-empty arrays of strings',
};

/** The `meta` members of each format of appendix B; `vc+sd-jwt` (not a 1.0 format) names its type by `vct` as SD-JWT VC does. */
const META: Record<string, MetaRule[]> = {
  'dc+sd-jwt': [vctValues(true)],
  'vc+sd-jwt': [vctValues(false)],
  mso_mdoc: [{ name: 'doctype_value', required: true, ok: (v) => typeof v === 'string', is: 'a string' }],
  jwt_vc_json: [TYPE_VALUES],
  ldp_vc: [TYPE_VALUES],
};

function bad(path: string, message: string): DcqlError {
  return new DcqlError(path, message);
}

function checkMeta(meta: unknown, format: string, at: string, asAuthor: boolean): void {
  if (meta === undefined) {
    if (asAuthor) throw bad(`${at}.meta`, 'is required');
    return;
  }
  if (!isObject(meta)) throw bad(`${at}.meta`, 'must be an object');
  for (const rule of META[format] ?? []) {
    const v = meta[rule.name];
    if (v === undefined ? asAuthor && rule.required : !rule.ok(v)) throw bad(`${at}.meta.${rule.name}`, `must be ${rule.is}`);
  }
}

function checkClaims(c: Record<string, unknown>, at: string, asAuthor: boolean): Set<string> {
  const claimIds = new Set<string>();
  if (c.claims === undefined) return claimIds;
  if (!Array.isArray(c.claims) || c.claims.length === 0 || c.claims.length > MAX_CLAIMS)
    throw bad(`${at}.claims`, `must be a non-empty array (at most ${MAX_CLAIMS})`);
  const paths = new Set<string>();
  c.claims.forEach((q: unknown, j: number) => {
    const cat = `${at}.claims[${j}]`;
    if (!isObject(q)) throw bad(cat, 'is not an object');
    if (!isClaimsPathPointer(q.path) || q.path.length > MAX_PATH)
      throw bad(`${cat}.path`, `must be a non-empty array (at most ${MAX_PATH}) of strings, nulls and non-negative integers`);
    const path = JSON.stringify(q.path);
    if (asAuthor && paths.has(path)) throw bad(`${cat}.path`, 'points to a claim an earlier claims query points to');
    paths.add(path);
    if (q.values !== undefined && !(Array.isArray(q.values) && q.values.length > 0 && q.values.every(isValue)))
      throw bad(`${cat}.values`, 'must be a non-empty array of strings, integers or booleans');
    if (q.id === undefined) {
      if (c.claim_sets !== undefined) throw bad(`${cat}.id`, 'is required with claim_sets');
      return;
    }
    if (typeof q.id !== 'string' || !ID.test(q.id)) throw bad(`${cat}.id`, 'must be 1 to 64 of A-Z, a-z, 0-9, "_" and "-"');
    if (claimIds.has(q.id)) throw bad(`${cat}.id`, 'is not unique');
    claimIds.add(q.id);
  });
  return claimIds;
}

/** Each of `sets` is a non-empty array of known ids (claim_sets, credential_sets options). */
function checkIdSets(sets: unknown, known: Set<string>, at: string, what: string): void {
  if (!Array.isArray(sets) || sets.length === 0) throw bad(at, 'must be a non-empty array');
  sets.forEach((set: unknown, i: number) => {
    if (!Array.isArray(set) || set.length === 0 || !set.every((id) => typeof id === 'string' && known.has(id)))
      throw bad(`${at}[${i}]`, `must be a non-empty array of ${what}`);
  });
}

function checkCredentialQuery(c: unknown, at: string, ids: Set<string>, options: DcqlValidationOptions): void {
  const asAuthor = options.asAuthor ?? true;
  if (!isObject(c)) throw bad(at, 'is not an object');
  if (typeof c.id !== 'string' || !ID.test(c.id)) throw bad(`${at}.id`, 'must be 1 to 64 of A-Z, a-z, 0-9, "_" and "-"');
  if (ids.has(c.id)) throw bad(`${at}.id`, 'is not unique');
  ids.add(c.id);
  if (typeof c.format !== 'string' || c.format.length === 0) throw bad(`${at}.format`, 'must be a non-empty string');
  if (options.formats && !options.formats.includes(c.format)) throw bad(`${at}.format`, `must be one of ${options.formats.join(', ')}`);
  checkMeta(c.meta, c.format, at, asAuthor);
  for (const flag of ['multiple', 'require_cryptographic_holder_binding']) {
    if (c[flag] !== undefined && typeof c[flag] !== 'boolean') throw bad(`${at}.${flag}`, 'must be a boolean');
  }
  const ta = c.trusted_authorities;
  if (ta !== undefined && !(Array.isArray(ta) && ta.length > 0 && ta.every((t) => isObject(t) && typeof t.type === 'string' && isStrings(t.values)))) {
    throw bad(`${at}.trusted_authorities`, 'must be a non-empty array of { type, values: non-empty array of strings }');
  }
  const claimIds = checkClaims(c, at, asAuthor);
  if (c.claim_sets === undefined) return;
  if (c.claims === undefined) throw bad(`${at}.claim_sets`, 'requires claims');
  checkIdSets(c.claim_sets, claimIds, `${at}.claim_sets`, 'ids of claims of this credential query');
}

/**
 * Checks a DCQL query against OpenID4VP 1.0 section 6, strictly enough that matching cannot
 * misread it. Unknown members are ignored as section 6 requires (`purpose` of a credential set
 * among them: 1.0 dropped it).
 */
export function assertDcqlQuery(value: unknown, options: DcqlValidationOptions = {}): asserts value is DcqlQuery {
  if (!isObject(value)) throw bad('$', 'is not an object');
  const creds = value.credentials;
  const max = options.maxCredentials ?? 64;
  if (!Array.isArray(creds) || creds.length === 0 || creds.length > max) throw bad('credentials', `must be a non-empty array (at most ${max})`);
  const ids = new Set<string>();
  creds.forEach((c, i) => {
    checkCredentialQuery(c, `credentials[${i}]`, ids, options);
  });
  const sets = value.credential_sets;
  if (sets === undefined) return;
  if (options.credentialSets === false) throw bad('credential_sets', 'are not supported here: every credential query must be answered');
  if (!Array.isArray(sets) || sets.length === 0) throw bad('credential_sets', 'must be a non-empty array');
  sets.forEach((s, i) => {
    if (!isObject(s)) throw bad(`credential_sets[${i}]`, 'is not an object');
    checkIdSets(s.options, ids, `credential_sets[${i}].options`, 'credential query ids');
    if (s.required !== undefined && typeof s.required !== 'boolean') throw bad(`credential_sets[${i}].required`, 'must be a boolean');
  });
}
