/**
 * How claims.schema.json is compiled, in one place: the server compiles it at load with these
 * options (validate.ts) and the enrollment console's build compiles it ahead of time with the
 * same ones (ajv standalone code: the page's Content-Security-Policy allows no eval).
 */
export const CLAIMS_AJV_OPTIONS = { allErrors: true, strict: true, allowUnionTypes: false } as const;

/** The ajv-formats formats the schema uses. */
export const CLAIMS_AJV_FORMATS = ['date'] as const;
