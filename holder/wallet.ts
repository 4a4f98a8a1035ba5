import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { isNetcredError } from '../core/errors.js';
import type { JwsAlg } from '../core/jose/alg.js';
import type { PublicJwk } from '../core/jose/jwk.js';
import { keyObjectSigner, type JwsSigner } from '../core/jose/signer.js';
import { backoffDelayMs, FREE_ATTEMPTS } from './crypto/backoff.js';
import { assertKdfParams, assertPinAcceptable, derivePinKey, newKdfParams } from './crypto/pin-kdf.js';
import { open, seal } from './crypto/seal.js';
import { PinLockedOutError, WalletError, walletLocked } from './errors.js';
import { exportPrivateKey, generateHolderKey, importPrivateKey, type DidMethod, type HolderKeyInfo } from './keys.js';
import { Db } from './store/db.js';
import { migrate, WALLET_SCHEMA_VERSION } from './store/schema.js';

/** Options of an open wallet: the clock (tests). */
export type WalletOptions = {
  /** Clock in ms since the epoch (tests of the PIN back-off pass their own). */
  now?: () => number;
};

/** How initWallet creates a wallet: its DID method, key algorithm and the scrypt cost of the PIN. */
export type InitWalletOptions = WalletOptions & {
  didMethod?: DidMethod;
  alg?: JwsAlg;
  /** scrypt cost; only tests should lower it. */
  kdf?: { N: number; r: number; p: number };
};

type KeyRow = { id: string; did: string; kid: string; alg: string; public_jwk: string; created_at: number; sealed: Buffer };

/** `<dataDir>/wallet/wallet.sqlite`: the wallet's own folder and database file. */
export function walletFile(dataDir: string): string {
  return path.join(path.resolve(dataDir), 'wallet', 'wallet.sqlite');
}

/**
 * An open wallet. Locked until `unlock(pin)`: while locked it holds no key material, and every
 * operation that uses a private key or reads a credential throws WALLET_LOCKED.
 */
export class Wallet {
  private walletKey: Buffer | undefined;
  readonly now: () => number;

  /** @internal use openWallet / initWallet */
  constructor(
    readonly file: string,
    readonly db: Db,
    options: WalletOptions,
  ) {
    this.now = options.now ?? Date.now;
  }

  get locked(): boolean {
    return this.walletKey === undefined;
  }

  /**
   * Opens the wallet key with the PIN. A failed attempt is counted in the database BEFORE the
   * PIN is checked, so killing the process mid-check does not skip the count.
   */
  async unlock(pin: string): Promise<void> {
    if (typeof pin !== 'string' || pin.length === 0) throw new WalletError('PIN_INVALID', 'a PIN is required');
    const kdf = await this.meta('kdf');
    const wrapped = await this.meta('wrapped_key');
    if (!kdf || !wrapped) throw new WalletError('WALLET_CORRUPT', 'the wallet has no wrapped key');
    let params: unknown;
    try {
      params = JSON.parse(kdf);
    } catch (cause) {
      throw new WalletError('WALLET_CORRUPT', 'stored KDF parameters are not JSON', { cause });
    }
    assertKdfParams(params);
    for (let round = 0; ; round++) {
      const state = await this.db.get<{ failures: number; next_attempt_at: number }>('SELECT failures, next_attempt_at FROM pin_state WHERE id = 1');
      if (!state) throw new WalletError('WALLET_CORRUPT', 'the wallet has no PIN state');
      if (round >= 10) throw new WalletError('WALLET_BUSY', 'too many concurrent unlock attempts; try again');
      const now = this.now();
      if (now < state.next_attempt_at) throw new PinLockedOutError(state.next_attempt_at, now);
      const failures = state.failures + 1;
      const claimed = await this.db.run('UPDATE pin_state SET failures = ?, next_attempt_at = ? WHERE id = 1 AND failures = ?', [
        failures,
        now + backoffDelayMs(failures),
        state.failures,
      ]);
      if (claimed.changes !== 1) continue; // another process counted an attempt meanwhile: re-read
      const pinKey = await derivePinKey(pin, params);
      let key: Buffer;
      try {
        key = open(pinKey, Buffer.from(wrapped, 'base64url'), 'wallet-key');
      } catch (err) {
        if (!isNetcredError(err, 'SEALED_RECORD_INVALID')) throw err;
        const left = Math.max(0, FREE_ATTEMPTS - failures);
        throw new WalletError('PIN_INVALID', `wrong PIN (${failures} consecutive failure${failures > 1 ? 's' : ''}${left ? `, ${left} before a delay` : ''})`, {
          details: [{ path: 'failures', message: String(failures) }],
        });
      } finally {
        pinKey.fill(0);
      }
      await this.db.run('UPDATE pin_state SET failures = 0, next_attempt_at = 0 WHERE id = 1');
      this.walletKey = key;
      return;
    }
  }

  /** Forgets the wallet key; the wallet is locked again. */
  lock(): void {
    this.walletKey?.fill(0);
    this.walletKey = undefined;
  }

  async close(): Promise<void> {
    this.lock();
    await this.db.close();
  }

  /** Consecutive wrong PINs and when the next attempt is allowed (ms since the epoch). */
  async pinState(): Promise<{ failures: number; nextAttemptAt: number }> {
    const row = (await this.db.get<{ failures: number; next_attempt_at: number }>('SELECT failures, next_attempt_at FROM pin_state WHERE id = 1'))!;
    return { failures: row.failures, nextAttemptAt: row.next_attempt_at };
  }

  /** Public key data; readable while locked (it holds no secret). */
  async listKeys(): Promise<HolderKeyInfo[]> {
    const rows = await this.db.all<KeyRow>('SELECT * FROM holder_keys ORDER BY created_at, id');
    return rows.map(rowToKey);
  }

  async defaultKey(): Promise<HolderKeyInfo> {
    const id = await this.meta('default_key');
    const row = id ? await this.db.get<KeyRow>('SELECT * FROM holder_keys WHERE id = ?', [id]) : undefined;
    if (!row) throw new WalletError('WALLET_CORRUPT', 'the wallet has no default key');
    return rowToKey(row);
  }

  /** Generates and stores a new holder key (requires the unlocked wallet). */
  async createKey(method: DidMethod = 'jwk', alg: JwsAlg = 'ES256'): Promise<HolderKeyInfo> {
    const key = this.requireKey();
    const k = generateHolderKey(method, alg, this.now());
    const sealed = seal(key, exportPrivateKey(k.privateKey), `key:${k.id}`);
    await this.db.run('INSERT INTO holder_keys (id, did, kid, alg, public_jwk, thumbprint, created_at, sealed) VALUES (?, ?, ?, ?, ?, ?, ?, ?)', [
      k.id,
      k.did,
      k.kid,
      k.alg,
      JSON.stringify(k.publicJwk),
      k.id,
      k.createdAt,
      sealed,
    ]);
    const { privateKey: _omit, ...info } = k;
    void _omit;
    return info;
  }

  /** A JWS signer with the private key of one holder key (requires the unlocked wallet). */
  async signer(keyId: string): Promise<JwsSigner> {
    const key = this.requireKey();
    const row = await this.db.get<KeyRow>('SELECT * FROM holder_keys WHERE id = ?', [keyId]);
    if (!row) throw new WalletError('KEY_NOT_FOUND', `no holder key ${keyId}`);
    return keyObjectSigner(importPrivateKey(open(key, row.sealed, `key:${row.id}`)));
  }

  /** @internal seals a record with the wallet key. */
  sealRecord(plaintext: Buffer, aad: string): Buffer {
    return seal(this.requireKey(), plaintext, aad);
  }

  /** @internal opens a record sealed with the wallet key. */
  openRecord(sealed: Buffer, aad: string): Buffer {
    return open(this.requireKey(), sealed, aad);
  }

  /** @internal throws WALLET_LOCKED unless unlocked. */
  requireKey(): Buffer {
    if (!this.walletKey) throw walletLocked();
    return this.walletKey;
  }

  async meta(k: string): Promise<string | undefined> {
    return (await this.db.get<{ v: string }>('SELECT v FROM meta WHERE k = ?', [k]))?.v;
  }
}

function rowToKey(row: KeyRow): HolderKeyInfo {
  return { id: row.id, did: row.did, kid: row.kid, alg: row.alg as JwsAlg, publicJwk: JSON.parse(row.public_jwk) as PublicJwk, createdAt: row.created_at };
}

/** Opens an existing wallet, locked. */
export async function openWallet(dataDir: string, options: WalletOptions = {}): Promise<Wallet> {
  const file = walletFile(dataDir);
  if (!existsSync(file)) throw new WalletError('WALLET_NOT_INITIALIZED', `no wallet in ${path.dirname(file)}: run "netcred wallet init" first`);
  const db = await Db.open(file);
  try {
    await migrate(db);
    const version = (await db.get<{ v: string }>("SELECT v FROM meta WHERE k = 'schema_version'"))?.v;
    if (version !== String(WALLET_SCHEMA_VERSION)) throw new WalletError('WALLET_CORRUPT', `unsupported wallet schema version ${String(version)}`);
  } catch (err) {
    await db.close();
    throw err;
  }
  return new Wallet(file, db, options);
}

/** Opens and unlocks in one step (one CLI call = one unlock). */
export async function unlockWallet(dataDir: string, pin: string, options: WalletOptions = {}): Promise<Wallet> {
  const wallet = await openWallet(dataDir, options);
  try {
    await wallet.unlock(pin);
  } catch (err) {
    await wallet.close();
    throw err;
  }
  return wallet;
}

/**
 * Creates a wallet: a random 256-bit wallet key, wrapped with a key derived from the PIN
 * (scrypt), and a first holder key (did:jwk P-256 unless told otherwise). Returns it unlocked.
 */
export async function initWallet(dataDir: string, pin: string, options: InitWalletOptions = {}): Promise<{ wallet: Wallet; key: HolderKeyInfo }> {
  assertPinAcceptable(pin);
  const file = walletFile(dataDir);
  if (existsSync(file)) throw new WalletError('WALLET_EXISTS', `a wallet already exists in ${path.dirname(file)}`);
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const db = await Db.open(file);
  chmodSync(file, 0o600);
  const wallet = new Wallet(file, db, options);
  try {
    await migrate(db);
    const params = newKdfParams(options.kdf);
    const walletKey = randomBytes(32);
    const pinKey = await derivePinKey(pin, params);
    const wrapped = seal(pinKey, walletKey, 'wallet-key');
    pinKey.fill(0);
    await db.transaction(async () => {
      await db.run("INSERT INTO meta (k, v) VALUES ('schema_version', ?)", [String(WALLET_SCHEMA_VERSION)]);
      await db.run("INSERT INTO meta (k, v) VALUES ('kdf', ?)", [JSON.stringify(params)]);
      await db.run("INSERT INTO meta (k, v) VALUES ('wrapped_key', ?)", [wrapped.toString('base64url')]);
      await db.run('INSERT INTO pin_state (id, failures, next_attempt_at) VALUES (1, 0, 0)');
    });
    (wallet as unknown as { walletKey: Buffer }).walletKey = walletKey;
    const key = await wallet.createKey(options.didMethod ?? 'jwk', options.alg ?? 'ES256');
    await db.run("INSERT INTO meta (k, v) VALUES ('default_key', ?)", [key.id]);
    return { wallet, key };
  } catch (err) {
    // Leave no half-made wallet behind: a later init would refuse it as WALLET_EXISTS.
    await wallet.close().catch(() => undefined);
    for (const suffix of ['', '-wal', '-shm']) rmSync(`${file}${suffix}`, { force: true });
    throw err;
  }
}
