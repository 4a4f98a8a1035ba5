import type { ErrorCode } from './errors/codes.js';

export type { ErrorClass, ErrorCode } from './errors/codes.js';

/**
 * Typed errors shared by every role. Like `jose`, each error carries a stable `code` (one of
 * core/errors/codes.ts, whose class says whose fault it is) that callers (and HTTP adapters) can
 * switch on; messages are for humans.
 */
export type ErrorDetail = { path: string; message: string };

/**
 * The one error type netcred throws at its callers: a stable `code` (a row of ERROR_CODES and
 * docs/error-codes.md), a message for people and, for input errors, every failing field in `details`.
 * Its class (input, verdict, storage, setup, internal) sets the HTTP status and the CLI exit code.
 */
export class NetcredError extends Error {
  /** Stable machine-readable code; never changes once published. */
  readonly code: ErrorCode;
  /** Optional structured details, e.g. every failing field of an input. */
  readonly details?: ErrorDetail[];

  constructor(code: ErrorCode, message: string, options: { details?: ErrorDetail[]; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    if (options.details) this.details = options.details;
  }

  toJSON(): { code: ErrorCode; message: string; details?: ErrorDetail[] } {
    return this.details ? { code: this.code, message: this.message, details: this.details } : { code: this.code, message: this.message };
  }
}

/** Input that does not match what an operation accepts (CLI exit code 2, HTTP 400). */
export class InvalidInputError extends NetcredError {
  constructor(message: string, details?: ErrorDetail[], cause?: unknown) {
    super('INVALID_INPUT', message, { details, cause });
  }
}

/** Input larger than the configured bound; rejected before parsing. */
export class InputTooLargeError extends NetcredError {
  constructor(what: string, limit: number) {
    super('INPUT_TOO_LARGE', `${what} exceeds the limit of ${limit} bytes`);
  }
}

/** A JWS/JWT that cannot be parsed or whose signature does not verify. */
export class JoseError extends NetcredError {}

/** A DID that cannot be parsed or resolved, or a key that does not belong to it. */
export class DidError extends NetcredError {}

/** A stored secret (key file, PIN-derived key) that does not open the data. */
export class SecretError extends NetcredError {}

/** Turns anything thrown into a NetcredError so no caller ever sees an untyped error. */
export function toNetcredError(err: unknown, fallbackCode: ErrorCode = 'INTERNAL'): NetcredError {
  if (err instanceof NetcredError) return err;
  const message = err instanceof Error ? err.message : String(err);
  return new NetcredError(fallbackCode, message, { cause: err });
}

/**
 * Whether `err` is a NetcredError (with this `code`, when one is given).
 *
 * @example
 * ```ts
 * try { await verifySdJwt(token, { issuerKey }); } catch (err) { if (isNetcredError(err, 'SIGNATURE_INVALID')) ...; }
 * ```
 */
export function isNetcredError(err: unknown, code?: ErrorCode): err is NetcredError {
  return err instanceof NetcredError && (code === undefined || err.code === code);
}

/** The codes of a store that cannot take (or serve) writes: the operation was not stored. */
export type StorageErrorCode = 'STORAGE_FULL' | 'STORAGE_UNAVAILABLE' | 'STORE_CORRUPT';

/**
 * A storage fault (disk full, I/O error, lock held past the busy timeout, a database that is
 * not ours or is damaged). Nothing of the failed operation was committed; HTTP answers 503
 * with `Retry-After`, the CLI exits 2. The message says what the operator can do.
 */
export class StorageError extends NetcredError {
  declare readonly code: StorageErrorCode;
  constructor(code: StorageErrorCode, message: string, options: { cause?: unknown } = {}) {
    super(code, message, options);
  }
}
