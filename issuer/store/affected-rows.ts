import type { EntityManager } from 'typeorm';

/** Rows changed by an INSERT/UPDATE (TypeORM reports it only in its structured result). */
export async function affectedRows(tx: EntityManager, sql: string, params: unknown[]): Promise<number> {
  const own = tx.queryRunner ? undefined : tx.connection.createQueryRunner();
  const runner = tx.queryRunner ?? own!;
  try {
    const result = await runner.query(sql, params, true);
    return result.affected ?? 0;
  } finally {
    // A runner of its own holds a pooled connection on PostgreSQL until released.
    await own?.release();
  }
}
