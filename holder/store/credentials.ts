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
};

function toInfo(r: Row): StoredCredentialInfo {
  const info: StoredCredentialInfo = { id: r.id, keyId: r.key_id, format: r.format, iss: r.iss, state: r.state as CredentialState, importedAt: r.imported_at };
  if (r.vct !== null) info.vct = r.vct;
  if (r.issuer_kid !== null) info.issuerKid = r.issuer_kid;
  if (r.status_uri !== null && r.status_idx !== null) info.status = { uri: r.status_uri, idx: r.status_idx };
  if (r.expires_at !== null) info.expiresAt = r.expires_at;
  if (r.checked_at !== null) info.checkedAt = r.checked_at;
  return info;
}

const aad = (id: string) => `credential:${id}`;

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
  const rows = await wallet.db.all<Row>('SELECT * FROM credentials ORDER BY imported_at, id');
  return rows.map(toInfo);
}

/** Decrypts one credential's SD-JWT. */
export async function readCredential(wallet: Wallet, id: string): Promise<{ info: StoredCredentialInfo; sdJwt: string }> {
  wallet.requireKey();
  const row = await wallet.db.get<Row>('SELECT * FROM credentials WHERE id = ?', [id]);
  if (!row) throw new WalletError('CREDENTIAL_NOT_FOUND', `no credential ${id}`);
  const { sdJwt } = JSON.parse(wallet.openRecord(row.sealed, aad(row.id)).toString('utf8')) as { sdJwt: string };
  return { info: toInfo(row), sdJwt };
}

/** Deletes a credential (and its companion record) from an unlocked wallet; false when there was none. */
export async function deleteCredential(wallet: Wallet, id: string): Promise<boolean> {
  wallet.requireKey();
  return (await wallet.db.run('DELETE FROM credentials WHERE id = ?', [id])).changes === 1;
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
    throw new WalletError('CREDENTIAL_ID_AMBIGUOUS', `${ref} is the start of ${matches.length} credential ids (${matches.map((c) => c.id).join(', ')}): give more of the id`, {
      details: matches.map((c) => ({ path: 'credential', message: c.id })),
    });
  }
  const hint = ref.length < MIN_ID_PREFIX ? ` (a shortened id needs at least ${MIN_ID_PREFIX} characters)` : '';
  throw new WalletError('CREDENTIAL_NOT_FOUND', `the wallet has no credential ${ref}${hint}: \`netcred wallet list\` prints the ids of the credentials it holds`, {
    details: [{ path: 'credential', message: ref }],
  });
}

/** The issuer of a stored credential, or undefined when the wallet has no credential with that id. */
export async function storedIssuerOf(wallet: Wallet, id: string): Promise<string | undefined> {
  const row = await wallet.db.get<{ iss: string }>('SELECT iss FROM credentials WHERE id = ?', [id]);
  return row?.iss;
}
