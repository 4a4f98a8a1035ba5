import type { EntityManager } from 'typeorm';
import { NetcredError } from '../../core/errors.js';
import { entryOf, notFound, type EntryWithUri } from './store.js';

/** The shortest start of a credential id the status commands accept for the whole id. */
export const MIN_CREDENTIAL_ID_PREFIX = 8;
/** Candidates an ambiguity error lists at most. */
const SHOWN = 5;

/**
 * The status entry a caller named: the credential id (the issuance record's UUIDv7, which the
 * credential carries as `jti` and the wallet lists), else the one id that starts with it (at
 * least MIN_CREDENTIAL_ID_PREFIX characters). CREDENTIAL_NOT_FOUND, or CREDENTIAL_ID_AMBIGUOUS
 * naming the candidates.
 */
export async function entryNamed(tx: EntityManager, ref: string): Promise<EntryWithUri> {
  const exact = await entryOf(tx, ref);
  if (exact) return exact;
  if (ref.length < MIN_CREDENTIAL_ID_PREFIX) throw notFound(ref);
  // substr rather than LIKE: an id may hold % or _; the same SQL runs on SQLite and PostgreSQL.
  const rows = (await tx.query('SELECT "credential_id" FROM "status_entry" WHERE substr("credential_id", 1, ?) = ? ORDER BY "credential_id" LIMIT ?', [
    ref.length,
    ref,
    SHOWN + 1,
  ])) as { credential_id: string }[];
  if (rows.length === 0) throw notFound(ref);
  if (rows.length > 1) {
    const ids = rows.slice(0, SHOWN).map((r) => r.credential_id);
    throw new NetcredError(
      'CREDENTIAL_ID_AMBIGUOUS',
      `${ref} is the start of ${rows.length > SHOWN ? `more than ${SHOWN}` : rows.length} credential ids (${ids.join(', ')}${rows.length > SHOWN ? ', ...' : ''}): give more of the id`,
      {
        details: ids.map((id) => ({ path: 'credential', message: id })),
      },
    );
  }
  return (await entryOf(tx, rows[0]!.credential_id))!;
}
