import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { isClaimsPathPointer } from '../../core/dcql/claim-path.js';
import { assertDcqlQuery } from '../../core/dcql/validate.js';
import { BUILT_IN_PROFILE_NAMES } from '../../core/dcql/type-profiles.js';
import type { DcqlQuery } from '../../core/dcql/types.js';
import { jsonDepth } from '../../core/encoding/json.js';
import { NetcredError, type ErrorDetail } from '../../core/errors.js';
import { RESIDENT_IDENTITY_LITE_VCT, RESIDENT_IDENTITY_VCT } from '../../schemas/profiles/index.js';
import type { TypeMetadata } from '../../schemas/index.js';

// ajv-formats is CommonJS: under NodeNext its default import is the module object.
const addFormats = (addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ?? addFormatsModule;

/** Bounds of a type directory's files (bytes, JSON nesting) and of its profiles. */
export const TYPE_LIMITS = { fileBytes: 64 * 1024, schemaDepth: 16, profiles: 16, profileBytes: 16 * 1024 } as const;

/** The file names of a credential type directory (docs/issuer.md, Registering a credential type). */
export const TYPE_FILES = {
  type: 'type.json',
  schema: 'claims.schema.json',
  metadata: 'type-metadata.json',
  profiles: 'profiles',
  profileSuffix: '.dcql.json',
} as const;

/** A registered credential type: what `type.json` says, its JSON Schema, SD-JWT VC type metadata and named DCQL queries. */
export type CredentialTypeDefinition = {
  vct: string;
  name: string;
  description?: string;
  /** A claim naming the subject: a re-issue with the same value supersedes the earlier credential (like id_number for the resident identity). */
  subjectClaim?: string;
  schema: Record<string, unknown>;
  metadata: TypeMetadata;
  profiles: Record<string, DcqlQuery>;
};

/** The texts of a type directory as read (read-dir.ts), or given by a library caller. */
export type TypeDefinitionFiles = { type: string; schema: string; metadata: string; profiles?: Record<string, string> };

/** Claims of the SD-JWT VC envelope: a type cannot declare them. */
const RESERVED_CLAIMS = new Set(['iss', 'sub', 'iat', 'nbf', 'exp', 'jti', 'aud', 'cnf', 'vct', 'vct#integrity', 'status', '_sd', '_sd_alg', '...']);
const TYPE_KEYS = new Set(['vct', 'name', 'description', 'subject_claim']);
const METADATA_CLAIM_KEYS = new Set(['path', 'display', 'sd', 'mandatory', 'svg_id']);
const PROFILE_NAME = /^[a-z0-9][a-z0-9_-]{0,31}$/;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function refuse(details: ErrorDetail[]): never {
  throw new NetcredError('TYPE_DEFINITION_INVALID', `invalid credential type definition: ${details.map((d) => `${d.path} ${d.message}`).join('; ')}`, {
    details,
  });
}

function parseFile(text: unknown, file: string, details: ErrorDetail[], maxBytes: number = TYPE_LIMITS.fileBytes): unknown {
  if (typeof text !== 'string') {
    details.push({ path: file, message: "must be given as the file's text" });
    return undefined;
  }
  if (Buffer.byteLength(text, 'utf8') > maxBytes) {
    details.push({ path: file, message: `is larger than ${maxBytes} bytes` });
    return undefined;
  }
  if (jsonDepth(text, TYPE_LIMITS.schemaDepth) > TYPE_LIMITS.schemaDepth) {
    details.push({ path: file, message: `nests deeper than ${TYPE_LIMITS.schemaDepth} levels` });
    return undefined;
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (cause) {
    details.push({ path: file, message: `is not valid JSON (${(cause as Error).message})` });
    return undefined;
  }
}

function checkString(obj: Record<string, unknown>, key: string, at: string, details: ErrorDetail[], max: number, required: boolean): string | undefined {
  const v = obj[key];
  if (v === undefined && !required) return undefined;
  if (typeof v !== 'string' || v.trim() === '' || v.length > max) {
    details.push({ path: `${at}#/${key}`, message: `must be a non-empty string of at most ${max} characters` });
    return undefined;
  }
  return v;
}

function checkType(value: unknown, details: ErrorDetail[]): { vct?: string; name?: string; description?: string; subjectClaim?: string } {
  const at = TYPE_FILES.type;
  if (!isObject(value)) {
    if (value !== undefined) details.push({ path: at, message: 'must be a JSON object' });
    return {};
  }
  for (const k of Object.keys(value))
    if (!TYPE_KEYS.has(k)) details.push({ path: `${at}#/${k}`, message: `is not a known member (${[...TYPE_KEYS].join(', ')})` });
  const vct = checkString(value, 'vct', at, details, 512, true);
  if (vct !== undefined && (/\s/.test(vct) || !/^[a-z][a-z0-9+.-]*:/i.test(vct)))
    details.push({ path: `${at}#/vct`, message: 'must be a URI (e.g. urn:example:vct:library-card:1 or https://...)' });
  if (vct === RESIDENT_IDENTITY_VCT || vct === RESIDENT_IDENTITY_LITE_VCT) details.push({ path: `${at}#/vct`, message: 'is a built-in type of netcred' });
  const name = checkString(value, 'name', at, details, 200, true);
  const description = checkString(value, 'description', at, details, 2000, false);
  const subjectClaim = checkString(value, 'subject_claim', at, details, 128, false);
  return { vct, name, description, subjectClaim };
}

/** The top-level claims the schema declares, or undefined (with details) when it cannot be used. */
function checkSchema(value: unknown, details: ErrorDetail[]): Record<string, unknown> | undefined {
  const at = TYPE_FILES.schema;
  if (!isObject(value)) {
    if (value !== undefined) details.push({ path: at, message: 'must be a JSON Schema object' });
    return undefined;
  }
  const before = details.length;
  if (value.type !== 'object') details.push({ path: `${at}#/type`, message: 'must be "object" (the claims are a JSON object)' });
  if (value.additionalProperties !== false)
    details.push({ path: `${at}#/additionalProperties`, message: 'must be false (a claim the schema does not name is refused)' });
  const properties = value.properties;
  if (!isObject(properties) || Object.keys(properties).length === 0) details.push({ path: `${at}#/properties`, message: 'must name at least one claim' });
  else
    for (const k of Object.keys(properties))
      if (RESERVED_CLAIMS.has(k)) details.push({ path: `${at}#/properties/${k}`, message: 'is a claim of the SD-JWT VC envelope, not of a credential type' });
  if (details.length > before) return undefined;
  try {
    compileClaimsSchema(value);
  } catch (cause) {
    details.push({ path: at, message: `does not compile under ajv strict mode: ${(cause as Error).message}` });
    return undefined;
  }
  return properties as Record<string, unknown>;
}

/** The issuance validator of a type's claims: ajv strict, every error (a fresh instance: `$id`s of two types never collide). */
export function compileClaimsSchema(schema: Record<string, unknown>) {
  const ajv = new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: false });
  (addFormats as unknown as (a: Ajv2020, f: string[]) => void)(ajv, ['date', 'date-time', 'uri', 'email']);
  return ajv.compile(schema);
}

function checkMetadata(value: unknown, vct: string | undefined, claims: Record<string, unknown> | undefined, details: ErrorDetail[]): void {
  const at = TYPE_FILES.metadata;
  if (!isObject(value)) {
    if (value !== undefined) details.push({ path: at, message: 'must be a JSON object' });
    return;
  }
  if (vct !== undefined && value.vct !== vct) details.push({ path: `${at}#/vct`, message: `must be the vct of ${TYPE_FILES.type} (${vct})` });
  for (const k of ['extends', 'schema', 'schema_uri', 'schema_uri#integrity', 'extends#integrity']) {
    if (value[k] !== undefined)
      details.push({
        path: `${at}#/${k}`,
        message: k.startsWith('schema') ? `is set by the issuer from ${TYPE_FILES.schema}` : 'is not supported (a registered type stands alone)',
      });
  }
  for (const k of ['name', 'description'])
    if (value[k] !== undefined && typeof value[k] !== 'string') details.push({ path: `${at}#/${k}`, message: 'must be a string' });
  if (value.display !== undefined && !Array.isArray(value.display)) details.push({ path: `${at}#/display`, message: 'must be an array' });
  if (value.claims === undefined) return;
  if (!Array.isArray(value.claims)) {
    details.push({ path: `${at}#/claims`, message: 'must be an array' });
    return;
  }
  const seen = new Set<string>();
  value.claims.forEach((c: unknown, i) => {
    const p = `${at}#/claims/${i}`;
    if (!isObject(c)) {
      details.push({ path: p, message: 'must be an object' });
      return;
    }
    for (const k of Object.keys(c)) if (!METADATA_CLAIM_KEYS.has(k)) details.push({ path: `${p}/${k}`, message: 'is not a member of a type metadata claim' });
    if (!isClaimsPathPointer(c.path) || c.path.length === 0) details.push({ path: `${p}/path`, message: 'must be a non-empty claims path pointer' });
    else if (typeof c.path[0] !== 'string' || (claims && !Object.hasOwn(claims, c.path[0])))
      details.push({ path: `${p}/path`, message: `names no claim of ${TYPE_FILES.schema}` });
    else if (seen.has(JSON.stringify(c.path))) details.push({ path: `${p}/path`, message: 'is listed twice' });
    else seen.add(JSON.stringify(c.path));
    if (c.sd !== undefined && c.sd !== 'always' && c.sd !== 'allowed' && c.sd !== 'never')
      details.push({ path: `${p}/sd`, message: 'must be "always", "allowed" or "never"' });
    if (c.mandatory !== undefined && typeof c.mandatory !== 'boolean') details.push({ path: `${p}/mandatory`, message: 'must be a boolean' });
    if (c.display !== undefined && !Array.isArray(c.display)) details.push({ path: `${p}/display`, message: 'must be an array' });
  });
}

function checkProfiles(
  files: Record<string, string>,
  vct: string | undefined,
  claims: Record<string, unknown> | undefined,
  details: ErrorDetail[],
): Record<string, DcqlQuery> {
  const out: Record<string, DcqlQuery> = {};
  const names = Object.keys(files);
  if (names.length > TYPE_LIMITS.profiles) details.push({ path: TYPE_FILES.profiles, message: `holds more than ${TYPE_LIMITS.profiles} profiles` });
  for (const name of names.slice(0, TYPE_LIMITS.profiles)) {
    const at = `${TYPE_FILES.profiles}/${name}${TYPE_FILES.profileSuffix}`;
    if (!PROFILE_NAME.test(name)) {
      details.push({ path: at, message: 'profile names are 1-32 of a-z, 0-9, - and _, starting with a letter or digit' });
      continue;
    }
    if (BUILT_IN_PROFILE_NAMES.includes(name)) {
      details.push({ path: at, message: 'is the name of a built-in profile (--profile lite|upgraded always means those)' });
      continue;
    }
    const query = parseFile(files[name]!, at, details, TYPE_LIMITS.profileBytes);
    if (query === undefined) continue;
    try {
      assertDcqlQuery(query, { credentialSets: false });
    } catch (cause) {
      details.push({ path: at, message: `is not a valid DCQL query: ${(cause as Error).message}` });
      continue;
    }
    const before = details.length;
    query.credentials.forEach((c, i) => {
      const p = `${at}#/credentials/${i}`;
      if (c.format !== 'dc+sd-jwt') details.push({ path: `${p}/format`, message: 'must be "dc+sd-jwt" (a registered type is minted as an SD-JWT VC)' });
      if (vct !== undefined && (c.meta?.vct_values?.length !== 1 || c.meta.vct_values[0] !== vct))
        details.push({ path: `${p}/meta/vct_values`, message: `must be ["${vct}"]` });
      (c.claims ?? []).forEach((q, j) => {
        const head = q.path[0];
        if (claims && (typeof head !== 'string' || !Object.hasOwn(claims, head)))
          details.push({ path: `${p}/claims/${j}/path`, message: `names no claim of ${TYPE_FILES.schema}` });
      });
    });
    if (details.length === before) out[name] = query;
  }
  return out;
}

/**
 * Parses and checks a credential type directory's files; every failing field in ONE
 * TYPE_DEFINITION_INVALID (`details[].path` is `file#/json/pointer`). Strict: unknown members of
 * type.json and of metadata claims, a schema that accepts unnamed claims or declares an envelope
 * claim, metadata for another vct or naming claims the schema does not have, profiles that ask
 * for another type: all refused.
 */
export function parseTypeDefinition(files: TypeDefinitionFiles): CredentialTypeDefinition {
  const details: ErrorDetail[] = [];
  if (!isObject(files)) refuse([{ path: '$', message: 'must be {type, schema, metadata, profiles?}: the texts of the type directory' }]);
  if (files.profiles !== undefined && !isObject(files.profiles)) refuse([{ path: TYPE_FILES.profiles, message: 'must map profile names to DCQL texts' }]);
  const type = checkType(parseFile(files.type, TYPE_FILES.type, details), details);
  const schema = parseFile(files.schema, TYPE_FILES.schema, details);
  const claims = checkSchema(schema, details);
  if (type.subjectClaim !== undefined && claims && !Object.hasOwn(claims, type.subjectClaim))
    details.push({ path: `${TYPE_FILES.type}#/subject_claim`, message: `names no claim of ${TYPE_FILES.schema}` });
  if (type.subjectClaim !== undefined && isObject(schema) && !(Array.isArray(schema.required) && schema.required.includes(type.subjectClaim))) {
    details.push({ path: `${TYPE_FILES.type}#/subject_claim`, message: `must be a required claim of ${TYPE_FILES.schema}` });
  }
  const metadata = parseFile(files.metadata, TYPE_FILES.metadata, details);
  checkMetadata(metadata, type.vct, claims, details);
  const profiles = checkProfiles(files.profiles ?? {}, type.vct, claims, details);
  if (details.length) refuse(details);
  const def: CredentialTypeDefinition = {
    vct: type.vct!,
    name: type.name!,
    schema: schema as Record<string, unknown>,
    metadata: metadata as TypeMetadata,
    profiles,
  };
  if (type.description !== undefined) def.description = type.description;
  if (type.subjectClaim !== undefined) def.subjectClaim = type.subjectClaim;
  return def;
}
