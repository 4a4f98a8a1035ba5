import { WalletError } from '../errors.js';
import type { Wallet } from '../wallet.js';

/** What the wallet knows of a credential's status from its last sync: `valid` or `suspended`. */
export type CredentialState = 'valid' | 'suspended';

/** What the wallet keeps in clear about a credential (no claim values). */
export type StoredCredentialInfo = {
  id: string;
  keyId: string;
  format: string;
  vct?: string;
  iss: string;
  issuerKid?: string;
  status?: { uri: string; idx: number };
  state: CredentialState;
  /** `exp` of the credential, seconds since the epoch. */
  expiresAt?: number;
  importedAt: number;
  checkedAt?: number;
  /** `vct` of the lite companion filed with this credential (the wallet presents it for `lite`), when there is one. */
  companion?: string;
};

type Row = {
  id: string;
  key_id: string;
  format: string;
  vct: string | null;
  iss: string;
  issuer_kid: string | null;
  status_uri: string | null;
  status_idx: number | null;
  state: string;
  expires_at: number | null;
  imported_at: number;
  checked_at: number | null;
  sealed: Buffer;
  companion_vct?: string | null;
};

function toInfo(r: Row): StoredCredentialInfo {
  const info: StoredCredentialInfo = { id: r.id, keyId: r.key_id, format: r.format, iss: r.iss, state: r.state as CredentialState, importedAt: r.imported_at };
  if (r.vct !== null) info.vct = r.vct;
  if (r.issuer_kid !== null) info.issuerKid = r.issuer_kid;
  if (r.status_uri !== null && r.status_idx !== null) info.status = { uri: r.status_uri, idx: r.status_idx };
  if (r.expires_at !== null) info.expiresAt = r.expires_at;
  if (r.checked_at !== null) info.checkedAt = r.checked_at;
  if (typeof r.companion_vct === 'string') info.companion = r.companion_vct;
  return info;
}

const aad = (id: string) => `credential:${id}`;
const SELECT_WITH_COMPANION = 'SELECT c.*, cc.vct AS companion_vct FROM credentials c LEFT JOIN credential_companions cc ON cc.credential_id = c.id';

export async function insertCredential(
  wallet: Wallet,
  c: Omit<StoredCredentialInfo, 'state' | 'importedAt' | 'checkedAt'> & { sdJwt: string },
): Promise<StoredCredentialInfo> {
  const sealed = wallet.sealRecord(Buffer.from(JSON.stringify({ sdJwt: c.sdJwt }), 'utf8'), aad(c.id));
  const exists = await wallet.db.get('SELECT id FROM credentials WHERE id = ?', [c.id]);
  if (exists) throw new WalletError('CREDENTIAL_EXISTS', `credential ${c.id} is already in the wallet`);
  const now = wallet.now();
  await wallet.db.run(
    `INSERT INTO credentials (id, key_id, format, vct, iss, issuer_kid, status_uri, status_idx, state, expires_at, imported_at, sealed)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'valid', ?, ?, ?)`,
    [c.id, c.keyId, c.format, c.vct ?? null, c.iss, c.issuerKid ?? null, c.status?.uri ?? null, c.status?.idx ?? null, c.expiresAt ?? null, now, sealed],
  );
  const { sdJwt: _s, ...rest } = c;
  void _s;
  return { ...rest, state: 'valid', importedAt: now };
}

/** Metadata of every stored credential. Requires the unlocked wallet (listing reveals what the holder carries). */
export async function listCredentials(wallet: Wallet): Promise<StoredCredentialInfo[]> {
  wallet.requireKey();
  const rows = await wallet.db.all<Row>(`${SELECT_WITH_COMPANION} ORDER BY c.imported_at, c.id`);
  return rows.map(toInfo);
}

/** Decrypts one credential's SD-JWT. */
export async function readCredential(wallet: Wallet, id: string): Promise<{ info: StoredCredentialInfo; sdJwt: string }> {
  wallet.requireKey();
  const row = await wallet.db.get<Row>(`${SELECT_WITH_COMPANION} WHERE c.id = ?`, [id]);
  if (!row) throw new WalletError('CREDENTIAL_NOT_FOUND', `no credential ${id}`);
  const { sdJwt } = JSON.parse(wallet.openRecord(row.sealed, aad(row.id)).toString('utf8')) as { sdJwt: string };
  return { info: toInfo(row), sdJwt };
}

/** Deletes a credential (and its companion record) from an unlocked wallet; false when there was none. */
export async function deleteCredential(wallet: Wallet, id: string): Promise<boolean> {
  wallet.requireKey();
  // The companion first, explicitly: ON DELETE CASCADE needs foreign_keys on this connection.
  await wallet.db.run('DELETE FROM credential_companions WHERE credential_id = ?', [id]);
  return (await wallet.db.run('DELETE FROM credentials WHERE id = ?', [id])).changes === 1;
}

const companionAad = (id: string) => `companion:${id}`;

/**
 * The stored credential a lite companion accompanies: same issuer, same holder key, same status
 * list entry (the issuer mints the companion on its credential's entry). Undefined when the
 * wallet has none, or the companion has no status entry to tell.
 */
export async function companionTarget(wallet: Wallet, c: { iss: string; keyId: string; status?: { uri: string; idx: number } }): Promise<string | undefined> {
  if (!c.status) return undefined;
  const row = await wallet.db.get<{ id: string }>(
    'SELECT id FROM credentials WHERE iss = ? AND key_id = ? AND status_uri = ? AND status_idx = ? ORDER BY imported_at DESC LIMIT 1',
    [c.iss, c.keyId, c.status.uri, c.status.idx],
  );
  return row?.id;
}

/** Files a lite companion under its credential (replacing an earlier one). */
export async function insertCompanion(wallet: Wallet, credentialId: string, vct: string, sdJwt: string): Promise<void> {
  const sealed = wallet.sealRecord(Buffer.from(JSON.stringify({ sdJwt }), 'utf8'), companionAad(credentialId));
  await wallet.db.run('INSERT OR REPLACE INTO credential_companions (credential_id, vct, sealed) VALUES (?, ?, ?)', [credentialId, vct, sealed]);
}

/** The lite companion of a credential (its SD-JWT), or undefined. */
export async function readCompanion(wallet: Wallet, credentialId: string): Promise<string | undefined> {
  wallet.requireKey();
  const row = await wallet.db.get<{ sealed: Buffer }>('SELECT sealed FROM credential_companions WHERE credential_id = ?', [credentialId]);
  if (!row) return undefined;
  return (JSON.parse(wallet.openRecord(row.sealed, companionAad(credentialId)).toString('utf8')) as { sdJwt: string }).sdJwt;
}

export async function setCredentialState(wallet: Wallet, id: string, state: CredentialState): Promise<void> {
  wallet.requireKey();
  await wallet.db.run('UPDATE credentials SET state = ?, checked_at = ? WHERE id = ?', [state, wallet.now(), id]);
}

/** The shortest prefix of a credential id that `findCredential` (and the issuer's status commands) accept. */
export const MIN_ID_PREFIX = 8;

/**
 * The credential a holder named: the id itself, else the one id starting with it (at least
 * MIN_ID_PREFIX characters). CREDENTIAL_NOT_FOUND names `netcred wallet list`;
 * CREDENTIAL_ID_AMBIGUOUS lists the candidates.
 */
export function findCredential(infos: StoredCredentialInfo[], ref: string): StoredCredentialInfo {
  const exact = infos.find((c) => c.id === ref);
  if (exact) return exact;
  const matches = ref.length >= MIN_ID_PREFIX ? infos.filter((c) => c.id.startsWith(ref)) : [];
  if (matches.length === 1) return matches[0]!;
  if (matches.length > 1) {
    throw new WalletError(
      'CREDENTIAL_ID_AMBIGUOUS',
      `${ref} is the start of ${matches.length} credential ids (${matches.map((c) => c.id).join(', ')}): give more of the id`,
      {
        details: matches.map((c) => ({ path: 'credential', message: c.id })),
      },
    );
  }
  const hint = ref.length < MIN_ID_PREFIX ? ` (a shortened id needs at least ${MIN_ID_PREFIX} characters)` : '';
  throw new WalletError(
    'CREDENTIAL_NOT_FOUND',
    `the wallet has no credential ${ref}${hint}: \`netcred wallet list\` prints the ids of the credentials it holds`,
    {
      details: [{ path: 'credential', message: ref }],
    },
  );
}

/** The issuer of a stored credential, or undefined when the wallet has no credential with that id. */
export async function storedIssuerOf(wallet: Wallet, id: string): Promise<string | undefined> {
  const row = await wallet.db.get<{ iss: string }>('SELECT iss FROM credentials WHERE id = ?', [id]);
  return row?.iss;
}
