import type { DataSource } from 'typeorm';
import { recordJti, standalone } from '../store.js';
import type { Oid4vciState } from './types.js';

/**
 * The default state: the issuer store's own tables. Only the jti memory is a call of its own;
 * codes, tokens and nonces are spent inside the token and credential transactions (token.ts,
 * credential.ts), where they commit or roll back with what they guard.
 */
export function databaseState(ds: DataSource): Oid4vciState {
  return {
    backend: 'database',
    recordJti: (jtiHash, expiresAt) => recordJti(standalone(ds), jtiHash, expiresAt),
    health: async () => ({ backend: 'database', status: 'ok' }),
    close: async () => undefined,
  };
}
