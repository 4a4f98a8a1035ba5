import { isLoopbackHost } from '../net.js';
import { oid4vpError, type Oid4vpWalletCode } from './errors.js';

export type FetchLike = (input: string | URL, init?: RequestInit) => Promise<Response>;

export type BoundedResponse = { status: number; contentType: string; text: string };

/** https anywhere, http only to a loopback host (a verifier under test on 127.0.0.1). */
export function assertVerifierUrl(uri: string, what: string, code: Oid4vpWalletCode): URL {
  let url: URL;
  try {
    url = new URL(uri);
  } catch (cause) {
    throw oid4vpError(code, `${what} is not a URL`, { cause });
  }
  if (url.protocol === 'https:' || (url.protocol === 'http:' && isLoopbackHost(url.hostname))) return url;
  throw oid4vpError(code, `${what} must be https (http only on loopback): ${uri}`);
}

/** One HTTP exchange with a timeout, no redirects, and a cap on the body read. */
export async function boundedExchange(
  fetchFn: FetchLike,
  url: URL,
  init: RequestInit,
  limits: { maxBytes: number; timeoutMs: number; code: Oid4vpWalletCode; what: string },
): Promise<BoundedResponse> {
  let res: Response;
  const signal = AbortSignal.timeout(limits.timeoutMs);
  try {
    res = await fetchFn(url, { ...init, redirect: 'error', signal });
  } catch (cause) {
    throw oid4vpError(limits.code, `${limits.what} failed: ${(cause as Error).message}`, { cause });
  }
  const declared = Number(res.headers.get('content-length') ?? '0');
  if (declared > limits.maxBytes) throw oid4vpError(limits.code, `${limits.what}: the answer exceeds ${limits.maxBytes} bytes`);
  const chunks: Uint8Array[] = [];
  const reader = res.body?.getReader();
  let total = 0;
  try {
    while (reader) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.byteLength;
      if (total > limits.maxBytes) {
        await reader.cancel().catch(() => undefined);
        throw oid4vpError(limits.code, `${limits.what}: the answer exceeds ${limits.maxBytes} bytes`);
      }
      chunks.push(value);
    }
  } catch (cause) {
    if (cause instanceof Error && 'code' in cause && cause.code === limits.code) throw cause;
    throw oid4vpError(limits.code, `${limits.what}: reading the answer failed: ${(cause as Error).message}`, { cause });
  }
  return { status: res.status, contentType: (res.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase(), text: Buffer.concat(chunks).toString('utf8') };
}
