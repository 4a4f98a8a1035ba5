import { Entities, migrations as veramoMigrations } from '@veramo/data-store';
import sqlite3 from 'sqlite3';
import { DataSource } from 'typeorm';
import { storageErrorOf } from '../../core/storage-errors.js';
import { issuanceMigrations } from './schema/issuance.js';
import { statusMigrations } from './schema/status.js';
import { oid4vciMigrations } from './schema/oid4vci.js';
import { keyMigrations } from './schema/private-keys.js';
import { probeMigrations } from './probe.js';

/** How long a writer waits for another process's lock (CLI next to a running server). */
export const BUSY_TIMEOUT_MS = 5000;

/**
 * node-sqlite3 for TypeORM without its `verbose()` long stack traces: TypeORM's driver calls
 * `sqlite3.verbose()`, which wraps every query in an Error plus util.inspect of its parameters
 * (a few % of the CPU of an issuance). Effective while no other code in the process turns
 * verbose mode on (it patches the module globally).
 */
const quietSqlite3: typeof sqlite3 = Object.create(sqlite3, { verbose: { value: () => sqlite3 } });

/**
 * The issuer's TypeORM DataSource over one SQLite file: Veramo's entities, then Veramo's,
 * our key, issuance and status migrations (run at open). WAL lets a CLI process read and
 * write while `issuer serve` holds the same file.
 */
export function createIssuerDataSource(database: string): DataSource {
  return new DataSource({
    type: 'sqlite',
    driver: quietSqlite3,
    database,
    enableWAL: true,
    busyTimeout: BUSY_TIMEOUT_MS,
    synchronize: false,
    migrationsRun: true,
    logging: false,
    entities: Entities,
    migrations: [...veramoMigrations, ...keyMigrations, ...issuanceMigrations, ...statusMigrations, ...oid4vciMigrations, ...probeMigrations],
  });
}

/** Initializes the DataSource (runs pending migrations). */
export async function openIssuerDataSource(database: string): Promise<DataSource> {
  const ds = createIssuerDataSource(database);
  try {
    await ds.initialize();
  } catch (err) {
    if (ds.isInitialized) await ds.destroy().catch(() => undefined);
    throw storageErrorOf(err, `issuer database ${database}`) ?? err;
  }
  return ds;
}
