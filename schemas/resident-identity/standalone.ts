import { Ajv2020 } from 'ajv/dist/2020.js';
import standaloneModule from 'ajv/dist/standalone/index.js';
import addFormatsModule from 'ajv-formats';
import claimsSchema from './claims.schema.json' with { type: 'json' };
import { CLAIMS_AJV_FORMATS, CLAIMS_AJV_OPTIONS } from './ajv-options.js';

// Both are CommonJS: under NodeNext their default import is the module object.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (a: Ajv2020, f: readonly string[]) => void;
const standaloneCode = ((standaloneModule as unknown as { default?: unknown }).default ?? standaloneModule) as (a: Ajv2020, v: unknown) => string;

/**
 * The ES module source of claims.schema.json's validator, compiled ahead of time with the
 * server's ajv options (ajv-options.ts): what the enrollment console's bundle validates with,
 * since its Content-Security-Policy forbids the eval that ajv's run-time compile needs. Its
 * default export is an ajv validate function (check.ts's ClaimsSchemaValidator).
 *
 * ajv's standalone code loads two run-time helpers with require(); they become ESM namespace
 * imports (a bundler's and Node's view of a CommonJS module both work), named through `resolve`
 * (bare package paths by default; a test gives file URLs).
 */
export function claimsValidatorSource(resolve: (specifier: string) => string = (s) => s): string {
  const ajv = new Ajv2020({ ...CLAIMS_AJV_OPTIONS, code: { source: true, esm: true } });
  addFormats(ajv, CLAIMS_AJV_FORMATS);
  const code = standaloneCode(ajv, ajv.compile(claimsSchema));
  const imports: string[] = [];
  const body = code.replace(/require\("([^"]+)"\)/g, (_m, specifier: string) => {
    const name = `__cjs${imports.length}`;
    imports.push(`import * as ${name} from ${JSON.stringify(resolve(specifier))};`);
    return `__exportsOf(${name})`;
  });
  // Node gives a CommonJS module's exports as `default`; a bundler spreads an __esModule module's exports.
  const helper = 'const __exportsOf = (ns) => (ns.default != null && ns.default.__esModule ? ns.default : ns);';
  return `${imports.join('\n')}\n${helper}\n${body.replace(/^"use strict";/, '')}`;
}
