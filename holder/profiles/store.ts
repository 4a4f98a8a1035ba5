import type { TypeProfiles } from '../../core/dcql/type-profiles.js';
import type { Wallet } from '../wallet.js';

/** The profiles a type of one issuer defines, as the wallet learned them. */
export type LearnedTypeProfiles = { iss: string; vct: string; profiles: TypeProfiles; learnedAt: number };

// Sealed like credentials: what a holder carries (and may present) is not readable while locked.
const aad = (iss: string, vct: string) => `type-profiles:${JSON.stringify([iss, vct])}`;

/** Stores (or replaces) the profiles of `vct` of `iss`; none at all removes the entry. */
export async function saveTypeProfiles(wallet: Wallet, iss: string, vct: string, profiles: TypeProfiles): Promise<void> {
  wallet.requireKey();
  if (Object.keys(profiles).length === 0) {
    await wallet.db.run('DELETE FROM type_profiles WHERE iss = ? AND vct = ?', [iss, vct]);
    return;
  }
  const sealed = wallet.sealRecord(Buffer.from(JSON.stringify(profiles), 'utf8'), aad(iss, vct));
  await wallet.db.run('INSERT OR REPLACE INTO type_profiles (iss, vct, learned_at, sealed) VALUES (?, ?, ?, ?)', [iss, vct, wallet.now(), sealed]);
}

/** Every learned type's profiles, by issuer then vct. */
export async function listTypeProfiles(wallet: Wallet): Promise<LearnedTypeProfiles[]> {
  wallet.requireKey();
  const rows = await wallet.db.all<{ iss: string; vct: string; learned_at: number; sealed: Buffer }>(
    'SELECT iss, vct, learned_at, sealed FROM type_profiles ORDER BY iss, vct',
  );
  return rows.map((r) => ({
    iss: r.iss,
    vct: r.vct,
    learnedAt: r.learned_at,
    profiles: JSON.parse(wallet.openRecord(r.sealed, aad(r.iss, r.vct)).toString('utf8')) as TypeProfiles,
  }));
}
