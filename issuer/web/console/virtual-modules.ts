/**
 * The claims schema's validator compiled at build time (vite.config.ts, schemas/resident-identity/standalone.ts):
 * an ajv validate function, schemas/resident-identity/check.ts's ClaimsSchemaValidator. (A .ts, not a .d.ts: the
 * structure check reads every source file as a module.)
 */
declare module 'virtual:netcred/claims-validator' {
  const validate: ((data: unknown) => boolean) & { errors?: import('ajv').ErrorObject[] | null };
  export default validate;
}
