import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { isClaimsPathPointer, type ClaimsPathPointer } from '../../core/dcql/claim-path.js';
import { TrustBundleError, type TypeMetadataEntry } from './bundle.js';

// ajv-formats is CommonJS: under NodeNext its default import is the module object.
const addFormats = (addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ?? addFormatsModule;

export type MetadataClaim = { path: ClaimsPathPointer; mandatory: boolean; sd: 'always' | 'allowed' | 'never' };

/** Type metadata compiled once at bundle load. */
export type CompiledTypeMetadata = {
  vct: string;
  metadata: Record<string, unknown>;
  claims: MetadataClaim[];
  validate?: ValidateFunction;
};

/**
 * Every claim may be undisclosed, so `required` cannot be checked by the schema: it is
 * removed (mandatory claims come from the type metadata, where `sd` says whether they may be hidden).
 */
function withoutRequired(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(withoutRequired);
  if (!schema || typeof schema !== 'object') return schema;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(schema)) {
    if (k === 'required' && Array.isArray(v)) continue;
    out[k] = withoutRequired(v);
  }
  return out;
}

function parseClaims(vct: string, metadata: Record<string, unknown>): MetadataClaim[] {
  const claims = metadata.claims ?? [];
  if (!Array.isArray(claims)) throw new TrustBundleError(`type metadata of ${vct}: claims must be an array`);
  return claims.map((c: unknown, n) => {
    const claim = c as Record<string, unknown>;
    const path = claim?.path;
    if (!isClaimsPathPointer(path)) throw new TrustBundleError(`type metadata of ${vct}: claims[${n}].path is invalid`);
    const sd = claim.sd ?? 'allowed';
    if (sd !== 'always' && sd !== 'allowed' && sd !== 'never') throw new TrustBundleError(`type metadata of ${vct}: claims[${n}].sd is invalid`);
    if (claim.mandatory !== undefined && typeof claim.mandatory !== 'boolean')
      throw new TrustBundleError(`type metadata of ${vct}: claims[${n}].mandatory must be a boolean`);
    return { path, mandatory: claim.mandatory === true, sd };
  });
}

export function compileTypeMetadata(entry: TypeMetadataEntry): CompiledTypeMetadata {
  if (entry.metadata.vct !== undefined && entry.metadata.vct !== entry.vct) {
    throw new TrustBundleError(`type metadata for ${entry.vct} names vct ${String(entry.metadata.vct)}`);
  }
  const out: CompiledTypeMetadata = { vct: entry.vct, metadata: entry.metadata, claims: parseClaims(entry.vct, entry.metadata) };
  if (entry.schema) {
    const ajv = new Ajv2020({ allErrors: false, strict: false, validateFormats: true });
    (addFormats as unknown as (a: Ajv2020, f: string[]) => void)(ajv, ['date', 'date-time', 'uri', 'email']);
    const schema = withoutRequired(entry.schema) as Record<string, unknown>;
    delete schema.$id;
    try {
      out.validate = ajv.compile(schema);
    } catch (cause) {
      throw new TrustBundleError(`JSON Schema of ${entry.vct} does not compile: ${(cause as Error).message}`, cause);
    }
  }
  return out;
}
