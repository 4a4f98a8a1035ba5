import { NetcredError } from '../../core/errors.js';
import { BITSTRING_MIN_ENTRIES } from '../../core/status/bitstring.js';
import type { StatusBits } from '../../core/status/status-list.js';
import { DEFAULT_STATUS_LIST_SIZE, MIN_STATUS_LIST_SIZE } from '../config.js';
import type { IssuerContext } from '../context.js';

export { DEFAULT_STATUS_LIST_SIZE, MIN_STATUS_LIST_SIZE };
/** Upper bound so a misconfiguration cannot create lists that verifiers refuse to decompress. */
export const MAX_STATUS_LIST_SIZE = 1 << 24;
export const STATUS_BITS: StatusBits = 2;

/** The configured list size, checked (16,384 .. 16,777,216) and rounded up to whole bytes of the W3C bitstring. */
export function statusListSizeOf(ctx: IssuerContext): number {
  const size = ctx.config.statusListSize ?? DEFAULT_STATUS_LIST_SIZE;
  if (!Number.isSafeInteger(size) || size < MIN_STATUS_LIST_SIZE || size > MAX_STATUS_LIST_SIZE) {
    throw new NetcredError(
      'STATUS_CONFIG_INVALID',
      `statusListSize must be an integer from ${MIN_STATUS_LIST_SIZE} to ${MAX_STATUS_LIST_SIZE}, got ${String(size)}`,
    );
  }
  return Math.ceil(size / 8) * 8;
}

/** The W3C bitstring has at least 131,072 entries even when the IETF list is smaller. */
export function bitstringSizeOf(listSize: number): number {
  return Math.max(BITSTRING_MIN_ENTRIES, Math.ceil(listSize / 8) * 8);
}
