import { InputTooLargeError, NetcredError } from '../errors.js';

/**
 * Nesting bound of any JSON text a user hands us (JWT header and payload, disclosure, KB-JWT,
 * request body). JSON.parse itself is iterative, but the code after it (claim processing,
 * JSON.stringify, schema checks) recurses: a 20,000-deep array would overflow the stack there.
 * The deepest JSON netcred itself writes is far below this (the processed claims are bounded
 * at 64 levels too, core/sd-jwt/disclosures.ts).
 */
export const MAX_JSON_DEPTH = 64;

/** Size bound when the caller has none of its own (every user-facing path has a smaller one). */
export const MAX_JSON_BYTES = 1024 * 1024;

/** The bounds a JSON parse enforces: nesting depth and UTF-8 size. */
export type JsonBounds = {
  /** Deepest nesting of `[` / `{` accepted (default MAX_JSON_DEPTH). `{}` is depth 1. */
  maxDepth?: number;
  /** Largest UTF-8 size accepted (default MAX_JSON_BYTES). */
  maxBytes?: number;
};

/** JSON nested deeper than its bound; rejected before parsing (CLI exit 2, HTTP 400). */
export class InputTooDeepError extends NetcredError {
  constructor(what: string, limit: number) {
    super('INPUT_TOO_DEEP', `${what} is nested deeper than ${limit} levels`);
  }
}

const OPEN_OBJECT = 0x7b; // {
const OPEN_ARRAY = 0x5b; // [
const CLOSE_OBJECT = 0x7d; // }
const CLOSE_ARRAY = 0x5d; // ]
const QUOTE = 0x22; // "
const BACKSLASH = 0x5c; // \

/**
 * The deepest bracket nesting of `text`, brackets inside strings not counted, in one pass and
 * without recursion. Stops as soon as it passes `stopAbove` (the caller only needs to know it
 * is too deep). Invalid JSON is not detected here: JSON.parse does that afterwards; this only
 * needs to be right for text that JSON.parse accepts, and never to under-count it.
 */
export function jsonDepth(text: string, stopAbove = Number.POSITIVE_INFINITY): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === BACKSLASH) i++;
      else if (c === QUOTE) inString = false;
    } else if (c === QUOTE) inString = true;
    else if (c === OPEN_OBJECT || c === OPEN_ARRAY) {
      if (++depth > max) {
        max = depth;
        if (max > stopAbove) return max;
      }
    } else if (c === CLOSE_OBJECT || c === CLOSE_ARRAY) depth--;
  }
  return max;
}

/** Throws INPUT_TOO_LARGE or INPUT_TOO_DEEP when `text` is outside the bounds; `what` names it in the message. */
export function assertJsonBounds(text: string, what: string, bounds: JsonBounds = {}): void {
  const maxBytes = bounds.maxBytes ?? MAX_JSON_BYTES;
  const maxDepth = bounds.maxDepth ?? MAX_JSON_DEPTH;
  // UTF-8 is never shorter than the UTF-16 length: the cheap test first.
  if (text.length > maxBytes || Buffer.byteLength(text, 'utf8') > maxBytes) throw new InputTooLargeError(what, maxBytes);
  assertJsonDepth(text, what, maxDepth);
}

/** Throws INPUT_TOO_DEEP when `text` nests deeper than `maxDepth` (default MAX_JSON_DEPTH). */
export function assertJsonDepth(text: string, what: string, maxDepth = MAX_JSON_DEPTH): void {
  if (jsonDepth(text, maxDepth) > maxDepth) throw new InputTooDeepError(what, maxDepth);
}

/**
 * JSON.parse behind the bounds: INPUT_TOO_LARGE / INPUT_TOO_DEEP before parsing, and
 * `invalid(cause)` (the caller's own typed error) when the text is not JSON.
 */
export function parseJsonBounded(text: string, what: string, invalid: (cause: unknown) => Error, bounds: JsonBounds = {}): unknown {
  assertJsonBounds(text, what, bounds);
  try {
    return JSON.parse(text) as unknown;
  } catch (cause) {
    throw invalid(cause);
  }
}
