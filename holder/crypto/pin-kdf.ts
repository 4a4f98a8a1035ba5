import { randomBytes, scrypt } from 'node:crypto';
import { WalletError } from '../errors.js';

/** scrypt cost parameters, stored with the wallet so they can be raised later without breaking old wallets. */
export type KdfParams = { alg: 'scrypt'; N: number; r: number; p: number; salt: string };

/**
 * Default: N = 2^17, r = 8, p = 1 (128 MiB, a few hundred ms per attempt): OWASP's scrypt
 * minimum for passwords, and still tolerable once per CLI call on a phone-class CPU.
 */
export const DEFAULT_KDF = { N: 2 ** 17, r: 8, p: 1 } as const;

/** The shortest PIN a wallet accepts (6 characters). */
export const PIN_MIN_LENGTH = 6;
export const PIN_MAX_LENGTH = 128;

export function newKdfParams(cost: { N: number; r: number; p: number } = DEFAULT_KDF): KdfParams {
  return { alg: 'scrypt', ...cost, salt: randomBytes(16).toString('base64url') };
}

/** Digits that each follow the one before, up or down (`123456`, `987654`): the first PINs a guesser tries. */
function isDigitRun(pin: string): boolean {
  if (!/^\d+$/.test(pin)) return false;
  const steps = new Set([...pin].slice(1).map((d, i) => Number(d) - Number(pin[i])));
  return steps.size === 1 && (steps.has(1) || steps.has(-1));
}

/**
 * Rejects a PIN shorter than PIN_MIN_LENGTH characters (digits or any printable characters), one
 * repeated digit (`111111`), a run of digits up or down (`123456`, `654321`), or a short group of
 * digits repeated (`121212`, `123123`): PIN_TOO_WEAK.
 */
export function assertPinAcceptable(pin: string): void {
  if (typeof pin !== 'string' || pin.length < PIN_MIN_LENGTH || pin.length > PIN_MAX_LENGTH || /[\u0000-\u001f\u007f]/.test(pin)) {
    throw new WalletError('PIN_TOO_WEAK', `the PIN must be ${PIN_MIN_LENGTH} to ${PIN_MAX_LENGTH} printable characters (digits are fine)`);
  }
  if (/^(\d)\1+$/.test(pin)) throw new WalletError('PIN_TOO_WEAK', 'the PIN must not repeat one digit');
  if (isDigitRun(pin)) throw new WalletError('PIN_TOO_WEAK', 'the PIN must not be a run of digits such as 123456');
  if (/^(\d{2,3})\1+$/.test(pin)) throw new WalletError('PIN_TOO_WEAK', 'the PIN must not repeat a group of digits such as 121212');
}

export function assertKdfParams(value: unknown): asserts value is KdfParams {
  const v = value as KdfParams | null;
  const pow2 = (n: number) => Number.isInteger(n) && n >= 2 && (n & (n - 1)) === 0;
  if (
    v?.alg !== 'scrypt' ||
    !pow2(v.N) ||
    v.N > 2 ** 20 ||
    !Number.isInteger(v.r) ||
    v.r < 1 ||
    v.r > 32 ||
    !Number.isInteger(v.p) ||
    v.p < 1 ||
    v.p > 16 ||
    typeof v.salt !== 'string'
  ) {
    throw new WalletError('WALLET_CORRUPT', 'stored KDF parameters are invalid');
  }
}

/** The 32-byte key-encryption key for a PIN. */
export function derivePinKey(pin: string, params: KdfParams): Promise<Buffer> {
  const salt = Buffer.from(params.salt, 'base64url');
  const maxmem = 128 * params.N * params.r * params.p + 32 * 1024 * 1024;
  const failed = (err: Error) => new WalletError('KDF_FAILED', `scrypt failed: ${err.message}`, { cause: err });
  return new Promise((resolve, reject) => {
    // node:crypto throws parameters it refuses (ERR_CRYPTO_INVALID_SCRYPT_PARAMS) at once, not through the callback.
    try {
      scrypt(pin.normalize('NFKC'), salt, 32, { N: params.N, r: params.r, p: params.p, maxmem }, (err, key) => {
        if (err) reject(failed(err));
        else resolve(key);
      });
    } catch (err) {
      reject(failed(err as Error));
    }
  });
}
