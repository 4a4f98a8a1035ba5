import type { MigrationInterface } from 'typeorm';

/** TypeORM migrations of the status tables (run after Veramo's at issuer start). STUB. */
export const statusMigrations: Array<new () => MigrationInterface> = [];
