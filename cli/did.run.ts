import { Resolver } from 'did-resolver';
import { isLoopbackHost } from '../core/http/fetch-bounded.js';
import { didMethodResolvers } from '../core/did/resolve.js';
import { DidError, resolveDidDocument } from '../core/index.js';
import { printJson } from './context.js';

export type DidResolveOpts = { allowNetwork?: boolean; json?: boolean };

/**
 * core's resolver: did:key and did:jwk offline; did:web only with --allow-network, over HTTPS
 * (plain HTTP only to a loopback host, an issuer under test), with core's size and time bounds.
 */
function cliResolver(allowNetwork: boolean): Resolver {
  const secure = didMethodResolvers({ allowNetwork });
  const loopback = didMethodResolvers({ allowNetwork, insecureWeb: true });
  return new Resolver(
    {
      ...secure,
      web: (did, parsed, resolver, options) => {
        const host = decodeURIComponent(parsed.id.split(':')[0] ?? '').replace(/:\d+$/, '');
        return (isLoopbackHost(host) ? loopback.web! : secure.web!)(did, parsed, resolver, options);
      },
    },
    { cache: false },
  );
}

export async function runDidResolve(did: string, opts: DidResolveOpts): Promise<void> {
  const id = did.trim();
  const allowNetwork = opts.allowNetwork === true;
  if (!allowNetwork && id.startsWith('did:web:')) {
    throw new DidError('DID_NOT_FOUND', `${id} is a did:web: its document lives on the web, and network resolution is off (give --allow-network to fetch it)`);
  }
  printJson(await resolveDidDocument(cliResolver(allowNetwork), id));
}
