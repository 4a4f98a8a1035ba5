import validateSchema from 'virtual:netcred/claims-validator';
import { checkIdentityClaims } from '../../../schemas/resident-identity/check.js';

export type FieldError = { path: string; message: string };

/**
 * The identity claims checked in the page exactly as the issuer checks them: the same JSON
 * Schema (compiled at build time with the server's ajv options) and the same cross-field rules
 * (schemas/resident-identity/check.ts). Paths are claim paths ('id_number', 'address.postal_code').
 */
export function claimsErrors(claims: unknown, now = new Date()): FieldError[] {
  const result = checkIdentityClaims(validateSchema, claims, now);
  return result.ok ? [] : result.details;
}

/** A server detail's path as a form field's ('claims.id_number' -> 'id_number'; 'evidence.time' kept). */
export function formPath(serverPath: string): string {
  return serverPath.startsWith('claims.') ? serverPath.slice('claims.'.length) : serverPath;
}
