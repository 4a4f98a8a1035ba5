import type { SyncEntry, SyncReport } from '../sync/sync.js';
import { walletLocked } from '../errors.js';
import type { Wallet } from '../wallet.js';

/** Locks again after this long without a call from the page (default of `netcred wallet ui --lock-after`). */
export const DEFAULT_IDLE_LOCK_MS = 5 * 60 * 1000;

export type LastSync = { at: number; report: SyncReport };

/**
 * The one wallet the page server opened, and its unlocked period: unlocked with the PIN (the
 * wallet's own back-off, as the CLI), locked again after `idleLockMs` without a call from the
 * page (automatic QR refreshes do not count), on `lock()`, and when the server stops. While
 * locked the wallet holds no key material. Listeners learn of each lock (pending consents are declined).
 */
export class WalletSession {
  private timer: NodeJS.Timeout | undefined;
  private readonly onLock: (() => void)[] = [];
  /** Credentials a sync deleted as revoked during this launch (the store no longer has them). */
  readonly revoked = new Map<string, SyncEntry & { at: number }>();
  lastSync: LastSync | undefined;

  constructor(
    readonly wallet: Wallet,
    readonly idleLockMs: number = DEFAULT_IDLE_LOCK_MS,
  ) {}

  get locked(): boolean {
    return this.wallet.locked;
  }

  /** Unlocks with the PIN: PIN_INVALID, PIN_LOCKED_OUT (retry_after_ms) as Wallet.unlock throws them. */
  async unlock(pin: string): Promise<void> {
    await this.wallet.unlock(pin);
    this.touch();
  }

  /** A call from the holder: the idle period starts again. */
  touch(): void {
    if (this.wallet.locked) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.lock(), this.idleLockMs);
    this.timer.unref();
  }

  lock(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    const wasUnlocked = !this.wallet.locked;
    this.wallet.lock();
    if (wasUnlocked) for (const fn of this.onLock) fn();
  }

  onLocked(fn: () => void): void {
    this.onLock.push(fn);
  }

  /** The unlocked wallet, or WALLET_LOCKED. */
  unlocked(): Wallet {
    if (this.wallet.locked) throw walletLocked();
    return this.wallet;
  }

  recordSync(report: SyncReport, at: number): void {
    this.lastSync = { at, report };
    for (const d of report.deleted) this.revoked.set(d.id, { id: d.id, iss: d.iss, ...(d.vct !== undefined ? { vct: d.vct } : {}), at });
  }

  async close(): Promise<void> {
    this.lock();
    await this.wallet.close();
  }
}
