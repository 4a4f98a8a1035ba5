import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { InvalidInputError } from '../../core/errors.js';
import claimsSchema from './claims.schema.json' with { type: 'json' };
import { CLAIMS_AJV_FORMATS, CLAIMS_AJV_OPTIONS } from './ajv-options.js';
import { checkIdentityClaims } from './check.js';
import type { IdentityClaims } from './types.js';

// ajv-formats is CommonJS: under NodeNext its default import is the module object.
const addFormats = (addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ?? addFormatsModule;

const ajv = new Ajv2020({ ...CLAIMS_AJV_OPTIONS });
(addFormats as unknown as (a: Ajv2020, f: readonly string[]) => void)(ajv, CLAIMS_AJV_FORMATS);
const validateSchema = ajv.compile(claimsSchema);

/**
 * Validates issuance input against the claims schema and the cross-field rules (check.ts). Throws
 * ONE InvalidInputError (INVALID_INPUT) whose `details` list every failing field.
 */
export function validateIdentityClaims(input: unknown, options: { now?: Date } = {}): IdentityClaims {
  const result = checkIdentityClaims(validateSchema, input, options.now ?? new Date());
  if (result.ok) return result.claims;
  if (result.notAnObject) throw new InvalidInputError('identity claims must be a JSON object', result.details);
  const fields = [...new Set(result.details.map((d) => d.path))];
  throw new InvalidInputError(`invalid identity claims: ${fields.join(', ')}`, result.details);
}
