import { NetcredError } from '../../core/errors.js';

/** Only HTTPS, except plain HTTP to the loopback host (tests, a local demo issuer). */
export function checkFetchUrl(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch (cause) {
    throw new NetcredError('SYNC_FAILED', `not a URL: ${raw}`, { cause });
  }
  const loopback = url.hostname === '127.0.0.1' || url.hostname === 'localhost' || url.hostname === '[::1]';
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) {
    throw new NetcredError('SYNC_FAILED', `refusing ${url.protocol}//${url.host}: only https (or http to 127.0.0.1)`);
  }
  if (url.username || url.password) throw new NetcredError('SYNC_FAILED', 'URLs with credentials are refused');
  return url;
}

export type FetchLimits = { maxBytes: number; timeoutMs: number };

/** GET with a timeout and a body size bound (read as a stream, aborted past the bound). */
export async function fetchBounded(raw: string, accept: string, limits: FetchLimits): Promise<string> {
  const url = checkFetchUrl(raw);
  let res: Response;
  try {
    res = await fetch(url, { headers: { accept }, redirect: 'error', signal: AbortSignal.timeout(limits.timeoutMs) });
  } catch (cause) {
    throw new NetcredError('SYNC_FAILED', `GET ${url.href} failed: ${(cause as Error).message}`, { cause });
  }
  if (!res.ok) {
    await res.body?.cancel();
    throw new NetcredError('SYNC_FAILED', `GET ${url.href} answered ${res.status}`);
  }
  const declared = Number(res.headers.get('content-length') ?? '0');
  if (declared > limits.maxBytes) {
    await res.body?.cancel();
    throw new NetcredError('SYNC_FAILED', `GET ${url.href}: ${declared} bytes is over the ${limits.maxBytes} byte limit`);
  }
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = res.body?.getReader();
  if (!reader) return '';
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limits.maxBytes) {
      await reader.cancel();
      throw new NetcredError('SYNC_FAILED', `GET ${url.href}: body is over the ${limits.maxBytes} byte limit`);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

export async function fetchJson(raw: string, limits: FetchLimits): Promise<unknown> {
  const text = await fetchBounded(raw, 'application/json', limits);
  try {
    return JSON.parse(text);
  } catch (cause) {
    throw new NetcredError('SYNC_FAILED', `GET ${raw} did not answer JSON`, { cause });
  }
}
