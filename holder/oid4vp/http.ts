import { fetchBounded, FetchBoundedError, parseFetchUrl, type BoundedResponse, type FetchLike } from '../../core/http/fetch-bounded.js';
import { oid4vpError, type Oid4vpWalletCode } from './errors.js';

export type { BoundedResponse, FetchLike };

/** https anywhere, http only to a loopback host (a verifier under test on 127.0.0.1). */
export function assertVerifierUrl(uri: string, what: string, code: Oid4vpWalletCode): URL {
  try {
    return parseFetchUrl(uri);
  } catch (err) {
    if (!(err instanceof FetchBoundedError)) throw err;
    throw oid4vpError(code, err.reason === 'URL_INVALID' ? `${what} is not a URL` : `${what} must be https (http only on loopback): ${uri}`, { cause: err });
  }
}

/** One HTTP exchange with a timeout, no redirects, and a cap on the body read. */
export async function boundedExchange(
  fetchFn: FetchLike,
  url: URL,
  init: RequestInit,
  limits: { maxBytes: number; timeoutMs: number; code: Oid4vpWalletCode; what: string },
): Promise<BoundedResponse> {
  try {
    return await fetchBounded(url, init, { fetch: fetchFn, maxBytes: limits.maxBytes, timeoutMs: limits.timeoutMs });
  } catch (err) {
    if (err instanceof FetchBoundedError) throw oid4vpError(limits.code, `${limits.what}: ${err.message}`, { cause: err });
    throw err;
  }
}
