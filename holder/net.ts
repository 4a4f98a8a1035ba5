import { Resolver } from 'did-resolver';
import { didMethodResolvers } from '../core/did/resolve.js';
import { fetchBounded, FetchBoundedError, isLoopbackHost, parseFetchUrl, type BoundedResponse } from '../core/http/fetch-bounded.js';
import { WalletError } from './errors.js';

export { isLoopbackHost };

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
  try {
    return parseFetchUrl(uri);
  } catch (err) {
    throw asStatusFetchFailed(err);
  }
}

function asStatusFetchFailed(err: unknown): unknown {
  return err instanceof FetchBoundedError ? new WalletError('STATUS_FETCH_FAILED', err.message, { cause: err }) : err;
}

/** GET with a timeout and a cap on the body size, read as text. */
export async function boundedFetchText(uri: string, options: { accept: string; maxBytes: number; timeoutMs: number }): Promise<string> {
  let res: BoundedResponse;
  try {
    res = await fetchBounded(uri, { headers: { accept: options.accept } }, options);
  } catch (err) {
    throw asStatusFetchFailed(err);
  }
  if (!res.ok) throw new WalletError('STATUS_FETCH_FAILED', `GET ${uri} answered ${res.status}`);
  return res.text;
}
