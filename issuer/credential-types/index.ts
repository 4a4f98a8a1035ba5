export {
  listCredentialTypes,
  registerCredentialType,
  registeredTypeDefinition,
  registeredTypeDefinitions,
  compiledCredentialType,
  type CredentialTypeSummary,
} from './registry.js';
export { parseTypeDefinition, TYPE_FILES, TYPE_LIMITS, type CredentialTypeDefinition, type TypeDefinitionFiles } from './definition.js';
export { readTypeDirectory } from './read-dir.js';
export { validateTypedClaims, type CompiledCredentialType } from './claims.js';
export { mintTypedSdJwtVc } from './mint.js';
