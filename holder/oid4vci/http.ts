import { fetchBounded, FetchBoundedError, parseFetchUrl, type BoundedResponse, type FetchLike } from '../../core/http/fetch-bounded.js';
import { fromErrorResponse, Oid4vciClientError } from './errors.js';
import { assertJsonDepth } from '../../core/encoding/json.js';

export type { FetchLike };

export type HttpOptions = { fetch?: FetchLike; timeoutMs?: number; maxBytes?: number };

const DEFAULTS = { timeoutMs: 10_000, maxBytes: 256 * 1024 };

/** https anywhere; plain http only to a loopback host (an issuer under test). */
export function assertIssuerUrl(value: unknown, what: string): URL {
  try {
    return parseFetchUrl(value);
  } catch (err) {
    if (!(err instanceof FetchBoundedError)) throw err;
    const message = err.reason === 'URL_INVALID' ? `${what} is not a URL` : `${what} must be https (http only on loopback): ${String(value)}`;
    throw new Oid4vciClientError('ISSUER_METADATA_INVALID', message, { cause: err });
  }
}

/**
 * One exchange with the issuer, whatever its status: bounded in time and size, no redirects;
 * the body parsed as JSON when it is (undefined otherwise, or when empty). A 2xx answer that is
 * not JSON is an error.
 */
export async function exchangeJson(url: URL, init: RequestInit, what: string, options: HttpOptions = {}): Promise<{ res: BoundedResponse; body: unknown }> {
  let res: BoundedResponse;
  try {
    res = await fetchBounded(url, init, {
      fetch: options.fetch,
      timeoutMs: options.timeoutMs ?? DEFAULTS.timeoutMs,
      maxBytes: options.maxBytes ?? DEFAULTS.maxBytes,
    });
  } catch (err) {
    if (err instanceof FetchBoundedError) throw new Oid4vciClientError('OFFER_FETCH_FAILED', `${what}: ${err.message}`, { cause: err });
    throw err;
  }
  let body: unknown;
  assertJsonDepth(res.text, what);
  try {
    body = res.text === '' ? undefined : JSON.parse(res.text);
  } catch (cause) {
    if (res.ok) throw new Oid4vciClientError('OFFER_FETCH_FAILED', `${what}: the answer is not JSON`, { cause });
  }
  return { res, body };
}

/** A 2xx answer's JSON object, or the error it is. */
export function jsonObjectOf(what: string, res: BoundedResponse, body: unknown): Record<string, unknown> {
  if (!res.ok) throw fromErrorResponse(what, res.status, body);
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw new Oid4vciClientError('OFFER_FETCH_FAILED', `${what}: the answer is not a JSON object`);
  return body as Record<string, unknown>;
}

/**
 * One JSON exchange with the issuer: bounded in time and size, no redirects. A non-2xx answer
 * becomes an Oid4vciClientError carrying the OAuth `error` the issuer sent.
 */
export async function requestJson(url: URL, init: RequestInit, what: string, options: HttpOptions = {}): Promise<unknown> {
  const { res, body } = await exchangeJson(url, init, what, options);
  return jsonObjectOf(what, res, body);
}
