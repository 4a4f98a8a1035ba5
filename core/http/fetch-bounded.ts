import { NetcredError } from '../errors.js';

/**
 * One outbound HTTP exchange as every role needs it: https anywhere, plain http only to a
 * loopback host (a local issuer or verifier under test), no redirects, a timeout, and a cap on
 * the body read as a stream (so a huge or endless answer cannot exhaust memory).
 */

export type FetchLike = (input: string | URL, init?: RequestInit) => Promise<Response>;

/** Why a bounded fetch failed. Callers map it onto the error code of their protocol. */
export type FetchFailure = 'URL_INVALID' | 'URL_REFUSED' | 'UNREACHABLE' | 'TOO_LARGE' | 'READ_FAILED';

/** A bounded fetch that failed: `FETCH_<reason>` (URL_INVALID, URL_REFUSED, UNREACHABLE, TOO_LARGE, READ_FAILED). */
export class FetchBoundedError extends NetcredError {
  readonly reason: FetchFailure;
  constructor(reason: FetchFailure, message: string, options: { cause?: unknown } = {}) {
    super(`FETCH_${reason}`, message, options);
    this.reason = reason;
  }
}

const LOOPBACK = new Set(['127.0.0.1', '::1', '[::1]', 'localhost']);

export function isLoopbackHost(hostname: string): boolean {
  return LOOPBACK.has(hostname.toLowerCase());
}

/** Parses a URL we may fetch: https:, or http: to a loopback host; never with user:password. */
export function parseFetchUrl(raw: unknown): URL {
  let url: URL;
  try {
    url = raw instanceof URL ? new URL(raw.href) : new URL(String(raw));
  } catch (cause) {
    throw new FetchBoundedError('URL_INVALID', `not a URL: ${String(raw)}`, { cause });
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopbackHost(url.hostname))) {
    throw new FetchBoundedError('URL_REFUSED', `refusing ${url.href}: only https (or http on loopback)`);
  }
  if (url.username || url.password) throw new FetchBoundedError('URL_REFUSED', `refusing ${url.protocol}//${url.host}: URLs with credentials are refused`);
  return url;
}

export type FetchBoundedOptions = { maxBytes: number; timeoutMs: number; fetch?: FetchLike };

export type BoundedResponse = { status: number; ok: boolean; headers: Headers; contentType: string; text: string };

/**
 * Sends `init` to `url` (checked with parseFetchUrl) and reads at most `maxBytes` of the answer.
 * Any status comes back (callers read error bodies); failures are FetchBoundedError.
 */
export async function fetchBounded(target: string | URL, init: RequestInit, options: FetchBoundedOptions): Promise<BoundedResponse> {
  const url = parseFetchUrl(target);
  const label = `${init.method ?? 'GET'} ${url.href}`;
  let res: Response;
  try {
    res = await (options.fetch ?? fetch)(url, { ...init, redirect: 'error', signal: AbortSignal.timeout(options.timeoutMs) });
  } catch (cause) {
    throw new FetchBoundedError('UNREACHABLE', `${label} failed: ${(cause as Error).message}`, { cause });
  }
  const tooLarge = () => new FetchBoundedError('TOO_LARGE', `${label}: the answer exceeds ${options.maxBytes} bytes`);
  if (Number(res.headers.get('content-length') ?? '0') > options.maxBytes) {
    await res.body?.cancel().catch(() => undefined);
    throw tooLarge();
  }
  const chunks: Uint8Array[] = [];
  let total = 0;
  const reader = res.body?.getReader();
  try {
    while (reader) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.byteLength;
      if (total > options.maxBytes) {
        await reader.cancel().catch(() => undefined);
        throw tooLarge();
      }
      chunks.push(value);
    }
  } catch (cause) {
    if (cause instanceof FetchBoundedError) throw cause;
    throw new FetchBoundedError('READ_FAILED', `${label}: reading the answer failed: ${(cause as Error).message}`, { cause });
  }
  return {
    status: res.status,
    ok: res.ok,
    headers: res.headers,
    contentType: (res.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase(),
    text: Buffer.concat(chunks).toString('utf8'),
  };
}
