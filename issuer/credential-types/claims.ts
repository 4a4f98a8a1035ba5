import type { ErrorObject, ValidateFunction } from 'ajv';
import { decoyCount, type DisclosureFrame } from '../../core/sd-jwt/issue.js';
import { InvalidInputError, type ErrorDetail } from '../../core/errors.js';
import { pathOf } from '../../schemas/resident-identity/check.js';
import { compileClaimsSchema, type CredentialTypeDefinition } from './definition.js';

/** A registered type ready to issue: its definition, its compiled schema and what is disclosable. */
export type CompiledCredentialType = {
  definition: CredentialTypeDefinition;
  validate: ValidateFunction;
  /** Top-level claims minted in plain text (type metadata `sd: "never"`); every other claim is selectively disclosable. */
  plain: ReadonlySet<string>;
  /** Members of an object claim the metadata makes disclosable one by one (`path: [claim, member]`, sd not "never"). */
  members: ReadonlyMap<string, string[]>;
};

export function compileCredentialType(definition: CredentialTypeDefinition): CompiledCredentialType {
  const plain = new Set<string>();
  const members = new Map<string, string[]>();
  for (const c of definition.metadata.claims ?? []) {
    const [head, member, ...rest] = c.path;
    if (typeof head !== 'string') continue;
    if (member === undefined) {
      if (c.sd === 'never') plain.add(head);
    } else if (typeof member === 'string' && rest.length === 0 && c.sd !== 'never') members.set(head, [...(members.get(head) ?? []), member]);
  }
  return { definition, validate: compileClaimsSchema(definition.schema), plain, members };
}

function messageOf(e: ErrorObject): string {
  if (e.keyword === 'required') return 'is required';
  if (e.keyword === 'additionalProperties') return 'is not a known claim';
  if (e.keyword === 'enum') return `must be one of ${(e.params.allowedValues as unknown[]).join(', ')}`;
  return e.message ?? 'is invalid';
}

/** Claims checked against the type's JSON Schema: ONE INVALID_INPUT naming every failing field (an unregistered claim: "is not a known claim"). */
export function validateTypedClaims(type: CompiledCredentialType, input: unknown): Record<string, unknown> {
  if (typeof input !== 'object' || input === null || Array.isArray(input))
    throw new InvalidInputError(`${type.definition.name} claims must be a JSON object`, [{ path: '$', message: 'must be a JSON object' }]);
  if (type.validate(input)) return input as Record<string, unknown>;
  const details: ErrorDetail[] = [];
  const seen = new Set<string>();
  for (const e of type.validate.errors ?? []) {
    const d = { path: pathOf(e), message: messageOf(e) };
    const key = `${d.path}\n${d.message}`;
    if (!seen.has(key)) details.push(d);
    seen.add(key);
  }
  throw new InvalidInputError(`invalid ${type.definition.name} claims: ${[...new Set(details.map((d) => d.path))].join(', ')}`, details);
}

/** `sub` and every claim not `sd: "never"` disclosable, object members as the metadata lists them, decoys at the top. */
export function typedDisclosureFrame(type: CompiledCredentialType, claims: Record<string, unknown>): DisclosureFrame<Record<string, unknown>> {
  const frame: Record<string, unknown> = { _sd: ['sub', ...Object.keys(claims).filter((k) => !type.plain.has(k))], _sd_decoy: decoyCount(1, 3) };
  for (const [claim, names] of type.members) {
    const value = claims[claim];
    if (value && typeof value === 'object' && !Array.isArray(value)) frame[claim] = { _sd: names.filter((n) => Object.hasOwn(value, n)) };
  }
  return frame as unknown as DisclosureFrame<Record<string, unknown>>;
}
