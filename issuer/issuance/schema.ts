import type { MigrationInterface } from 'typeorm';

/** TypeORM migrations of the issuance record tables (run after Veramo's at issuer start). STUB. */
export const issuanceMigrations: Array<new () => MigrationInterface> = [];
