import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync, chmodSync } from 'node:fs';
import path from 'node:path';
import { isNetcredError } from '../core/errors.js';
import { assertKdfParams, derivePinKey } from './crypto/pin-kdf.js';
import { open } from './crypto/seal.js';
import { WalletError } from './errors.js';
import { Db } from './store/db.js';
import { walletFile, type Wallet } from './wallet.js';

/** What a wallet backup file says it is. */
export const WALLET_BACKUP_FORMAT = 'netcred-wallet-backup';
/** The backup format version this wallet writes and reads. */
export const WALLET_BACKUP_VERSION = 1;
/** A wallet database is small (keys and credentials): 256 MiB is far beyond any real backup. */
export const MAX_WALLET_BACKUP_BYTES = 256 * 1024 * 1024;

/**
 * A wallet backup (JSON): the wallet's scrypt parameters and its wallet key wrapped under the
 * PIN, exactly as the wallet stores them, and a snapshot of the whole wallet database sealed
 * (AES-256-GCM) under the wallet key, its AAD binding every other field. Nothing in it opens
 * without the PIN the wallet had when the backup was made. `sha256` covers the rest: a
 * truncated or altered file is BACKUP_INVALID before any PIN is tried.
 */
type BackupFile = { format: string; version: number; createdAt: string; kdf: string; wrappedKey: string; data: string; sha256: string };

const aadOf = (b: Pick<BackupFile, 'createdAt' | 'kdf' | 'wrappedKey'>) => `wallet-backup:${WALLET_BACKUP_VERSION}:${b.createdAt}:${b.kdf}:${b.wrappedKey}`;
const digestOf = (b: Omit<BackupFile, 'sha256'>) =>
  createHash('sha256')
    .update(JSON.stringify([b.format, b.version, b.createdAt, b.kdf, b.wrappedKey, b.data]))
    .digest('base64url');

const invalid = (message: string, cause?: unknown) => new WalletError('BACKUP_INVALID', message, cause === undefined ? undefined : { cause });

/**
 * Writes an encrypted backup of an unlocked wallet to `file` (mode 0600, through a temp file
 * and a rename): a consistent snapshot of its database (SQLite `VACUUM INTO`), sealed under the
 * wallet key. Restoring it needs the wallet's PIN at the time of the backup.
 *
 * @throws WalletError `WALLET_LOCKED`, `WALLET_IO` (the snapshot or the file cannot be written).
 */
export async function backupWallet(wallet: Wallet, file: string): Promise<{ file: string; bytes: number }> {
  wallet.requireKey();
  const kdf = await wallet.meta('kdf');
  const wrappedKey = await wallet.meta('wrapped_key');
  if (!kdf || !wrappedKey) throw new WalletError('WALLET_CORRUPT', 'the wallet has no wrapped key');
  const snapshot = `${wallet.file}.backup-${process.pid}.tmp`;
  let db: Buffer;
  try {
    rmSync(snapshot, { force: true });
    await wallet.db.run('VACUUM INTO ?', [snapshot]);
    db = readFileSync(snapshot);
  } catch (cause) {
    throw new WalletError('WALLET_IO', `cannot snapshot the wallet: ${(cause as Error).message}`, { cause });
  } finally {
    rmSync(snapshot, { force: true });
  }
  const head = { format: WALLET_BACKUP_FORMAT, version: WALLET_BACKUP_VERSION, createdAt: new Date(wallet.now()).toISOString(), kdf, wrappedKey };
  const body = { ...head, data: wallet.sealRecord(db, aadOf(head)).toString('base64url') };
  const text = `${JSON.stringify({ ...body, sha256: digestOf(body) })}\n`;
  const target = path.resolve(file);
  const tmp = `${target}.${process.pid}.tmp`;
  try {
    writeFileSync(tmp, text, { mode: 0o600 });
    renameSync(tmp, target);
  } catch (cause) {
    rmSync(tmp, { force: true });
    throw new WalletError('WALLET_IO', `cannot write the backup to ${file}: ${(cause as Error).message}`, { cause });
  }
  return { file: target, bytes: Buffer.byteLength(text) };
}

function readBackup(file: string): BackupFile {
  let text: string;
  try {
    if (statSync(file).size > MAX_WALLET_BACKUP_BYTES) throw invalid(`${file} is larger than a wallet backup can be (${MAX_WALLET_BACKUP_BYTES} bytes)`);
    text = readFileSync(file, 'utf8');
  } catch (cause) {
    if (isNetcredError(cause)) throw cause;
    throw new WalletError('FILE_UNREADABLE', `cannot read the backup ${file}: ${(cause as Error).message}`, { cause });
  }
  let b: Partial<BackupFile>;
  try {
    b = JSON.parse(text) as Partial<BackupFile>;
  } catch (cause) {
    throw invalid(`${file} is not a wallet backup (not JSON: truncated?)`, cause);
  }
  if (typeof b !== 'object' || b === null || b.format !== WALLET_BACKUP_FORMAT) throw invalid(`${file} is not a wallet backup`);
  if (b.version !== WALLET_BACKUP_VERSION) throw invalid(`wallet backup version ${String(b.version)} is not supported (expected ${WALLET_BACKUP_VERSION})`);
  for (const k of ['createdAt', 'kdf', 'wrappedKey', 'data', 'sha256'] as const)
    if (typeof b[k] !== 'string' || b[k] === '') throw invalid(`the wallet backup has no ${k}`);
  const full = b as BackupFile;
  const { sha256, ...body } = full;
  if (digestOf(body) !== sha256) throw invalid('the wallet backup is damaged or was altered (its checksum does not match)');
  return full;
}

/**
 * Restores a wallet from a backup into `dataDir`: the PIN (the wallet's PIN when the backup was
 * made) unwraps the wallet key, which opens the database snapshot; the snapshot is written
 * through a temp file and renamed into place. An existing wallet is replaced only with `force`.
 *
 * @throws WalletError `WALLET_EXISTS` (a wallet is there and no `force`), `PIN_INVALID` (wrong
 * PIN), `BACKUP_INVALID` (not a backup, truncated, altered, another version), `FILE_UNREADABLE`.
 */
export async function restoreWallet(
  file: string,
  dataDir: string,
  pin: string,
  options: { force?: boolean } = {},
): Promise<{ file: string; createdAt: string }> {
  const target = walletFile(dataDir);
  if (existsSync(target) && !options.force)
    throw new WalletError('WALLET_EXISTS', `a wallet already exists in ${path.dirname(target)}: restoring would replace it (give --force to replace it)`);
  const b = readBackup(file);
  let params: unknown;
  try {
    params = JSON.parse(b.kdf);
  } catch (cause) {
    throw invalid('the wallet backup has KDF parameters that are not JSON', cause);
  }
  try {
    assertKdfParams(params);
  } catch (cause) {
    throw invalid(`the wallet backup has invalid KDF parameters: ${(cause as Error).message}`, cause);
  }
  if (typeof pin !== 'string' || pin.length === 0) throw new WalletError('PIN_INVALID', 'a PIN is required');
  const pinKey = await derivePinKey(pin, params);
  let walletKey: Buffer;
  try {
    walletKey = open(pinKey, Buffer.from(b.wrappedKey, 'base64url'), 'wallet-key');
  } catch (err) {
    if (!isNetcredError(err, 'SEALED_RECORD_INVALID')) throw err;
    throw new WalletError('PIN_INVALID', 'wrong PIN for this backup (the PIN the wallet had when the backup was made)');
  } finally {
    pinKey.fill(0);
  }
  let db: Buffer;
  try {
    db = open(walletKey, Buffer.from(b.data, 'base64url'), aadOf(b));
  } catch (cause) {
    throw invalid('the wallet backup does not open: its data was altered', cause);
  } finally {
    walletKey.fill(0);
  }
  mkdirSync(path.dirname(target), { recursive: true, mode: 0o700 });
  const tmp = `${target}.restore-${process.pid}.tmp`;
  try {
    writeFileSync(tmp, db, { mode: 0o600 });
    chmodSync(tmp, 0o600);
    // A snapshot that SQLite cannot read, or of another wallet key, is refused before it replaces anything.
    const check = await Db.open(tmp);
    try {
      const wrapped = await check.get<{ v: string }>("SELECT v FROM meta WHERE k = 'wrapped_key'");
      if (wrapped?.v !== b.wrappedKey) throw invalid('the wallet backup holds a database of another wallet');
      await check.run('UPDATE pin_state SET failures = 0, next_attempt_at = 0 WHERE id = 1');
    } finally {
      await check.close();
    }
    for (const suffix of ['-wal', '-shm']) rmSync(`${target}${suffix}`, { force: true });
    renameSync(tmp, target);
  } catch (err) {
    rmSync(tmp, { force: true });
    if (isNetcredError(err)) throw err;
    throw invalid(`the restored wallet database does not open: ${(err as Error).message}`, err);
  } finally {
    for (const suffix of ['-wal', '-shm']) rmSync(`${tmp}${suffix}`, { force: true });
  }
  return { file: target, createdAt: b.createdAt };
}
