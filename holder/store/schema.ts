import type { Db } from './db.js';

export const WALLET_SCHEMA_VERSION = 1;

/**
 * Plaintext columns hold only what the wallet needs while locked or to route work
 * (ids, types, issuer, status reference, PIN throttling); private keys and the
 * credentials themselves are AES-256-GCM blobs (`sealed`). A credential's lite companion (same
 * issuer, key and status entry: docs/wallet.md) is a sealed blob filed under the credential's id,
 * gone with it; the table is created in wallets made before it (no version change). The
 * profiles (named DCQL queries) of a registered type, learned from its issuer, are sealed per
 * issuer and vct (`type_profiles`, also created in older wallets).
 */
export async function migrate(db: Db): Promise<void> {
  await db.exec(`
    PRAGMA journal_mode = WAL;
    PRAGMA busy_timeout = 5000;
    PRAGMA foreign_keys = ON;
    CREATE TABLE IF NOT EXISTS meta (k TEXT PRIMARY KEY, v TEXT NOT NULL);
    CREATE TABLE IF NOT EXISTS pin_state (
      id INTEGER PRIMARY KEY CHECK (id = 1),
      failures INTEGER NOT NULL DEFAULT 0,
      next_attempt_at INTEGER NOT NULL DEFAULT 0
    );
    CREATE TABLE IF NOT EXISTS holder_keys (
      id TEXT PRIMARY KEY,
      did TEXT NOT NULL,
      kid TEXT NOT NULL,
      alg TEXT NOT NULL,
      public_jwk TEXT NOT NULL,
      thumbprint TEXT NOT NULL UNIQUE,
      created_at INTEGER NOT NULL,
      sealed BLOB NOT NULL
    );
    CREATE TABLE IF NOT EXISTS credentials (
      id TEXT PRIMARY KEY,
      key_id TEXT NOT NULL REFERENCES holder_keys(id),
      format TEXT NOT NULL,
      vct TEXT,
      iss TEXT NOT NULL,
      issuer_kid TEXT,
      status_uri TEXT,
      status_idx INTEGER,
      state TEXT NOT NULL DEFAULT 'valid',
      expires_at INTEGER,
      imported_at INTEGER NOT NULL,
      checked_at INTEGER,
      sealed BLOB NOT NULL
    );
    CREATE TABLE IF NOT EXISTS type_profiles (
      iss TEXT NOT NULL,
      vct TEXT NOT NULL,
      learned_at INTEGER NOT NULL,
      sealed BLOB NOT NULL,
      PRIMARY KEY (iss, vct)
    );
    CREATE TABLE IF NOT EXISTS credential_companions (
      credential_id TEXT PRIMARY KEY REFERENCES credentials(id) ON DELETE CASCADE,
      vct TEXT NOT NULL,
      sealed BLOB NOT NULL
    );
  `);
}
