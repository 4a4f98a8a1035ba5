import { NetcredError } from '../errors.js';

/** `status.status_list` of an SD-JWT VC (or any referenced token). */
export type TokenStatusRef = { idx: number; uri: string };

/** The `statusPurpose` of a W3C Bitstring Status List entry. */
export type BitstringStatusPurpose = 'revocation' | 'suspension' | 'refresh' | 'message';

/** One `BitstringStatusListEntry` of a W3C credential's `credentialStatus`, index parsed. */
export type BitstringStatusRef = {
  id?: string;
  statusPurpose: BitstringStatusPurpose;
  statusListIndex: number;
  statusListCredential: string;
  /** Bits per entry (W3C `statusSize`, default 1). */
  statusSize: number;
};

const PURPOSES: readonly string[] = ['revocation', 'suspension', 'refresh', 'message'];
const DECIMAL = /^(0|[1-9][0-9]{0,15})$/;

function bad(message: string): NetcredError {
  return new NetcredError('STATUS_REFERENCE_INVALID', message);
}

function isObject(v: unknown): v is Record<string, unknown> {
  return !!v && typeof v === 'object' && !Array.isArray(v);
}

function checkUri(uri: unknown, what: string): string {
  if (typeof uri !== 'string' || uri.length === 0 || uri.length > 2048) throw bad(`${what} must be a non-empty URI`);
  try {
    new URL(uri);
  } catch {
    throw bad(`${what} is not a URI: ${uri}`);
  }
  return uri;
}

/**
 * Reads `status.status_list {idx, uri}` from a token payload. No `status` claim: undefined.
 * A `status` claim that is present but malformed is an error (never treated as "no status").
 */
export function tokenStatusRef(payload: Record<string, unknown>): TokenStatusRef | undefined {
  const status = payload.status;
  if (status === undefined) return undefined;
  if (!isObject(status)) throw bad('status claim must be an object');
  const sl = status.status_list;
  if (sl === undefined) return undefined;
  if (!isObject(sl)) throw bad('status.status_list must be an object');
  const idx = sl.idx;
  if (typeof idx !== 'number' || !Number.isSafeInteger(idx) || idx < 0) throw bad('status.status_list.idx must be a non-negative integer');
  return { idx, uri: checkUri(sl.uri, 'status.status_list.uri') };
}

/**
 * Reads every `BitstringStatusListEntry` of a W3C credential's `credentialStatus` (an object or
 * an array). Other status types are an error unless `ignoreUnknownTypes` is set: a verifier that
 * cannot check a status must not pretend it did.
 */
export function bitstringStatusRefs(vc: Record<string, unknown>, options: { ignoreUnknownTypes?: boolean } = {}): BitstringStatusRef[] {
  const cs = vc.credentialStatus;
  if (cs === undefined) return [];
  const entries = Array.isArray(cs) ? cs : [cs];
  const out: BitstringStatusRef[] = [];
  for (const [n, entry] of entries.entries()) {
    const at = `credentialStatus[${n}]`;
    if (!isObject(entry)) throw bad(`${at} must be an object`);
    const types = Array.isArray(entry.type) ? entry.type : [entry.type];
    if (!types.includes('BitstringStatusListEntry')) {
      if (options.ignoreUnknownTypes) continue;
      throw new NetcredError('STATUS_TYPE_UNSUPPORTED', `${at} has unsupported type ${JSON.stringify(entry.type)}`);
    }
    if (typeof entry.statusPurpose !== 'string' || !PURPOSES.includes(entry.statusPurpose)) throw bad(`${at}.statusPurpose is not a known purpose`);
    if (typeof entry.statusListIndex !== 'string' || !DECIMAL.test(entry.statusListIndex)) throw bad(`${at}.statusListIndex must be a decimal string`);
    const index = Number(entry.statusListIndex);
    if (!Number.isSafeInteger(index)) throw bad(`${at}.statusListIndex is too large`);
    let statusSize = 1;
    if (entry.statusSize !== undefined) {
      if (typeof entry.statusSize !== 'number' || !Number.isInteger(entry.statusSize) || entry.statusSize < 1 || entry.statusSize > 8) {
        throw bad(`${at}.statusSize must be an integer from 1 to 8`);
      }
      statusSize = entry.statusSize;
    }
    const ref: BitstringStatusRef = {
      statusPurpose: entry.statusPurpose as BitstringStatusPurpose,
      statusListIndex: index,
      statusListCredential: checkUri(entry.statusListCredential, `${at}.statusListCredential`),
      statusSize,
    };
    if (typeof entry.id === 'string') ref.id = entry.id;
    out.push(ref);
  }
  return out;
}
