import type { DataSource } from 'typeorm';

/** One row of netcred_private_key: public parts in clear, the private key sealed. */
export type PrivateKeyRow = { kid: string; type: string; publicKeyHex: string; sealed: string };

/** Raw SQL access to our sealed key table (no entity: the DataSource lists Veramo's only). */
export class PrivateKeyTable {
  constructor(private readonly ds: DataSource) {}

  async insert(row: PrivateKeyRow): Promise<void> {
    await this.ds.query(`INSERT INTO "netcred_private_key" ("kid", "type", "public_key_hex", "sealed", "created_at") VALUES (?, ?, ?, ?, ?)`, [
      row.kid,
      row.type,
      row.publicKeyHex,
      row.sealed,
      new Date().toISOString(),
    ]);
  }

  async get(kid: string): Promise<PrivateKeyRow | undefined> {
    const rows = (await this.ds.query(`SELECT "kid", "type", "public_key_hex" AS "publicKeyHex", "sealed" FROM "netcred_private_key" WHERE "kid" = ?`, [
      kid,
    ])) as PrivateKeyRow[];
    return rows[0];
  }

  async list(): Promise<Omit<PrivateKeyRow, 'sealed'>[]> {
    return (await this.ds.query(`SELECT "kid", "type", "public_key_hex" AS "publicKeyHex" FROM "netcred_private_key" ORDER BY "created_at"`)) as Omit<
      PrivateKeyRow,
      'sealed'
    >[];
  }

  async delete(kid: string): Promise<boolean> {
    const before = await this.get(kid);
    if (!before) return false;
    await this.ds.query(`DELETE FROM "netcred_private_key" WHERE "kid" = ?`, [kid]);
    return true;
  }
}
