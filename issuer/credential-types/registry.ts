import { InvalidInputError } from '../../core/errors.js';
import { RESIDENT_IDENTITY_LITE_TYPE_METADATA, RESIDENT_IDENTITY_TYPE_METADATA } from '../../schemas/index.js';
import type { IssuerContext } from '../context.js';
import { writeTransaction } from '../store/write-lock.js';
import { compileCredentialType, type CompiledCredentialType } from './claims.js';
import { parseTypeDefinition, type CredentialTypeDefinition, type TypeDefinitionFiles } from './definition.js';
import { readTypeDirectory } from './read-dir.js';

/** A credential type the issuer can mint: the built-in resident identity (and its lite companion) and every registered type. */
export type CredentialTypeSummary = {
  vct: string;
  name: string;
  /** The resident identity and its companion ship with netcred; every other type was registered. */
  builtIn: boolean;
  subjectClaim?: string;
  /** Names of the type's profiles (named DCQL queries). */
  profiles: string[];
  /** Epoch seconds (registered types). */
  registeredAt?: number;
};

const BUILT_IN: CredentialTypeSummary[] = [
  {
    vct: RESIDENT_IDENTITY_TYPE_METADATA.vct,
    name: RESIDENT_IDENTITY_TYPE_METADATA.name ?? 'Resident identity credential',
    builtIn: true,
    subjectClaim: 'id_number',
    profiles: ['lite', 'upgraded'],
  },
  {
    vct: RESIDENT_IDENTITY_LITE_TYPE_METADATA.vct,
    name: RESIDENT_IDENTITY_LITE_TYPE_METADATA.name ?? 'Resident identity credential, lite companion',
    builtIn: true,
    profiles: [],
  },
];

type Row = { vct: string; name: string; definition: string; registered_at: number | string };

function summaryOf(def: CredentialTypeDefinition, registeredAt: number): CredentialTypeSummary {
  const out: CredentialTypeSummary = { vct: def.vct, name: def.name, builtIn: false, profiles: Object.keys(def.profiles), registeredAt };
  if (def.subjectClaim !== undefined) out.subjectClaim = def.subjectClaim;
  return out;
}

/**
 * Registers a credential type from its directory (`netcred issuer type add DIR`) or its files'
 * texts: checked strictly (TYPE_DEFINITION_INVALID naming each failing field), then stored in the
 * issuer's store, where every process of the issuer (serve workers, the CLI) reads it. A vct
 * registered already is refused (INVALID_INPUT, field vct) unless `replace`: credentials issued
 * under the old definition keep their claims, and verifiers take the new one at their next sync.
 */
export async function registerCredentialType(
  ctx: IssuerContext,
  source: string | TypeDefinitionFiles,
  options: { replace?: boolean; now?: Date } = {},
): Promise<CredentialTypeSummary> {
  const definition = parseTypeDefinition(typeof source === 'string' ? readTypeDirectory(source) : source);
  const registeredAt = Math.floor((options.now ?? new Date()).getTime() / 1000);
  const text = JSON.stringify(definition);
  await writeTransaction(ctx.dataSource, async (tx) => {
    const existing = (await tx.query(`SELECT "vct" FROM "credential_type" WHERE "vct" = ?`, [definition.vct])) as unknown[];
    if (existing.length && !options.replace)
      throw new InvalidInputError(`credential type ${definition.vct} is already registered (replace it with --replace)`, [
        { path: 'vct', message: 'is already registered' },
      ]);
    if (existing.length)
      await tx.query(`UPDATE "credential_type" SET "name" = ?, "definition" = ?, "registered_at" = ? WHERE "vct" = ?`, [
        definition.name,
        text,
        registeredAt,
        definition.vct,
      ]);
    else
      await tx.query(`INSERT INTO "credential_type" ("vct", "name", "definition", "registered_at") VALUES (?, ?, ?, ?)`, [
        definition.vct,
        definition.name,
        text,
        registeredAt,
      ]);
  });
  return summaryOf(definition, registeredAt);
}

async function rows(ctx: IssuerContext, vct?: string): Promise<Row[]> {
  if (vct !== undefined)
    return (await ctx.dataSource.query(`SELECT "vct", "name", "definition", "registered_at" FROM "credential_type" WHERE "vct" = ?`, [vct])) as Row[];
  return (await ctx.dataSource.query(`SELECT "vct", "name", "definition", "registered_at" FROM "credential_type" ORDER BY "vct"`)) as Row[];
}

/** The built-in types first, then every registered type by vct. */
export async function listCredentialTypes(ctx: IssuerContext): Promise<CredentialTypeSummary[]> {
  const registered = (await rows(ctx)).map((r) => summaryOf(JSON.parse(r.definition) as CredentialTypeDefinition, Number(r.registered_at)));
  return [...BUILT_IN.map((b) => ({ ...b, profiles: [...b.profiles] })), ...registered];
}

/** Every registered type's definition (the issuer's discovery serves their metadata). */
export async function registeredTypeDefinitions(ctx: IssuerContext): Promise<CredentialTypeDefinition[]> {
  return (await rows(ctx)).map((r) => JSON.parse(r.definition) as CredentialTypeDefinition);
}

export async function registeredTypeDefinition(ctx: IssuerContext, vct: string): Promise<CredentialTypeDefinition | undefined> {
  const [row] = await rows(ctx, vct);
  return row ? (JSON.parse(row.definition) as CredentialTypeDefinition) : undefined;
}

// Compiled schemas by definition text: read per issuance (another process may have replaced the
// type), compiled once per definition.
const compiled = new Map<string, CompiledCredentialType>();
const MAX_COMPILED = 64;

/** A registered type ready to issue, or undefined when the vct is not registered. */
export async function compiledCredentialType(ctx: IssuerContext, vct: string): Promise<CompiledCredentialType | undefined> {
  const [row] = await rows(ctx, vct);
  if (!row) return undefined;
  let type = compiled.get(row.definition);
  if (!type) {
    type = compileCredentialType(JSON.parse(row.definition) as CredentialTypeDefinition);
    if (compiled.size >= MAX_COMPILED) compiled.delete(compiled.keys().next().value!);
    compiled.set(row.definition, type);
  }
  return type;
}
