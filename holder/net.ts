import { Resolver } from 'did-resolver';
import { didMethodResolvers } from '../core/did/resolve.js';
import { WalletError } from './errors.js';

const LOOPBACK = new Set(['127.0.0.1', '::1', '[::1]', 'localhost']);

export function isLoopbackHost(hostname: string): boolean {
  return LOOPBACK.has(hostname.toLowerCase());
}

/**
 * did:key/did:jwk offline, did:web over HTTPS, and over plain HTTP only for a loopback host
 * (an issuer under test on 127.0.0.1); never plain HTTP to the network.
 */
export function loopbackAwareResolver(): Resolver {
  const secure = didMethodResolvers({ allowNetwork: true });
  const insecure = didMethodResolvers({ allowNetwork: true, insecureWeb: true });
  return new Resolver(
    {
      ...secure,
      web: (did, parsed, resolver, opts) => {
        const host = decodeURIComponent(parsed.id.split(':')[0] ?? '').replace(/:\d+$/, '');
        return (isLoopbackHost(host) ? insecure.web! : secure.web!)(did, parsed, resolver, opts);
      },
    },
    { cache: false },
  );
}

/** https: anywhere, http: only to a loopback host. */
export function assertFetchableUrl(uri: string): URL {
  let url: URL;
  try {
    url = new URL(uri);
  } catch (cause) {
    throw new WalletError('STATUS_FETCH_FAILED', `not a URL: ${uri}`, { cause });
  }
  if (url.protocol === 'https:' || (url.protocol === 'http:' && isLoopbackHost(url.hostname))) return url;
  throw new WalletError('STATUS_FETCH_FAILED', `refusing to fetch ${uri}: only https (or http on loopback)`);
}

/** GET with a timeout and a cap on the body size, read as text. */
export async function boundedFetchText(uri: string, options: { accept: string; maxBytes: number; timeoutMs: number }): Promise<string> {
  const url = assertFetchableUrl(uri);
  let res: Response;
  try {
    res = await fetch(url, { headers: { accept: options.accept }, signal: AbortSignal.timeout(options.timeoutMs), redirect: 'error' });
  } catch (cause) {
    throw new WalletError('STATUS_FETCH_FAILED', `GET ${uri} failed: ${(cause as Error).message}`, { cause });
  }
  if (!res.ok) throw new WalletError('STATUS_FETCH_FAILED', `GET ${uri} answered ${res.status}`);
  const declared = Number(res.headers.get('content-length') ?? '0');
  if (declared > options.maxBytes) throw new WalletError('STATUS_FETCH_FAILED', `GET ${uri}: body exceeds ${options.maxBytes} bytes`);
  const reader = res.body?.getReader();
  if (!reader) return '';
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > options.maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw new WalletError('STATUS_FETCH_FAILED', `GET ${uri}: body exceeds ${options.maxBytes} bytes`);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}
