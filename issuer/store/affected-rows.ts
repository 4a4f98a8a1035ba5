import type { EntityManager } from 'typeorm';

/** Rows changed by an INSERT/UPDATE (TypeORM reports it only in its structured result). */
export async function affectedRows(tx: EntityManager, sql: string, params: unknown[]): Promise<number> {
  const runner = tx.queryRunner ?? tx.connection.createQueryRunner();
  const result = await runner.query(sql, params, true);
  return result.affected ?? 0;
}
