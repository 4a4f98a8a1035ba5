import { Entities, migrations as veramoMigrations } from '@veramo/data-store';
import sqlite3 from 'sqlite3';
import { DataSource } from 'typeorm';
import { storageErrorOf } from '../../core/storage-errors.js';
import { issuanceMigrations } from './schema/issuance.js';
import { statusMigrations } from './schema/status.js';
import { oid4vciMigrations } from './schema/oid4vci.js';
import { keyMigrations } from './schema/private-keys.js';
import { credentialTypeMigrations } from './schema/credential-types.js';
import { probeMigrations } from './probe.js';
import { pgQueryRunners, sqliteImmediateTransactions } from './dialect.js';

/**
 * How long a writer waits for another process's lock (a CLI next to a running server, or the
 * workers of `issuer serve --workers N` on one file) before STORAGE_UNAVAILABLE: long enough
 * that a loaded machine's queue of group commits is waited out, not refused.
 */
export const BUSY_TIMEOUT_MS = 30_000;

/**
 * node-sqlite3 for TypeORM without its `verbose()` long stack traces: TypeORM's driver calls
 * `sqlite3.verbose()`, which wraps every query in an Error plus util.inspect of its parameters
 * (a few % of the CPU of an issuance). Effective while no other code in the process turns
 * verbose mode on (it patches the module globally).
 */
const quietSqlite3: typeof sqlite3 = Object.create(sqlite3, { verbose: { value: () => sqlite3 } });

const MIGRATIONS = [
  ...veramoMigrations,
  ...keyMigrations,
  ...issuanceMigrations,
  ...statusMigrations,
  ...oid4vciMigrations,
  ...credentialTypeMigrations,
  ...probeMigrations,
];

/** A PostgreSQL connection URL (`postgres://` or `postgresql://`) rather than a SQLite file. */
export function isStoreUrl(database: string): boolean {
  return /^postgres(ql)?:\/\//i.test(database);
}

/** A store location fit for messages: a URL without its password. */
export function describeStore(database: string): string {
  if (!isStoreUrl(database)) return database;
  try {
    const url = new URL(database);
    if (url.password) url.password = '***';
    return url.href;
  } catch {
    return 'postgres://(unparsable URL)';
  }
}

/** How long a PostgreSQL connection attempt may take before the store counts as unavailable. */
export const PG_CONNECT_TIMEOUT_MS = 5000;
/** Connections per issuer process: writes are one at a time (the write lock); reads and the publisher use the rest. */
export const PG_POOL_SIZE = 4;

/**
 * The issuer's TypeORM DataSource: Veramo's entities, then Veramo's, our key, issuance,
 * status, OpenID4VCI and probe migrations (run at open), over one SQLite file or a PostgreSQL
 * database (`database` a postgres:// URL). On SQLite, WAL lets a CLI process read and write
 * while `issuer serve` holds the same file. On PostgreSQL, BIGINT columns are read as numbers
 * (parseInt8; ours hold epoch seconds and counts) and our `?` placeholders are rewritten
 * (dialect.ts).
 */
export function createIssuerDataSource(database: string): DataSource {
  const common = { synchronize: false, migrationsRun: true, logging: false, entities: Entities, migrations: MIGRATIONS } as const;
  if (isStoreUrl(database)) {
    const ds = new DataSource({
      type: 'postgres',
      url: database,
      parseInt8: true,
      connectTimeoutMS: PG_CONNECT_TIMEOUT_MS,
      poolSize: PG_POOL_SIZE,
      // The pool's 'error' on an idle connection (the server went away) is not an application
      // error: the connection is dropped and the next query opens another one.
      extra: { idleTimeoutMillis: 30_000 },
      ...common,
    });
    pgQueryRunners(ds);
    return ds;
  }
  const ds = new DataSource({ type: 'sqlite', driver: quietSqlite3, database, enableWAL: true, busyTimeout: BUSY_TIMEOUT_MS, ...common });
  sqliteImmediateTransactions(ds);
  return ds;
}

/** Initializes the DataSource (runs pending migrations). */
export async function openIssuerDataSource(database: string): Promise<DataSource> {
  const ds = createIssuerDataSource(database);
  try {
    await ds.initialize();
  } catch (err) {
    if (ds.isInitialized) await ds.destroy().catch(() => undefined);
    throw storageErrorOf(err, `issuer database ${describeStore(database)}`) ?? err;
  }
  return ds;
}
