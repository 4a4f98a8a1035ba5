import { isLoopbackHost } from '../net.js';
import { fromErrorResponse, Oid4vciClientError } from './errors.js';

export type FetchLike = (input: string | URL, init?: RequestInit) => Promise<Response>;

export type HttpOptions = { fetch?: FetchLike; timeoutMs?: number; maxBytes?: number };

const DEFAULTS = { timeoutMs: 10_000, maxBytes: 256 * 1024 };

/** https anywhere; plain http only to a loopback host (an issuer under test). */
export function assertIssuerUrl(value: unknown, what: string): URL {
  let url: URL;
  try {
    url = new URL(String(value));
  } catch (cause) {
    throw new Oid4vciClientError('ISSUER_METADATA_INVALID', `${what} is not a URL`, { cause });
  }
  if (url.protocol === 'https:' || (url.protocol === 'http:' && isLoopbackHost(url.hostname))) return url;
  throw new Oid4vciClientError('ISSUER_METADATA_INVALID', `${what} must be https (http only on loopback): ${url.href}`);
}

async function readBounded(res: Response, maxBytes: number, what: string): Promise<string> {
  const reader = res.body?.getReader();
  if (!reader) return '';
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw new Oid4vciClientError('OFFER_FETCH_FAILED', `${what}: response exceeds ${maxBytes} bytes`);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * One JSON exchange with the issuer: bounded in time and size, no redirects. A non-2xx answer
 * becomes an Oid4vciClientError carrying the OAuth `error` the issuer sent.
 */
export async function requestJson(url: URL, init: RequestInit, what: string, options: HttpOptions = {}): Promise<unknown> {
  const f = options.fetch ?? fetch;
  let res: Response;
  try {
    res = await f(url, { ...init, redirect: 'error', signal: AbortSignal.timeout(options.timeoutMs ?? DEFAULTS.timeoutMs) });
  } catch (cause) {
    throw new Oid4vciClientError('OFFER_FETCH_FAILED', `${what}: ${url.href} is unreachable: ${(cause as Error).message}`, { cause });
  }
  const text = await readBounded(res, options.maxBytes ?? DEFAULTS.maxBytes, what);
  let body: unknown;
  try {
    body = text === '' ? undefined : JSON.parse(text);
  } catch (cause) {
    if (res.ok) throw new Oid4vciClientError('OFFER_FETCH_FAILED', `${what}: the answer is not JSON`, { cause });
  }
  if (!res.ok) throw fromErrorResponse(what, res.status, body);
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw new Oid4vciClientError('OFFER_FETCH_FAILED', `${what}: the answer is not a JSON object`);
  return body;
}
