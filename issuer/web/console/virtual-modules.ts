/** The claims schema's validator compiled at build time (vite.config.ts, schemas/resident-identity/standalone.ts). */
declare module 'virtual:netcred/claims-validator' {
  import type { ClaimsSchemaValidator } from '../../../schemas/resident-identity/check.js';
  const validate: ClaimsSchemaValidator;
  export default validate;
}
